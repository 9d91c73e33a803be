//go:build !windows

package browser

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestOpenRunsBrowserEnv(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "got")
	script := filepath.Join(dir, "browser.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf %s \"$1\" > "+out+".tmp && mv "+out+".tmp "+out+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	const u = "https://example.test/a?b=c"
	if err := open(u, script, runtime.GOOS); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := os.ReadFile(out)
		if err == nil {
			if string(got) != u {
				t.Errorf("browser got %q", got)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the $BROWSER command never ran")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// No browser: an error in plain words, which errors.Is can tell.
func TestOpenWithoutBrowser(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := open("https://example.test/", "", "linux")
	if !errors.Is(err, ErrNoBrowser) {
		t.Fatalf("err = %v, want ErrNoBrowser", err)
	}
	if msg := err.Error(); strings.Contains(msg, "exec:") || strings.Contains(msg, "$PATH") || !strings.Contains(msg, "no web browser") {
		t.Errorf("message %q", msg)
	}
}
