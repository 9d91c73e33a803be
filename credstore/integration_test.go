//go:build integration

// Integration tests against the real Secret Service (gnome-keyring) of the
// throw-away session that scripts/test-session.sh starts:
//
//	scripts/test-session.sh go test -race -tags integration ./credstore/
//
// A missing component is a failure, never a skip.

package credstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// requireSession fails the test unless it runs inside test-session.sh.
func requireSession(t *testing.T) {
	t.Helper()
	var missing []string
	if os.Getenv("ADVOLOGIX_IN_TEST_SESSION") != "1" || os.Getenv("ADVOLOGIX_TEST_ROOT") == "" {
		missing = append(missing, "the test session (run: scripts/test-session.sh go test -tags integration ./credstore/)")
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		missing = append(missing, "a D-Bus session bus (DBUS_SESSION_BUS_ADDRESS)")
	}
	for _, tool := range []string{"secret-tool", "dbus-daemon"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool+" (run scripts/ensure-deps.sh runtime-test)")
		}
	}
	if len(missing) > 0 {
		t.Fatalf("integration test needs: %s", strings.Join(missing, "; "))
	}
}

func randomSecret(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + "-" + hex.EncodeToString(b)
}

func uniqueName(t *testing.T, base string) string {
	return base + "-" + randomSecret(t, "it")[3:11]
}

// secretTool runs secret-tool, the libsecret client, with value on stdin.
func secretTool(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("secret-tool", args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	default:
		t.Fatalf("secret-tool %s: %v %s", strings.Join(args, " "), err, stderr.String())
		return "", -1
	}
}

// lookup reads an entry with secret-tool.
func lookup(t *testing.T, account string) (string, bool) {
	t.Helper()
	out, code := secretTool(t, "", "lookup", "service", Service, "username", account)
	return out, code == 0 && out != ""
}

func openReal(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIntegrationRoundTrip(t *testing.T) {
	requireSession(t)
	ctx := context.Background()
	// The default folder: XDG_CONFIG_HOME of the test session.
	s := openReal(t, "")
	want := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "advologix-connect", "settings.json")
	if s.Path() != want {
		t.Fatalf("Path() = %s, want %s", s.Path(), want)
	}
	if err := s.Probe(ctx); err != nil {
		t.Fatalf("Probe: %v", err)
	}
	name := uniqueName(t, "default")
	sec := Secrets{Password: randomSecret(t, "pw"), SecurityToken: randomSecret(t, "tok")}
	mustSave(t, s, prof(name), sec)

	if got, ok := lookup(t, name+":password"); !ok || got != sec.Password {
		t.Fatalf("secret-tool lookup %s:password = %q, %v", name, got, ok)
	}
	if got, ok := lookup(t, name+":security_token"); !ok || got != sec.SecurityToken {
		t.Fatalf("secret-tool lookup %s:security_token = %q", name, got)
	}
	if _, ok := lookup(t, name+":refresh_token"); ok {
		t.Fatal("an entry for an empty secret exists")
	}
	if got := mustSecrets(t, s, name); got != sec {
		t.Fatal("Secrets() differ from what was saved")
	}
	sts, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if st.Profile.Name == name && (!st.OK() || !st.Present[KindPassword]) {
			t.Fatalf("status = %+v", st)
		}
	}

	// Update: the token goes, a refresh token comes.
	sec2 := Secrets{Password: randomSecret(t, "pw"), RefreshToken: randomSecret(t, "rt")}
	mustSave(t, s, prof(name), sec2)
	if _, ok := lookup(t, name+":security_token"); ok {
		t.Fatal("the removed security token is still in the keychain")
	}
	if got, _ := lookup(t, name+":refresh_token"); got != sec2.RefreshToken {
		t.Fatal("refresh token not written")
	}
	if err := s.UpdateSecret(ctx, name, KindRefreshToken, "rotated-"+sec2.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if got, _ := lookup(t, name+":refresh_token"); got != "rotated-"+sec2.RefreshToken {
		t.Fatal("rotated refresh token not written")
	}

	mustDelete(t, s, name)
	for _, k := range Kinds() {
		if _, ok := lookup(t, name+":"+k); ok {
			t.Fatalf("%s:%s still in the keychain after Delete", name, k)
		}
	}
	if _, err := s.Profile(name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("profile after Delete: %v", err)
	}
}

