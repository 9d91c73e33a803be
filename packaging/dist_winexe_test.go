//go:build disttest

package packaging

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// Both exes carry their icon, manifest and version resource; exes and MSI
// are Authenticode-signed and verify against the throw-away root, and the
// exes inside the MSI are the signed ones, the desktop program under the
// name the Start menu shows.
func TestWindowsSignedAndResources(t *testing.T) {
	exes := map[string]string{ // dist's exe: its name in the MSI and in its version resource
		one(t, "advologix-connect.exe"):         "advologix-connect.exe",
		one(t, "advologix-connect-desktop.exe"): "AdvoLogix Connect.exe",
	}
	msi := one(t, "AdvoLogix-Connect-*-x64.msi")
	version, build := appVersion(t)
	x := t.TempDir()
	run(t, "msiextract", "-C", x, msi)
	for exe, name := range exes {
		kinds := resourceTypes(t, exe)
		for id, kind := range map[uint32]string{3: "RT_ICON", 14: "RT_GROUP_ICON", 16: "RT_VERSION", 24: "RT_MANIFEST"} {
			if !slices.Contains(kinds, id) {
				t.Errorf("%s has no %s resource (has %v)", exe, kind, kinds)
			}
		}
		data, _ := os.ReadFile(exe)
		for _, s := range []string{"AdvoLogix Connect", "com.advologix.connect", version + "." + build, name} {
			if !bytes.Contains(data, utf16le(s)) {
				t.Errorf("the version resource of %s lacks %q", exe, s)
			}
		}
		inner, _ := filepath.Glob(filepath.Join(x, "*", name))
		if len(inner) != 1 || sum(t, inner[0]) != sum(t, exe) {
			t.Errorf("the MSI's %s %v is not the signed %s", name, inner, exe)
		}
	}
	ca := filepath.Join(distDir(t), "test-signing", "cert.pem")
	for _, f := range []string{one(t, "advologix-connect.exe"), one(t, "advologix-connect-desktop.exe"), msi} {
		out := run(t, "osslsigncode", "verify", "-CAfile", ca, "-in", f)
		if !strings.Contains(out, "Signature verification: ok") || !strings.Contains(out, "TEST SIGNING") {
			t.Errorf("%s: %s", f, out)
		}
		// Without the throw-away root it must not verify: the check has teeth.
		if err := exec.Command("osslsigncode", "verify", "-in", f).Run(); err == nil {
			t.Errorf("%s verifies without its self-signed root", f)
		}
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
