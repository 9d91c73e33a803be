//go:build !windows

package credstore

import (
	"os"
	"path/filepath"
	"testing"
)

// Unix file modes; Windows keeps the settings private with the user
// profile's ACLs.
func TestFileModesAndNoLeftovers(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "advologix-connect")
	s := openTest(t, dir, newMem())
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatal("Open created the folder; it should wait for the first write")
	}
	mustSave(t, s, prof("a"), Secrets{Password: "pw"})
	check := func() {
		t.Helper()
		for path, want := range map[string]os.FileMode{
			dir:                                 0o700,
			s.Path():                            0o600,
			filepath.Join(dir, "settings.lock"): 0o600,
		} {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != want {
				t.Errorf("%s mode %o, want %o", path, got, want)
			}
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if n := e.Name(); n != "settings.json" && n != "settings.lock" {
				t.Errorf("leftover file %s", n)
			}
		}
	}
	check()

	// Too-open modes set by someone else are narrowed on the next write.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDefault("a"); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePrefs(Prefs{StartInTray: true}); err != nil {
		t.Fatal(err)
	}
	check()
}