func TestIntegrationReadsEntriesWrittenBySecretTool(t *testing.T) {
	requireSession(t)
	ctx := context.Background()
	s := openReal(t, t.TempDir())
	name := uniqueName(t, "admin")
	mustSave(t, s, prof(name), Secrets{Password: "initial"})

	// An admin script replaces the password and adds a token.
	pw, tok := randomSecret(t, "script-pw"), randomSecret(t, "script-tok")
	if _, code := secretTool(t, pw, "store", "--label=admin script", "service", Service, "username", name+":password"); code != 0 {
		t.Fatal("secret-tool store failed")
	}
	if _, code := secretTool(t, tok, "store", "--label=admin script", "service", Service, "username", name+":security_token"); code != 0 {
		t.Fatal("secret-tool store failed")
	}
	if got := mustSecrets(t, s, name); got.Password != pw {
		t.Fatal("credstore does not read the password secret-tool wrote")
	}
	// The token is read once the profile lists it.
	if err := s.UpdateSecret(ctx, name, KindSecurityToken, tok); err != nil {
		t.Fatal(err)
	}
	if got := mustSecrets(t, s, name); got != (Secrets{Password: pw, SecurityToken: tok}) {
		t.Fatal("secrets differ")
	}
	// credstore's write replaces secret-tool's item instead of adding one.
	mustSave(t, s, prof(name), Secrets{Password: "from-app"})
	if got, _ := lookup(t, name+":password"); got != "from-app" {
		t.Fatalf("secret-tool sees %q after credstore replaced it", got)
	}
	out, _ := secretTool(t, "", "search", "--all", "service", Service, "username", name+":password")
	if n := strings.Count(out, "[/"); n > 1 {
		t.Fatalf("%d items for one account:\n%s", n, out)
	}
	mustDelete(t, s, name)
	if _, ok := lookup(t, name+":password"); ok {
		t.Fatal("entry left after Delete")
	}
}

func TestIntegrationTwoProfilesSideBySide(t *testing.T) {
	requireSession(t)
	s := openReal(t, t.TempDir())
	prod, sandbox := uniqueName(t, "production"), uniqueName(t, "sandbox")
	prodSec := Secrets{Password: randomSecret(t, "p"), SecurityToken: randomSecret(t, "t")}
	sbSec := Secrets{Password: randomSecret(t, "p"), SecurityToken: randomSecret(t, "t")}
	sb := prof(sandbox)
	sb.LoginURL = "https://test.salesforce.com"
	mustSave(t, s, prof(prod), prodSec)
	mustSave(t, s, sb, sbSec)

	mustDelete(t, s, prod)
	if _, ok := lookup(t, prod+":password"); ok {
		t.Fatal("production's password survived its logout")
	}
	if got, ok := lookup(t, sandbox+":password"); !ok || got != sbSec.Password {
		t.Fatal("logging out of production removed sandbox's password")
	}
	if got := mustSecrets(t, s, sandbox); got != sbSec {
		t.Fatal("sandbox secrets changed")
	}
	wantDefault(t, s, sandbox)
	mustDelete(t, s, sandbox)
}

// No secret value may reach any file of the session: HOME, XDG_CONFIG_HOME,
// XDG_DATA_HOME (where gnome-keyring keeps its encrypted keyring),
// XDG_CACHE_HOME and XDG_RUNTIME_DIR all live under ADVOLOGIX_TEST_ROOT.
func TestIntegrationNoSecretOnDisk(t *testing.T) {
	requireSession(t)
	ctx := context.Background()
	s := openReal(t, "")
	name := uniqueName(t, "disk")
	sec := Secrets{Password: randomSecret(t, "pw"), SecurityToken: randomSecret(t, "tok"),
		RefreshToken: randomSecret(t, "rt"), ClientSecret: randomSecret(t, "cs")}
	root := os.Getenv("ADVOLOGIX_TEST_ROOT")

	check := func(stage string) {
		t.Helper()
		var needles [][]byte
		for _, k := range Kinds() {
			v := sec.value(k)
			needles = append(needles, []byte(v), []byte(base64.StdEncoding.EncodeToString([]byte(v))), utf16le(v))
		}
		files, sawKeyring, sawSettings := 0, false, false
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files++
			sawKeyring = sawKeyring || strings.HasSuffix(path, ".keyring")
			sawSettings = sawSettings || path == s.Path()
			for _, n := range needles {
				if bytes.Contains(b, n) {
					t.Errorf("%s: a secret value is in %s", stage, path)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !sawKeyring || !sawSettings {
			t.Fatalf("%s: walked %d files under %s but found keyring file=%v settings.json=%v: the check would prove nothing",
				stage, files, root, sawKeyring, sawSettings)
		}
	}
	mustSave(t, s, prof(name), sec)
	check("after save")
	if got := mustSecrets(t, s, name); got != sec {
		t.Fatal("read back differs")
	}
	if _, err := s.Status(ctx); err != nil {
		t.Fatal(err)
	}
	check("after read")
	mustDelete(t, s, name)
	check("after delete")
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
