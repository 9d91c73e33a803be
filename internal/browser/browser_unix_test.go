//go:build !windows

package browser

import (
	"os"
	"path/filepath"
	"runtime"
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
