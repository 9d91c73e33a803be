package testfix

import (
	"io/fs"
	"os"
	"testing"
)

// SharedTempDir is a new temp folder with mode perm (0o755: other users
// can traverse it, 0o777: write in it too; t.TempDir's folder is private
// to its owner), removed at cleanup.
func SharedTempDir(tb testing.TB, prefix string, perm fs.FileMode) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, perm); err != nil {
		tb.Fatal(err)
	}
	return dir
}
