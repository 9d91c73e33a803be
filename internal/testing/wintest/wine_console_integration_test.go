//go:build integration

package wintest

import (
	"debug/pe"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
)

// TestSubsystems (issue 24): the command line is a console program (no
// console attach code: Windows gives it its caller's console and
// handles), the desktop program a GUI one (no console window from the
// Start menu).
func TestSubsystems(t *testing.T) {
	for _, tc := range []struct {
		exe  string
		want uint16
	}{
		{suite.exe, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI},
		{suite.desktop, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI},
	} {
		f, err := pe.Open(tc.exe)
		if err != nil {
			t.Fatal(err)
		}
		h, ok := f.OptionalHeader.(*pe.OptionalHeader64)
		f.Close()
		if !ok || h.Subsystem != tc.want {
			t.Errorf("%s: subsystem %+v, want %d", filepath.Base(tc.exe), f.OptionalHeader, tc.want)
		}
	}
}

// TestConsolePrintsToRedirectedStreams: the console command line writes
// to the pipes it is given, stdout and stderr apart, and exits with its
// status.
func TestConsolePrintsToRedirectedStreams(t *testing.T) {
	r := app(t, "", "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "advologix-connect ") || r.stderr != "" {
		t.Errorf("version: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = app(t, "", "check", "--bogus-flag")
	if r.code != cli.ExitUsage || r.stdout != "" || !strings.Contains(r.stderr, "bogus-flag") {
		t.Errorf("a usage error: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestConsoleWithoutTheDesktop: alone in its folder, the command line's
// settings opens nothing and says where the desktop app comes from.
func TestConsoleWithoutTheDesktop(t *testing.T) {
	dir := filepath.Join(suite.scratch, "cli-alone")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(suite.exe)
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(dir, "advologix-connect.exe")
	if err := os.WriteFile(alone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	saved := suite.exe
	suite.exe = alone
	defer func() { suite.exe = saved }()
	r := app(t, "", "settings")
	if r.code != cli.ExitNoDesktop || !strings.Contains(r.stderr, cli.CodeDesktopNotInstalled) ||
		!strings.Contains(r.stderr, "AdvoLogix Connect.exe") || r.stdout != "" {
		t.Errorf("settings without the desktop program: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// msiLayout is a folder holding both programs under the names the MSI
// gives them.
type msiLayout struct{ cli, desktop string }

// installedLikeTheMSI copies the command line and the desktop program into
// a folder of their own as advologix-connect.exe and "AdvoLogix
// Connect.exe", the names packaging/windows/advologix-connect.wxs installs.
func installedLikeTheMSI(t *testing.T) msiLayout {
	t.Helper()
	dir := filepath.Join(suite.scratch, "AdvoLogix Connect")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	l := msiLayout{cli: filepath.Join(dir, "advologix-connect.exe"), desktop: filepath.Join(dir, "AdvoLogix Connect.exe")}
	for src, dst := range map[string]string{suite.exe: l.cli, suite.desktop: l.desktop} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return l
}
