//go:build !darwin && !windows

package autostart

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestMigrate: an entry written by a version whose tray was the command
// line (`advologix-connect tray`) is moved onto the desktop program; a
// current entry is left as it is; no entry stays no entry.
func TestMigrate(t *testing.T) {
	const desktopExe = "/opt/advologix-connect/advologix-connect-desktop"
	for _, tc := range []struct {
		name      string
		old       string // the entry file before; "" for none
		rewritten bool
	}{
		{name: "no entry"},
		{name: "the old command line's entry", old: content("/usr/bin/advologix-connect"), rewritten: true},
		{name: "an entry of another copy", old: content("/home/u/bin/advologix-connect-desktop"), rewritten: true},
		{name: "a current entry", old: content(desktopExe)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, AppID+".desktop")
			if tc.old != "" {
				if err := os.WriteFile(path, []byte(tc.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			e := Entry{Exe: desktopExe, Dir: dir}
			rewritten, err := e.Migrate()
			if err != nil || rewritten != tc.rewritten {
				t.Fatalf("Migrate = %v, %v; want %v, nil", rewritten, err, tc.rewritten)
			}
			data, err := os.ReadFile(path)
			if tc.old == "" {
				if !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("an entry appeared (%v): start at login was off", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != content(desktopExe) {
				t.Errorf("entry after Migrate:\n%s\nwant:\n%s", data, content(desktopExe))
			}
		})
	}
}
