//go:build !windows

package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// path is the entry file: in Dir when set, else in the user's folder
// for such entries.
func (e Entry) path() (string, error) {
	dir := e.Dir
	if dir == "" {
		var err error
		if dir, err = defaultDir(); err != nil {
			return "", err
		}
	}
	return filepath.Join(dir, AppID+fileExt), nil
}

// Enable writes the entry file (an XDG autostart entry, a LaunchAgent)
// that starts the program in the tray at login.
func (e Entry) Enable() error {
	exe, err := e.exe()
	if err != nil {
		return err
	}
	path, err := e.path()
	if err != nil {
		return err
	}
	return writeFile(path, []byte(content(exe)))
}

// Disable removes the entry file.
func (e Entry) Disable() error {
	path, err := e.path()
	if err != nil {
		return err
	}
	return removeFile(path)
}

// Enabled tells whether the entry file exists.
func (e Entry) Enabled() (bool, error) {
	path, err := e.path()
	if err != nil {
		return false, err
	}
	return exists(path)
}

// Migrate points an existing entry at the program (see the package
// doc): it rewrites the entry file when it differs from what Enable
// writes now, and reports whether it did. Without an entry it does
// nothing: start at login stays off.
func (e Entry) Migrate() (bool, error) {
	path, err := e.path()
	if err != nil {
		return false, err
	}
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart entry: %w", err)
	}
	exe, err := e.exe()
	if err != nil {
		return false, err
	}
	want := content(exe)
	if string(old) == want {
		return false, nil
	}
	return true, writeFile(path, []byte(want))
}
