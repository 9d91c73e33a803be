//go:build !darwin && !windows

package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestXDGEntry(t *testing.T) {
	dir := t.TempDir()
	e := Entry{Exe: "/opt/Advo Logix/advologix-connect", Dir: dir}
	if on, err := e.Enabled(); err != nil || on {
		t.Fatalf("fresh: enabled=%v err=%v", on, err)
	}
	if err := e.Enable(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, AppID+".desktop"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]", "Type=Application", `Exec="/opt/Advo Logix/advologix-connect" tray`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("entry lacks %q:\n%s", want, data)
		}
	}
	if on, _ := e.Enabled(); !on {
		t.Error("not enabled after Enable")
	}
	if err := e.Disable(); err != nil {
		t.Fatal(err)
	}
	if on, _ := e.Enabled(); on {
		t.Error("still enabled after Disable")
	}
	if err := e.Disable(); err != nil {
		t.Errorf("second Disable: %v", err)
	}
}

func TestDesktopQuote(t *testing.T) {
	tests := map[string]string{
		"/usr/bin/advologix-connect": "/usr/bin/advologix-connect",
		"/opt/a b/x":                 `"/opt/a b/x"`,
		`/opt/100%/$x`:               `"/opt/100%%/\\$x"`,
	}
	for in, want := range tests {
		if got := desktopQuote(in); got != want {
			t.Errorf("desktopQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
