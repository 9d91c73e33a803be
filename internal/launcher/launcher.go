// Package launcher finds and starts the desktop app
// (cmd/advologix-connect-desktop) from the command line
// (cmd/advologix-connect): `advologix-connect`, `advologix-connect
// settings` and `advologix-connect tray` hand over to the desktop program
// installed beside the command line, so the command line itself carries
// no GUI toolkit, no cgo and no OpenGL.
//
// Only the mode ("settings" or "tray") travels on the desktop program's
// command line; no secret ever does.
package launcher

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNotInstalled is Find's error when no desktop program is beside the
// command line.
var ErrNotInstalled = errors.New("the desktop app is not installed beside the command line")

// Find returns the path of the desktop program in dir: the first of
// [Names] that is a regular file there. Its error wraps ErrNotInstalled
// when there is none.
func Find(dir string) (string, error) {
	for _, name := range Names {
		path := filepath.Join(dir, name)
		info, err := os.Stat(path)
		switch {
		case err == nil && info.Mode().IsRegular():
			return path, nil
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("look for the desktop app: %w", err)
		}
	}
	return "", fmt.Errorf("%w (looked for %s in %s)", ErrNotInstalled, Names[0], dir)
}

// Dir is the folder of the running program, symbolic links resolved (a
// /usr/bin link to /opt/advologix-connect/advologix-connect finds the
// desktop program in /opt/advologix-connect).
func Dir() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find this program: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Dir(exe), nil
}
