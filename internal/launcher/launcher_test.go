package launcher

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestFind(t *testing.T) {
	for _, tc := range []struct {
		name   string
		files  []string // regular files in the folder
		dirs   []string // folders in the folder
		want   string   // "" when none is found
		absent bool     // the error is ErrNotInstalled
	}{
		{name: "empty folder", absent: true},
		{name: "only the command line", files: []string{"advologix-connect", "advologix-connect.exe"}, absent: true},
		{name: "the desktop program", files: []string{Names[0]}, want: Names[0]},
		{name: "every name: the first wins", files: Names, want: Names[0]},
		{name: "the last name alone", files: []string{Names[len(Names)-1]}, want: Names[len(Names)-1]},
		{name: "a folder of that name is not it", dirs: []string{Names[0]}, absent: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			for _, d := range tc.dirs {
				if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Find(dir)
			if tc.absent {
				if !errors.Is(err, ErrNotInstalled) || got != "" {
					t.Fatalf("Find = %q, %v; want ErrNotInstalled", got, err)
				}
				return
			}
			if err != nil || got != filepath.Join(dir, tc.want) {
				t.Fatalf("Find = %q, %v; want %q", got, err, filepath.Join(dir, tc.want))
			}
		})
	}
}

func TestDirIsThisTestBinarysFolder(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	exe, _ = filepath.EvalSymlinks(exe)
	if dir != filepath.Dir(exe) {
		t.Errorf("Dir = %q, want %q", dir, filepath.Dir(exe))
	}
}
