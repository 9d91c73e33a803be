package credstore

import (
	"os"
	"path/filepath"
	"testing"
)

// The stale temporary files of settings.json are found by name, not by a
// pattern: a settings folder whose name holds "*" or "[" removes nothing
// in the folders that pattern would match.
func TestRemoveStaleTempsIsNoGlob(t *testing.T) {
	for _, name := range []string{"a*", "a?", "[ab]"} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			dir, sibling := filepath.Join(root, name), filepath.Join(root, "ab")
			for _, d := range []string{dir, sibling} {
				if err := os.Mkdir(d, 0o700); err != nil && !os.IsExist(err) {
					t.Fatal(err)
				}
			}
			bystander := filepath.Join(sibling, "settings.json.tmp-123")
			own := filepath.Join(dir, "settings.json.tmp-456")
			for _, p := range []string{bystander, own} {
				if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := writeFileAtomic(filepath.Join(dir, "settings.json"), []byte("{}")); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(bystander); err != nil {
				t.Errorf("a file of another folder was removed: %v", err)
			}
			if _, err := os.Stat(own); err == nil {
				t.Error("the folder's own stale temporary file was kept")
			}
		})
	}
}
