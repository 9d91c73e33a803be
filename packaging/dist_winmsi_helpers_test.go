//go:build disttest

package packaging

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/wintest"
)

// buildMSI builds out with windows/msi.sh from dist's two exes, as
// version (MSI_VERSION), from the WiX source wxs ("" for the current
// one; else relative to this folder).
func buildMSI(t *testing.T, ctx context.Context, out, version, wxs string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "./windows/msi.sh", one(t, "advologix-connect.exe"), one(t, "advologix-connect-desktop.exe"), out)
	cmd.Env = append(os.Environ(), "MSI_VERSION="+version)
	if wxs != "" {
		abs, err := filepath.Abs(wxs)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Env = append(cmd.Env, "MSI_WXS="+abs)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("msi.sh (version %s, %q): %v\n%s", version, wxs, err, out)
	}
}

// shortcuts are the app's Start-menu shortcuts in the prefix.
// ProgramMenuFolder is All Users' Programs on Windows; Wine 8 resolves it
// to the installing user's even for a per-machine package: both are
// looked in.
func shortcuts(t *testing.T, w *wintest.Wine) []string {
	t.Helper()
	var lnks []string
	for _, dir := range []string{filepath.Join(w.Prefix, "drive_c", "ProgramData"), w.AppData()} {
		p := filepath.Join(dir, "Microsoft", "Windows", "Start Menu", "Programs", "AdvoLogix Connect.lnk")
		if _, err := os.Stat(p); err == nil {
			lnks = append(lnks, p)
		}
	}
	return lnks
}

// lnkTargets tells whether the shortcut file lnk names the file name (in
// its ANSI or UTF-16 strings).
func lnkTargets(t *testing.T, lnk, name string) bool {
	t.Helper()
	data, err := os.ReadFile(lnk)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(data, []byte(name)) || bytes.Contains(data, utf16le(name))
}
