// Package autostart starts the app in the tray when the user logs in: an XDG
// autostart entry on Linux and BSD, a LaunchAgent on macOS, a Run registry
// value on Windows. Each points at the running executable with the "tray"
// argument: the desktop app (cmd/advologix-connect-desktop), which is the
// one that writes them.
//
// Versions before the desktop app was a program of its own wrote entries
// that start the command line, `advologix-connect tray`. Those keep
// working (the command line hands "tray" to the desktop program beside
// it), and the desktop app moves them onto itself when it starts
// ([Entry.Migrate]): no console program is started at login on Windows,
// and an entry left pointing at a removed or moved program is mended the
// next time the user opens the app.
package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// AppID names the autostart entry.
const AppID = "com.advologix.connect"

// Entry is the autostart entry of one executable.
type Entry struct {
	// Exe is the program to start; default: the running executable.
	Exe string
	// Dir overrides where the entry file goes (tests); default: the
	// platform's place.
	Dir string
}

func (e Entry) exe() (string, error) {
	if e.Exe != "" {
		return e.Exe, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find this program: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return exe, nil
}

// writeFile writes data atomically with mode 0644 (entries are not secret).
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("autostart folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".autostart-*")
	if err != nil {
		return fmt.Errorf("autostart entry: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("autostart entry: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("autostart entry: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("autostart entry: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("autostart entry: %w", err)
	}
	return nil
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("remove autostart entry: %w", err)
	}
	return nil
}

func exists(path string) (bool, error) {
	_, err := os.Stat(path)
	switch {
	case err == nil:
		return true, nil
	case os.IsNotExist(err):
		return false, nil
	}
	return false, fmt.Errorf("autostart entry: %w", err)
}
