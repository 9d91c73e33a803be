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
	"debug/pe"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/internal/testing/wintest"
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

// The .tar.xz is fyne's layout, around the binary `make build` built.
func TestTarball(t *testing.T) {
	tarball := one(t, "advologix-connect-*-linux-amd64.tar.xz")
	list := run(t, "tar", "-tJf", tarball)
	for _, want := range []string{"usr/local/bin/advologix-connect", ".desktop", "usr/local/share/pixmaps/", "Makefile"} {
		if !strings.Contains(list, want) {
			t.Errorf("the tarball lacks %s:\n%s", want, list)
		}
	}
	dir := t.TempDir()
	run(t, "tar", "-xJf", tarball, "-C", dir)
	bins, _ := filepath.Glob(filepath.Join(dir, "*", "usr", "local", "bin", "advologix-connect"))
	if len(bins) == 0 {
		bins, _ = filepath.Glob(filepath.Join(dir, "usr", "local", "bin", "advologix-connect"))
	}
	if len(bins) != 1 || sum(t, bins[0]) != sum(t, "../bin/advologix-connect") {
		t.Errorf("the tarball's binary %v is not bin/advologix-connect (built twice?)", bins)
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

	// Every shared library the binary needs comes from a declared package.
	x := t.TempDir()
	run(t, "dpkg-deb", "-x", deb, x)
	f, err := elf.Open(filepath.Join(x, "usr", "bin", "advologix-connect"))
	if err != nil {
		t.Fatal(err)
	}
	libs, err := f.ImportedLibraries()
	f.Close()
	if err != nil || len(libs) == 0 {
		t.Fatalf("imported libraries: %v %v", libs, err)
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
	for _, want := range []string{"/usr/bin/advologix-connect", "/usr/share/applications/com.advologix.connect.desktop",
		"/usr/share/icons/hicolor/48x48/apps/com.advologix.connect.png", "/usr/share/icons/hicolor/scalable/apps/com.advologix.connect.svg"} {
		if !slices.Contains(files, want) {
			t.Errorf("the package does not install %s", want)
		}
	}
	desktop, err := os.ReadFile("/usr/share/applications/com.advologix.connect.desktop")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Name=AdvoLogix Connect", "Exec=advologix-connect", "Icon=com.advologix.connect", "Type=Application"} {
		if !bytes.Contains(desktop, []byte(want)) {
			t.Errorf(".desktop lacks %s:\n%s", want, desktop)
		}
	}
	for _, lang := range []string{"en_US.UTF-8", "C"} {
		cmd := exec.Command("/usr/bin/advologix-connect", "version")
		cmd.Env = append(os.Environ(), "LANG="+lang, "LC_ALL="+lang)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "advologix-connect ") {
			t.Errorf("installed advologix-connect version (LANG=%s): %v %q", lang, err, out)
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

// The exe carries its icon, manifest and version resource; exe and MSI
// are Authenticode-signed and verify against the throw-away root, and the
// exe inside the MSI is the signed one.
func TestWindowsSignedAndResources(t *testing.T) {
	exe := one(t, "advologix-connect.exe")
	msi := one(t, "AdvoLogix-Connect-*-x64.msi")
	version, build := appVersion(t)
	kinds := resourceTypes(t, exe)
	for id, name := range map[uint32]string{3: "RT_ICON", 14: "RT_GROUP_ICON", 16: "RT_VERSION", 24: "RT_MANIFEST"} {
		if !slices.Contains(kinds, id) {
			t.Errorf("the exe has no %s resource (has %v)", name, kinds)
		}
	}
	data, _ := os.ReadFile(exe)
	for _, s := range []string{"AdvoLogix Connect", "com.advologix.connect", version + "." + build, "advologix-connect.exe"} {
		if !bytes.Contains(data, utf16le(s)) {
			t.Errorf("the version resource lacks %q", s)
		}
	}
	ca := filepath.Join(distDir(t), "test-signing", "cert.pem")
	for _, f := range []string{exe, msi} {
		out := run(t, "osslsigncode", "verify", "-CAfile", ca, "-in", f)
		if !strings.Contains(out, "Signature verification: ok") || !strings.Contains(out, "TEST SIGNING") {
			t.Errorf("%s: %s", f, out)
		}
		// Without the throw-away root it must not verify: the check has teeth.
		if err := exec.Command("osslsigncode", "verify", "-in", f).Run(); err == nil {
			t.Errorf("%s verifies without its self-signed root", f)
		}
	}
	x := t.TempDir()
	run(t, "msiextract", "-C", x, msi)
	inner, _ := filepath.Glob(filepath.Join(x, "*", "advologix-connect.exe"))
	if len(inner) != 1 || sum(t, inner[0]) != sum(t, exe) {
		t.Errorf("the MSI's exe %v is not the signed dist exe", inner)
	}
}

// A release signs with the builder's PKCS#12 and a password read from a
// file (never argv): sign.sh with ADVOLOGIX_SIGN_PFX signs, and then
// refuses what does not verify against the system's roots, as a
// self-made certificate does not.
func TestReleaseSigning(t *testing.T) {
	dir := t.TempDir()
	key, cert, pfx, passFile := filepath.Join(dir, "k.pem"), filepath.Join(dir, "c.pem"), filepath.Join(dir, "r.pfx"), filepath.Join(dir, "pass")
	if err := os.WriteFile(passFile, []byte("s3cret-pfx-pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Release Test", "-keyout", key, "-out", cert)
	run(t, "openssl", "pkcs12", "-export", "-inkey", key, "-in", cert, "-out", pfx, "-passout", "file:"+passFile)
	exe := filepath.Join(dir, "app.exe")
	data, err := os.ReadFile(one(t, "advologix-connect.exe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("./sign.sh", exe)
	cmd.Env = append(os.Environ(), "ADVOLOGIX_SIGN_PFX="+pfx, "ADVOLOGIX_SIGN_PASSWORD_FILE="+passFile)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "does not verify") || strings.Contains(string(out), "s3cret-pfx-pass") {
		t.Errorf("sign.sh with an untrusted release certificate: %v\n%s", err, out)
	}
	if v := run(t, "osslsigncode", "verify", "-CAfile", cert, "-in", exe); !strings.Contains(v, "Subject: /CN=Release Test") {
		t.Errorf("not signed with the PKCS#12's certificate:\n%s", v)
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// resourceTypes lists the type IDs at the root of the exe's resource tree.
func resourceTypes(t *testing.T, path string) []uint32 {
	t.Helper()
	f, err := pe.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := f.Section(".rsrc")
	if s == nil {
		t.Fatal("the exe has no .rsrc section")
	}
	d, err := s.Data()
	if err != nil || len(d) < 16 {
		t.Fatalf(".rsrc: %v", err)
	}
	named, ids := binary.LittleEndian.Uint16(d[12:]), binary.LittleEndian.Uint16(d[14:])
	var out []uint32
	for i := 0; i < int(named)+int(ids); i++ {
		off := 16 + 8*i
		if off+8 > len(d) {
			break
		}
		out = append(out, binary.LittleEndian.Uint32(d[off:]))
	}
	return out
}

const policyKey = `HKLM\SOFTWARE\Policies\AdvoLogix\Connect`

// The MSI under Wine: silent per-machine install (Program Files, Start
// menu, Apps & features), the installed exe's version and check against
// the emulator, the registry policy (HKLM above HKCU, the .reg example), a
// newer MSI replacing it, and a silent uninstall that leaves nothing.
func TestMSIUnderWine(t *testing.T) {
	msi := one(t, "AdvoLogix-Connect-*-x64.msi")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	w, err := wintest.New(ctx, filepath.Join(t.TempDir(), "prefix"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Shutdown)
	wine := func(args ...string) (string, string, int) {
		t.Helper()
		o, e, code, err := w.Output(ctx, args[0], args[1:]...)
		if err != nil {
			t.Fatalf("wine %v: %v\n%s%s", args, err, o, e)
		}
		return o, e, code
	}
	mustWine := func(args ...string) string {
		t.Helper()
		o, e, code := wine(args...)
		if code != 0 {
			t.Fatalf("wine %v: exit %d\n%s%s", args, code, o, e)
		}
		return o
	}
	productCode := func(msi string) string {
		m := regexp.MustCompile(`ProductCode\t(\{[0-9A-F-]+\})`).FindStringSubmatch(run(t, "msiinfo", "export", msi, "Property"))
		if m == nil {
			t.Fatalf("no ProductCode in %s", msi)
		}
		return m[1]
	}
	uninstallKey := func(code string) string {
		return `HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\` + code
	}

	drive := filepath.Join(w.Prefix, "drive_c")
	exe := filepath.Join(drive, "Program Files", "AdvoLogix Connect", "advologix-connect.exe")
	mustWine("msiexec", "/i", wintest.WinPath(msi), "/qn")
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("after the silent install: %v", err)
	}
	// ProgramMenuFolder: All Users' Programs on Windows; Wine 8 resolves
	// it to the installing user's even for a per-machine package.
	var lnk string
	for _, dir := range []string{filepath.Join(drive, "ProgramData"), filepath.Join(w.AppData())} {
		p := filepath.Join(dir, "Microsoft", "Windows", "Start Menu", "Programs", "AdvoLogix Connect.lnk")
		if _, err := os.Stat(p); err == nil {
			lnk = p
		}
	}
	if lnk == "" {
		t.Fatal("no Start-menu shortcut after the silent install")
	}
	t.Logf("Start-menu shortcut: %s", lnk)
	if lnkData, _ := os.ReadFile(lnk); !bytes.Contains(lnkData, []byte("advologix-connect.exe")) && !bytes.Contains(lnkData, utf16le("advologix-connect.exe")) {
		t.Error("the shortcut does not point at advologix-connect.exe")
	}
	code1 := productCode(msi)
	if name, ok, err := w.RegQuery(ctx, uninstallKey(code1), "DisplayName"); err != nil || !ok || name != "AdvoLogix Connect" {
		t.Errorf("Apps & features entry: %q %v %v", name, ok, err)
	}

	o, e, code := wine(exe, "version")
	if code != 0 || !strings.HasPrefix(o, "advologix-connect ") {
		t.Errorf("installed exe version: exit %d %q %q", code, o, e)
	}

	srv := testfix.StartEmulator(t, nil)
	ca := wintest.WinPath(srv.CAFile)
	check := func(stdin string, args ...string) (map[string]any, int, string) {
		t.Helper()
		cmd := w.Command(ctx, exe, append([]string{"check", "--json"}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatalf("check: not JSON (exit %d): %q %q", code, out.String(), errb.String())
		}
		return m, code, errb.String()
	}
	m, code, _ := check(pass+"\n"+token+"\n", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
	if code != 0 || m["ok"] != true || m["user_full_name"] != "Jane Doe" {
		t.Errorf("installed exe check: exit %d %v", code, m)
	}
	m, code, _ = check(pass+"\nWrongToken\n", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
	if code != 1 || m["code"] != "INVALID_LOGIN" {
		t.Errorf("check with a wrong token: exit %d %v", code, m)
	}

	// Policy: HKLM locks the login URL and the CA file; HKCU's own login
	// URL loses to it, its proxy (not set in HKLM) applies.
	for _, v := range [][3]string{{"login_url", "REG_SZ", srv.URL()}, {"ca_file", "REG_SZ", ca}, {"locked", "REG_MULTI_SZ", `login_url\0ca_file`},
		{"methods", "REG_MULTI_SZ", `soap\0oauth-browser`}, {"start_in_tray", "REG_DWORD", "1"}} {
		if err := w.RegAdd(ctx, policyKey, v[0], v[1], v[2]); err != nil {
			t.Fatal(err)
		}
	}
	userKey := strings.Replace(policyKey, "HKLM", "HKCU", 1)
	for _, v := range [][3]string{{"login_url", "REG_SZ", "https://test.salesforce.com"}, {"check_interval", "REG_SZ", "2h"}} {
		if err := w.RegAdd(ctx, userKey, v[0], v[1], v[2]); err != nil {
			t.Fatal(err)
		}
	}
	st := status(t, w, ctx, exe)
	if !st.Policy.Applied || strings.Join(st.Policy.Sources, ";") != policyKey+";"+userKey ||
		st.Policy.Values.LoginURL != srv.URL() || st.Policy.Values.CheckInterval != "2h" || st.Policy.Values.CAFile != ca ||
		strings.Join(st.Policy.Values.Methods, ",") != "soap,oauth-browser" || st.Policy.Values.StartInTray == nil || !*st.Policy.Values.StartInTray ||
		strings.Join(st.Policy.Locked, ",") != "login_url,ca_file" {
		t.Errorf("status --json policy: %+v values %+v", st.Policy, st.Policy.Values)
	}
	// A contradicting flag: exit 2, naming the policy; nothing sent.
	srv.ResetRequests()
	m, code, _ = check(pass+"\n"+token+"\n", "--login-url", "https://login.salesforce.com", "--username", user, "--password-stdin")
	if code != 2 || m["code"] != "POLICY_LOCKED" || !strings.Contains(m["message"].(string), policyKey) {
		t.Errorf("a flag against the locked login URL: exit %d %v", code, m)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the refused check sent %d requests", n)
	}
	// No flags: the policy's login URL and CA file.
	m, code, _ = check(pass+"\n"+token+"\n", "--username", user, "--password-stdin")
	if code != 0 || m["ok"] != true || m["login_url"] != srv.URL() {
		t.Errorf("check with the policy's login URL and CA file: exit %d %v", code, m)
	}

	// The README's .reg example imports and reads as documented.
	mustWine("reg", "delete", policyKey, "/f")
	mustWine("reg", "delete", userKey, "/f")
	mustWine("regedit", "/S", wintest.WinPath("policy/advologix-connect-policy.reg"))
	st = status(t, w, ctx, exe)
	if st.Policy.Values.LoginURL != "https://yourfirm.my.salesforce.com" || strings.Join(st.Policy.Values.Methods, ",") != "oauth-browser,soap" ||
		strings.Join(st.Policy.Locked, ",") != "login_url,client_id,start_in_tray" || st.Policy.Values.StartInTray == nil || !*st.Policy.Values.StartInTray {
		t.Errorf("the .reg example: %+v values %+v", st.Policy, st.Policy.Values)
	}
	mustWine("reg", "delete", policyKey, "/f")

	// A newer MSI replaces this one: one Apps & features entry.
	newer := filepath.Join(t.TempDir(), "newer.msi")
	cmd := exec.CommandContext(ctx, "./windows/msi.sh", one(t, "advologix-connect.exe"), newer)
	cmd.Env = append(os.Environ(), "MSI_VERSION=99.0.0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("newer MSI: %v\n%s", err, out)
	}
	mustWine("msiexec", "/i", wintest.WinPath(newer), "/qn")
	code2 := productCode(newer)
	if _, ok, _ := w.RegQuery(ctx, uninstallKey(code1), "DisplayName"); ok {
		t.Error("the older version is still listed after the upgrade")
	}
	if v, ok, _ := w.RegQuery(ctx, uninstallKey(code2), "DisplayVersion"); !ok || v != "99.0.0" {
		t.Errorf("the newer version is not listed: %q %v", v, ok)
	}
	if _, err := os.Stat(exe); err != nil {
		t.Errorf("after the upgrade: %v", err)
	}

	mustWine("msiexec", "/x", code2, "/qn")
	for _, f := range []string{exe, lnk, filepath.Dir(exe)} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s is left after the uninstall", f)
		}
	}
	if _, ok, _ := w.RegQuery(ctx, uninstallKey(code2), "DisplayName"); ok {
		t.Error("still in Apps & features after the uninstall")
	}
}

type statusOut struct {
	Policy struct {
		Applied bool     `json:"applied"`
		Sources []string `json:"sources"`
		Locked  []string `json:"locked"`
		Error   string   `json:"error"`
		Values  struct {
			LoginURL      string   `json:"login_url"`
			CAFile        string   `json:"ca_file"`
			CheckInterval string   `json:"check_interval"`
			Methods       []string `json:"methods"`
			StartInTray   *bool    `json:"start_in_tray"`
		} `json:"values"`
	} `json:"policy"`
}

func status(t *testing.T, w *wintest.Wine, ctx context.Context, exe string) statusOut {
	t.Helper()
	o, e, _, err := w.Output(ctx, exe, "status", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st statusOut
	if err := json.Unmarshal([]byte(o), &st); err != nil {
		t.Fatalf("status --json: %v: %q %q", err, o, e)
	}
	return st
}
