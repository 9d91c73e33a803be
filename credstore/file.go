package credstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// ensureDir creates the settings folder (0700), and narrows an existing one
// that others may read: it is the app's own folder.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if runtime.GOOS == "windows" {
		return nil // permissions are ACLs there; the user profile is private
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

// writeFileAtomic replaces path with data: a temporary file in the same
// folder is written, synced and renamed over path, then the folder is
// synced, so a crash leaves the old or the new file, never a mix.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	removeStaleTemps(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = retryTransient(func() error { return os.Rename(tmp, path) }); err != nil {
		return err
	}
	return syncDir(dir)
}

// removeStaleTemps removes the temporary files of writes that never
// finished (a process killed between create and rename). Writes happen
// only under the settings lock, so no other write owns one.
// The names are compared as text, never as a pattern: a folder or file
// name holding "*", "?" or "[" matches nothing else.
func removeStaleTemps(path string) {
	dir, prefix := filepath.Dir(path), filepath.Base(path)+".tmp-"
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// MaxSettingsBytes bounds settings.json: a few hundred profiles take a few
// hundred KiB at most, and nothing larger is read.
const MaxSettingsBytes = 1 << 20

// readSettings reads settings.json for use: only a file of at most
// MaxSettingsBytes that this user owns and only they may write, in a
// folder that is theirs. Our own folder's and file's modes are narrowed
// first (0700, 0600); anything another user owns or may write is refused
// (ErrInsecure), since its login URL decides where the saved password goes.
func readSettings(dir, path string) ([]byte, error) {
	if err := secureDir(dir); err != nil {
		return nil, err
	}
	var b []byte
	err := retryTransient(func() error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		if err := secureFile(f, fi, path); err != nil {
			return err
		}
		if fi.Size() > MaxSettingsBytes {
			return fmt.Errorf("%w: %d bytes, the limit is %d KiB", ErrTooBig, fi.Size(), MaxSettingsBytes>>10)
		}
		b, err = io.ReadAll(io.LimitReader(f, MaxSettingsBytes+1))
		if err == nil && len(b) > MaxSettingsBytes {
			err = fmt.Errorf("%w: more than %d KiB", ErrTooBig, MaxSettingsBytes>>10)
		}
		return err
	})
	return b, err
}

// readFile reads path, riding out the short sharing violations Windows
// reports while another process renames the file.
func readFile(path string) ([]byte, error) {
	var b []byte
	err := retryTransient(func() error {
		var err error
		b, err = os.ReadFile(path)
		return err
	})
	return b, err
}

// retryTransient retries fn for up to half a second while it fails with an
// error that isTransientFSError says will pass.
func retryTransient(fn func() error) error {
	deadline := time.Now().Add(500 * time.Millisecond)
	for delay := time.Millisecond; ; delay = min(2*delay, 50*time.Millisecond) {
		err := fn()
		if err == nil || !isTransientFSError(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(delay)
	}
}

// fileLock is an exclusive lock on settings.lock, held across processes.
type fileLock struct{ f *os.File }

// lockFile takes the lock on path, polling until ctx ends.
func lockFile(ctx context.Context, path string) (*fileLock, error) {
	f, err := openLockFile(path)
	if err != nil {
		return nil, err
	}
	for delay := time.Millisecond; ; delay = min(2*delay, 25*time.Millisecond) {
		ok, err := tryLock(f)
		if err != nil {
			_ = f.Close()
			return nil, err
		}
		if ok {
			return &fileLock{f}, nil
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			_ = f.Close()
			return nil, errors.New("the settings file is locked by another AdvoLogix Connect process")
		case <-t.C:
		}
	}
}

func (l *fileLock) unlock() {
	_ = unlockFile(l.f)
	_ = l.f.Close()
}

// notExist reports whether err means the file does not exist.
func notExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
