package testfix

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// AssertNoSecretsInDir fails tb for every regular file under dir (up to
// 64 MiB each) that contains one of secrets: a settings folder, a HOME, a
// session's temp tree. Files that vanish or cannot be read while it walks
// (sockets, a daemon's private files) are passed over.
func AssertNoSecretsInDir(tb testing.TB, dir string, secrets ...string) {
	tb.Helper()
	if dir == "" {
		tb.Fatal("no directory to search")
	}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			if os.IsNotExist(err) || os.IsPermission(err) {
				return nil
			}
			return err
		}
		if !info.Mode().IsRegular() || info.Size() > 64<<20 {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for _, s := range secrets {
			if s != "" && bytes.Contains(data, []byte(s)) {
				tb.Errorf("%s contains a secret", path)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}
