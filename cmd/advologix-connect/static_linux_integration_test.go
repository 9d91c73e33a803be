//go:build integration && linux

package main

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testbin"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// TestStaticBinary: the command line as built for release is a static
// executable: no program interpreter (ld.so), no shared library.
func TestStaticBinary(t *testing.T) {
	f, err := elf.Open(appBin(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: it is dynamically linked", p.Type)
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("the binary needs shared libraries %v (%v)", libs, err)
	}
}

// desktopLibraries are the files of libGL and libX11 on this machine,
// symbolic links resolved: what a headless server or a minimal container
// does not have.
func desktopLibraries(t *testing.T) []string {
	t.Helper()
	var libs []string
	for _, pattern := range []string{"/usr/lib/*/libGL.so*", "/usr/lib/*/libX11.so*", "/lib/*/libGL.so*", "/lib/*/libX11.so*"} {
		matches, _ := filepath.Glob(pattern)
		for _, m := range matches {
			if real, err := filepath.EvalSymlinks(m); err == nil && !slices.Contains(libs, real) {
				libs = append(libs, real)
			}
		}
	}
	if len(libs) < 2 {
		t.Fatalf("libGL and libX11 not found (%v): the desktop program's tests need them (scripts/ensure-deps.sh build)", libs)
	}
	return libs
}

// withoutDesktopLibraries runs bin with args in a private mount namespace
// of an unprivileged user namespace (unshare), in which every file of
// libGL and libX11 is an empty file (/dev/null mounted over it): the
// machine as a headless server is, for this one process.
func withoutDesktopLibraries(t *testing.T, libs []string, stdin string, bin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	script := `set -e
for lib in $MASK; do mount --bind /dev/null "$lib"; done
exec "$@"`
	cmd := exec.Command("unshare", append([]string{"--user", "--map-root-user", "--mount", "--", "sh", "-c", script, "sh", bin}, args...)...)
	cmd.Env = []string{"MASK=" + strings.Join(libs, " "), "HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	return exitCode(t, cmd.Run()), o.String(), e.String()
}

// TestRunsWithoutDesktopLibraries (issue 24): with libGL and libX11 gone,
// the desktop program cannot start (which proves them gone), while the
// command line prints its version and checks a login against the
// emulator as ever.
func TestRunsWithoutDesktopLibraries(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Fatal("unshare is missing (util-linux)")
	}
	libs := desktopLibraries(t)
	bin := appBin(t)

	desktop := testbin.Build(t, testbin.DesktopPkg)
	code, _, stderr := withoutDesktopLibraries(t, libs, "", desktop, "version")
	if code != 127 || !strings.Contains(stderr, "error while loading shared libraries") {
		t.Fatalf("the desktop program without libGL and libX11: exit %d, stderr %q; want 127, a loader error (are they masked?)", code, stderr)
	}

	code, stdout, stderr := withoutDesktopLibraries(t, libs, "", bin, "version")
	if code != 0 || !strings.HasPrefix(stdout, "advologix-connect ") || stderr != "" {
		t.Errorf("version: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	e := testfix.StartEmulator(t, nil)
	code, stdout, stderr = withoutDesktopLibraries(t, libs, testfix.JanePassword+"\n"+testfix.JaneToken+"\n", bin,
		"check", "--json", "--password-stdin", "--login-url", e.URL(), "--username", testfix.JaneUsername, "--ca-file", e.CAFile)
	var got struct {
		OK       bool   `json:"ok"`
		Username string `json:"username"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 || !got.OK || got.Username != testfix.JaneUsername {
		t.Errorf("check: exit %d, %+v (%v)\nstdout: %s\nstderr: %s", code, got, err, stdout, stderr)
	}
}
