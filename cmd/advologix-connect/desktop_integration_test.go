//go:build integration

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
)

// TestOpensTheDesktopBesideIt: no command, settings and tray hand over to
// the program named advologix-connect-desktop in the command line's own
// folder, in place of the command line (same process ID), with the mode
// as its one argument and nothing else on its command line. A stand-in
// plays the desktop program: it prints its process ID and arguments.
func TestOpensTheDesktopBesideIt(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "advologix-connect")
	linkOrCopy(t, appBin(t), bin)
	standIn := "#!/bin/sh\necho \"desktop pid=$$ args=$*\"\n"
	if err := os.WriteFile(filepath.Join(dir, "advologix-connect-desktop"), []byte(standIn), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "args=settings"},
		{[]string{"settings"}, "args=settings"},
		{[]string{"tray"}, "args=tray"},
	} {
		t.Run(strings.Join(append([]string{"cmd"}, tc.args...), " "), func(t *testing.T) {
			cmd := exec.Command(bin, tc.args...)
			cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if code := exitCode(t, err); code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
			}
			want := fmt.Sprintf("desktop pid=%d %s\n", cmd.Process.Pid, tc.want)
			if string(out) != want || stderr.Len() > 0 {
				t.Errorf("stdout %q, stderr %q; want stdout %q and no stderr", out, stderr.String(), want)
			}
		})
	}
}

// TestSaysWhereToGetTheDesktop: without the desktop program beside it,
// no command, settings and tray open nothing, say where the desktop app
// comes from, and exit with ExitNoDesktop; the command line's own
// commands work as ever.
func TestSaysWhereToGetTheDesktop(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "advologix-connect")
	linkOrCopy(t, appBin(t), bin)
	for _, args := range [][]string{nil, {"settings"}, {"tray"}} {
		t.Run(strings.Join(append([]string{"cmd"}, args...), " "), func(t *testing.T) {
			cmd := exec.Command(bin, args...)
			cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if code := exitCode(t, cmd.Run()); code != cli.ExitNoDesktop {
				t.Errorf("exit %d, want %d (ExitNoDesktop)", code, cli.ExitNoDesktop)
			}
			for _, want := range []string{cli.CodeDesktopNotInstalled, "advologix-connect-desktop", dir, "MSI", ".deb"} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout %q, want none", stdout.String())
			}
		})
	}
	out, err := exec.Command(bin, "version").Output()
	if exitCode(t, err) != 0 || !strings.HasPrefix(string(out), "advologix-connect ") {
		t.Errorf("version without the desktop: %q, %v", out, err)
	}
}

// linkOrCopy puts the program src at dst.
func linkOrCopy(t *testing.T, src, dst string) {
	t.Helper()
	if os.Link(src, dst) == nil {
		return
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o755); err != nil {
		t.Fatal(err)
	}
}
