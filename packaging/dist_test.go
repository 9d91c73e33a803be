//go:build disttest

// The built packages, installed, run and removed: `make dist-test` after
// `make dist`. ADVOLOGIX_DIST names the folder; a missing package is a
// failure.
package packaging

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// testfix's Jane, the user of the emulated org.
const (
	user  = testfix.JaneUsername
	pass  = testfix.JanePassword
	token = testfix.JaneToken
)

func distDir(t *testing.T) string {
	t.Helper()
	d := os.Getenv("ADVOLOGIX_DIST")
	if d == "" {
		t.Fatal("ADVOLOGIX_DIST is not set: run make dist-test")
	}
	return d
}

// one finds the single file matching pattern in dist.
func one(t *testing.T, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(distDir(t), pattern))
	if len(m) != 1 {
		t.Fatalf("want one %s in %s, found %v: run make dist", pattern, distDir(t), m)
	}
	return m[0]
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// asRoot runs a command as root (dpkg -i needs it): directly when this is
// root, else through sudo.
func asRoot(t *testing.T, name string, args ...string) string {
	t.Helper()
	if os.Geteuid() == 0 {
		return run(t, name, args...)
	}
	return run(t, "sudo", append([]string{"-n", name}, args...)...)
}

func appVersion(t *testing.T) (version, build string) {
	t.Helper()
	data, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	v := regexp.MustCompile(`(?m)^Version = "([^"]+)"`).FindSubmatch(data)
	b := regexp.MustCompile(`(?m)^Build = ([0-9]+)`).FindSubmatch(data)
	if v == nil || b == nil {
		t.Fatal("FyneApp.toml lacks Version or Build")
	}
	return string(v[1]), string(b[1])
}

func sum(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}

// The .tar.xz is fyne's layout around the desktop program `make build`
// built, with the command line beside it: its Makefile installs both
// into one folder, and the menu entry starts the desktop program.
func TestTarball(t *testing.T) {
	tarball := one(t, "advologix-connect-*-linux-amd64.tar.xz")
	list := run(t, "tar", "-tJf", tarball)
	for _, want := range []string{"advologix-connect/usr/local/bin/advologix-connect\n", "advologix-connect/usr/local/bin/advologix-connect-desktop\n",
		".desktop", "usr/local/share/pixmaps/", "advologix-connect/Makefile"} {
		if !strings.Contains(list, want) {
			t.Errorf("the tarball lacks %s:\n%s", strings.TrimSpace(want), list)
		}
	}
	dir := t.TempDir()
	run(t, "tar", "-xJf", tarball, "-C", dir)
	top := filepath.Join(dir, "advologix-connect")
	dest := t.TempDir()
	run(t, "make", "-C", top, "install", "DESTDIR="+dest, "PREFIX=/usr/local")
	for _, name := range []string{"advologix-connect", "advologix-connect-desktop"} {
		for _, bin := range []string{filepath.Join(top, "usr", "local", "bin", name), filepath.Join(dest, "usr", "local", "bin", name)} {
			if _, err := os.Stat(bin); err != nil || sum(t, bin) != sum(t, "../bin/"+name) {
				t.Errorf("%s is not bin/%s (built twice?): %v", bin, name, err)
			}
		}
	}
	entry, err := os.ReadFile(filepath.Join(dest, "usr", "local", "share", "applications", "com.advologix.connect.desktop"))
	if err != nil || !bytes.Contains(entry, []byte("\nExec=advologix-connect-desktop\n")) {
		t.Errorf("the installed menu entry does not start the desktop program (%v):\n%s", err, entry)
	}
}

