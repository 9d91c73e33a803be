package credstore

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// ErrReportTarget is a report target WriteReport refuses: not a regular
// file, or a file the app manages.
var ErrReportTarget = errors.New("not a place for a report")

// WriteReport writes a report (diagnose --out) to path, readable by this
// user only (0600), and replaces nothing but that one file:
//
//   - path is a path, never a pattern ("*" is a character of a file name);
//   - an existing path that is not a regular file (a symbolic link — to a
//     device or anything else —, a FIFO, a device, a folder) is refused;
//   - the app's own files are refused: everything in appDir (the settings
//     folder: settings.json, verdicts.json, the lock, their temporary
//     files; "" when unknown) and the IT policy's files;
//   - the data goes to a temporary file beside path, created exclusively
//     (O_EXCL, 0600) under a random name, flushed, and renamed over path;
//     on failure that file, and only it, is removed by its exact name.
func WriteReport(path string, data []byte, appDir string) (err error) {
	if path == "" {
		return fmt.Errorf("the report's path is empty: %w", ErrReportTarget)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("report path %s: %w", path, err)
	}
	if err := refuseManaged(abs, appDir); err != nil {
		return err
	}
	fi, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("report path %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is %s, not a regular file: %w", path, describeMode(fi.Mode()), ErrReportTarget)
	}
	dir := filepath.Dir(abs)
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return fmt.Errorf("report: random name: %w", err)
	}
	tmp := filepath.Join(dir, "."+filepath.Base(abs)+".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("report: create a temporary file beside %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("report: %w", err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("report: write: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("report: flush: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("report: close: %w", err)
	}
	if err = retryTransient(func() error { return os.Rename(tmp, abs) }); err != nil {
		return fmt.Errorf("report: replace %s: %w", path, err)
	}
	return syncDir(dir)
}

// refuseManaged refuses a report path in the app's settings folder or on
// an IT policy file, compared by name and, when they exist, by identity
// (another path to the same folder or file).
func refuseManaged(abs, appDir string) error {
	refuse := func(what string) error {
		return fmt.Errorf("%s is %s, which the app manages: choose another file: %w", abs, what, ErrReportTarget)
	}
	if appDir != "" {
		if a, err := filepath.Abs(appDir); err == nil && filepath.Dir(abs) == a {
			return refuse("in the app's settings folder")
		}
		di, err1 := os.Stat(filepath.Dir(abs))
		ai, err2 := os.Stat(appDir)
		if err1 == nil && err2 == nil && os.SameFile(di, ai) {
			return refuse("in the app's settings folder")
		}
	}
	ti, terr := os.Stat(abs)
	for _, p := range policyPaths() {
		if abs == p {
			return refuse("the IT policy")
		}
		if pi, err := os.Stat(p); err == nil && terr == nil && os.SameFile(ti, pi) {
			return refuse("the IT policy")
		}
	}
	return nil
}

// describeMode names a file type for messages.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}
