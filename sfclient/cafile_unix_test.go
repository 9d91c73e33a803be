//go:build unix

package sfclient_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/sfclient"
)

// Item 11: a CA file that is a FIFO or a device neither hangs nor is read.
func TestCAFileMustBeRegular(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "ca.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, "/dev/zero", t.TempDir()} {
		done := make(chan error, 1)
		go func() {
			_, err := sfclient.New(sfclient.Config{LoginURL: "https://login.salesforce.com", CAFile: p, Timeout: time.Second})
			done <- err
		}()
		select {
		case err := <-done:
			var ce *sfclient.ConfigError
			if !errors.As(err, &ce) || ce.Field != "ca-file" || !strings.Contains(ce.Reason, "regular file") {
				t.Errorf("%s: err = %v", p, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: New still blocked after 5 s", p)
		}
	}
	big := filepath.Join(t.TempDir(), "big.pem")
	if err := os.WriteFile(big, make([]byte, 5<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sfclient.New(sfclient.Config{LoginURL: "https://login.salesforce.com", CAFile: big}); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("5 MiB CA file: %v", err)
	}
}