// The .deb installs with dpkg -i, declares every library the binary links,
// its advologix-connect runs, and dpkg -r leaves none of its files.
func TestDeb(t *testing.T) {
	deb := one(t, "advologix-connect_*_amd64.deb")
	version, build := appVersion(t)
	info := run(t, "dpkg-deb", "-f", deb, "Package", "Version", "Depends")
	if !strings.Contains(info, "Package: advologix-connect") || !strings.Contains(info, "Version: "+version+"-"+build) {
		t.Errorf("control: %s", info)
	}
	depends := regexp.MustCompile(`Depends: (.*)`).FindStringSubmatch(info)
	if depends == nil {
		t.Fatalf("no Depends: %s", info)
	}
	var declared []string
	for _, d := range strings.Split(depends[1], ",") {
		declared = append(declared, strings.Fields(d)[0])
	}

	// Every shared library the desktop program needs comes from a
	// declared package; the command line needs none.
	x := t.TempDir()
	run(t, "dpkg-deb", "-x", deb, x)
	if libs := importedLibraries(t, filepath.Join(x, "usr", "bin", "advologix-connect")); len(libs) > 0 {
		t.Errorf("the command line links %v: it must be static", libs)
	}
	libs := importedLibraries(t, filepath.Join(x, "usr", "bin", "advologix-connect-desktop"))
	if len(libs) == 0 {
		t.Fatal("the desktop program links no library: is it the desktop program?")
	}
	for _, lib := range libs {
		owner := ""
		for _, dir := range []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib"} {
			if out, err := exec.Command("dpkg", "-S", filepath.Join(dir, lib)).Output(); err == nil {
				owner = strings.SplitN(string(out), ":", 2)[0]
				break
			}
		}
		if owner == "" {
			t.Errorf("no installed package owns %s", lib)
		} else if !slices.Contains(declared, owner) && !slices.Contains(declared, strings.TrimSuffix(owner, "-dev")) {
			t.Errorf("%s (from %s) is not in Depends: %s", lib, owner, depends[1])
		}
	}

	if exec.Command("dpkg", "-s", "advologix-connect").Run() == nil {
		t.Fatal("advologix-connect is already installed on this machine; remove it first (dpkg -r advologix-connect)")
	}
	asRoot(t, "dpkg", "-i", deb)
	installed := true
	t.Cleanup(func() {
		if installed {
			asRoot(t, "dpkg", "-r", "advologix-connect")
		}
	})
	files := strings.Fields(run(t, "dpkg", "-L", "advologix-connect"))
	for _, want := range []string{"/usr/bin/advologix-connect", "/usr/bin/advologix-connect-desktop", "/usr/share/applications/com.advologix.connect.desktop",
		"/usr/share/icons/hicolor/48x48/apps/com.advologix.connect.png", "/usr/share/icons/hicolor/scalable/apps/com.advologix.connect.svg"} {
		if !slices.Contains(files, want) {
			t.Errorf("the package does not install %s", want)
		}
	}
	desktop, err := os.ReadFile("/usr/share/applications/com.advologix.connect.desktop")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Name=AdvoLogix Connect", "\nExec=advologix-connect-desktop\n", "Icon=com.advologix.connect", "Type=Application"} {
		if !bytes.Contains(desktop, []byte(want)) {
			t.Errorf(".desktop lacks %s:\n%s", want, desktop)
		}
	}
	for _, name := range []string{"advologix-connect", "advologix-connect-desktop"} {
		for _, lang := range []string{"en_US.UTF-8", "C"} {
			cmd := exec.Command("/usr/bin/"+name, "version")
			cmd.Env = append(os.Environ(), "LANG="+lang, "LC_ALL="+lang)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), name+" ") {
				t.Errorf("installed %s version (LANG=%s): %v %q", name, lang, err, out)
			}
		}
	}

	asRoot(t, "dpkg", "-r", "advologix-connect")
	installed = false
	if exec.Command("dpkg", "-s", "advologix-connect").Run() == nil {
		t.Error("still installed after dpkg -r")
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && !st.IsDir() {
			t.Errorf("%s is left after dpkg -r", f)
		}
	}
}

// importedLibraries are the shared libraries the ELF program at path needs.
func importedLibraries(t *testing.T, path string) []string {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatalf("%s: imported libraries: %v", path, err)
	}
	return libs
}
