//go:build integration

// Integration tests against the real Secret Service (gnome-keyring) of the
// throw-away session that scripts/test-session.sh starts:
//
//	scripts/test-session.sh go test -race -tags integration ./credstore/
//
// A missing component is a failure, never a skip.

package credstore

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
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

	if err := s.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
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
	if err := s.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	if _, ok := lookup(t, name+":password"); ok {
		t.Fatal("entry left after Delete")
	}
}

func TestIntegrationTwoProfilesSideBySide(t *testing.T) {
	requireSession(t)
	ctx := context.Background()
	s := openReal(t, t.TempDir())
	prod, sandbox := uniqueName(t, "production"), uniqueName(t, "sandbox")
	prodSec := Secrets{Password: randomSecret(t, "p"), SecurityToken: randomSecret(t, "t")}
	sbSec := Secrets{Password: randomSecret(t, "p"), SecurityToken: randomSecret(t, "t")}
	sb := prof(sandbox)
	sb.LoginURL = "https://test.salesforce.com"
	mustSave(t, s, prof(prod), prodSec)
	mustSave(t, s, sb, sbSec)

	if err := s.Delete(ctx, prod); err != nil {
		t.Fatal(err)
	}
	if _, ok := lookup(t, prod+":password"); ok {
		t.Fatal("production's password survived its logout")
	}
	if got, ok := lookup(t, sandbox+":password"); !ok || got != sbSec.Password {
		t.Fatal("logging out of production removed sandbox's password")
	}
	if got := mustSecrets(t, s, sandbox); got != sbSec {
		t.Fatal("sandbox secrets changed")
	}
	if d, err := s.Default(); err != nil || d.Name != sandbox {
		t.Fatalf("default = %q, %v", d.Name, err)
	}
	if err := s.Delete(ctx, sandbox); err != nil {
		t.Fatal(err)
	}
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
	if err := s.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	check("after delete")
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// startPrivateBus starts a dbus-daemon with no activatable services and
// returns its address.
func startPrivateBus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bus.conf")
	conf := `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=` + filepath.Join(dir, "bus") + `</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+cfg, "--nofork", "--print-address=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatalf("dbus-daemon printed no address: %s", stderr.String())
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatalf("dbus-daemon did not start: %s", stderr.String())
		return ""
	}
}

// runHelper re-executes this test binary as TestIntegrationHelper with a
// different session bus (godbus caches the bus connection per process).
func runHelper(t *testing.T, mode, busAddr, dir, profile string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestIntegrationHelper$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"CREDSTORE_IT_HELPER="+mode,
		"CREDSTORE_IT_DIR="+dir,
		"CREDSTORE_IT_PROFILE="+profile,
		"DBUS_SESSION_BUS_ADDRESS="+busAddr,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("helper %s:\n%s", mode, out)
	if err != nil {
		t.Fatalf("helper %s failed: %v", mode, err)
	}
	if !strings.Contains(string(out), "HELPER-OK "+mode) {
		t.Fatalf("helper %s did not run to the end", mode)
	}
	return string(out)
}

const (
	helperReadTimeout = 700 * time.Millisecond
	helperSaveTimeout = 1500 * time.Millisecond
)

// TestIntegrationHelper is the subprocess side of runHelper; without
// CREDSTORE_IT_HELPER it does nothing.
func TestIntegrationHelper(t *testing.T) {
	mode := os.Getenv("CREDSTORE_IT_HELPER")
	if mode == "" {
		return
	}
	dir := os.Getenv("CREDSTORE_IT_DIR")
	s, err := Open(Options{Dir: dir, ReadTimeout: helperReadTimeout, SaveTimeout: helperSaveTimeout})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ops := []struct {
		name    string
		timeout time.Duration
		do      func() error
	}{
		{"Probe", helperReadTimeout, func() error { return s.Probe(ctx) }},
		{"Save", helperSaveTimeout, func() error {
			return s.Save(ctx, prof("helper-new"), Secrets{Password: "helper-secret-value"})
		}},
	}
	if p := os.Getenv("CREDSTORE_IT_PROFILE"); p != "" {
		ops = append(ops,
			struct {
				name    string
				timeout time.Duration
				do      func() error
			}{"Secrets", helperReadTimeout, func() error { _, err := s.Secrets(ctx, p); return err }},
			struct {
				name    string
				timeout time.Duration
				do      func() error
			}{"Delete", helperSaveTimeout, func() error { return s.Delete(ctx, p) }},
		)
	}
	for i, op := range ops {
		start := time.Now()
		err := op.do()
		took := time.Since(start)
		var ke *KeychainError
		if !errors.As(err, &ke) {
			t.Fatalf("%s: %v (%T), want a *KeychainError", op.name, err, err)
		}
		if strings.Contains(err.Error(), "helper-secret-value") {
			t.Fatalf("%s: error contains the secret", op.name)
		}
		t.Logf("%s after %v: [%s] %v", op.name, took.Round(time.Millisecond), ke.Code(), err)
		switch mode {
		case "unavailable":
			if ke.Kind != KeychainUnavailable {
				t.Fatalf("%s: kind %v, want unavailable", op.name, ke.Kind)
			}
			if !strings.Contains(err.Error(), "no Secret Service is running: install and unlock GNOME Keyring (gnome-keyring) or enable KeePassXC's Secret Service integration") {
				t.Fatalf("%s: message lacks the remedy: %v", op.name, err)
			}
			if took > op.timeout {
				t.Fatalf("%s took %v, longer than its timeout %v", op.name, took, op.timeout)
			}
		case "timeout":
			if ke.Kind != KeychainLocked || ke.Timeout == 0 {
				t.Fatalf("%s: %+v, want KeychainLocked by timeout", op.name, ke)
			}
			if !strings.Contains(err.Error(), "did not answer within") || !strings.Contains(err.Error(), "probably locked: unlock it") {
				t.Fatalf("%s: message %q", op.name, err)
			}
			if i == 0 {
				// The first call waits out its deadline...
				if took < op.timeout || took > op.timeout+2*time.Second {
					t.Fatalf("%s took %v, want about %v", op.name, took, op.timeout)
				}
			} else if !errors.Is(err, errStuck) || took > 300*time.Millisecond {
				// ...the next ones fail at once while it is stuck.
				t.Fatalf("%s took %v (%v): it should fail fast while a call is stuck", op.name, took, err)
			}
		default:
			t.Fatalf("unknown mode %q", mode)
		}
	}
	// Nothing was saved: a new profile's settings come after its secrets.
	st, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Profile("helper-new"); ok {
		t.Fatal("the failed save left a profile in settings.json")
	}
	if p := os.Getenv("CREDSTORE_IT_PROFILE"); p != "" {
		if _, ok := st.Profile(p); !ok {
			t.Fatal("a logout that could not reach the keychain removed the profile")
		}
	}
	fmt.Println("HELPER-OK " + mode)
}

func TestIntegrationKeychainMissing(t *testing.T) {
	requireSession(t)
	t.Run("bus without a Secret Service", func(t *testing.T) {
		runHelper(t, "unavailable", startPrivateBus(t), t.TempDir(), "")
	})
	t.Run("no session bus at all", func(t *testing.T) {
		runHelper(t, "unavailable", "unix:path="+filepath.Join(t.TempDir(), "no-bus-here"), t.TempDir(), "")
	})
}

// neverAnswer owns org.freedesktop.secrets and answers no method call: a
// Secret Service stuck behind an unlock prompt nobody sees.
type neverAnswer struct{ stop chan struct{} }

func (n neverAnswer) LookupObject(dbus.ObjectPath) (dbus.ServerObject, bool) { return n, true }
func (n neverAnswer) LookupInterface(string) (dbus.Interface, bool)          { return n, true }
func (n neverAnswer) LookupMethod(string) (dbus.Method, bool)                { return blockedMethod(n), true }

type blockedMethod neverAnswer

func (m blockedMethod) DecodeArguments(*dbus.Conn, string, *dbus.Message, []any) ([]any, error) {
	return nil, nil
}
func (m blockedMethod) Call(...any) ([]any, error) {
	<-m.stop
	return nil, errors.New("stand-in stopped")
}
func (blockedMethod) NumArguments() int     { return 0 }
func (blockedMethod) NumReturns() int       { return 0 }
func (blockedMethod) ArgumentValue(int) any { return nil }
func (blockedMethod) ReturnValue(int) any   { return nil }

func TestIntegrationKeychainNotAnswering(t *testing.T) {
	requireSession(t)
	addr := startPrivateBus(t)
	stop := make(chan struct{})
	conn, err := dbus.Connect(addr, dbus.WithHandler(neverAnswer{stop}))
	if err != nil {
		t.Fatalf("stand-in cannot connect to the private bus: %v", err)
	}
	t.Cleanup(func() {
		close(stop)
		_ = conn.Close()
	})
	reply, err := conn.RequestName("org.freedesktop.secrets", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("stand-in cannot own org.freedesktop.secrets: %v %v", reply, err)
	}
	runHelper(t, "timeout", addr, t.TempDir(), "")
}

// The real gnome-keyring with its login collection locked. Runs last: it
// locks the session's keyring and unlocks it again.
func TestIntegrationKeychainLocked(t *testing.T) {
	requireSession(t)
	ctx := context.Background()
	dir := t.TempDir()
	s := openReal(t, dir)
	name := uniqueName(t, "locked")
	sec := Secrets{Password: randomSecret(t, "pw"), SecurityToken: randomSecret(t, "tok")}
	mustSave(t, s, prof(name), sec)

	conn, err := dbus.SessionBusPrivate()
	if err == nil {
		err = conn.Auth(nil)
	}
	if err == nil {
		err = conn.Hello()
	}
	if err != nil {
		t.Fatalf("session bus: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() }) // after the cleanup below, which uses conn
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	login := dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	setPromptDisplay := func(display string) {
		t.Helper()
		err := conn.BusObject().Call("org.freedesktop.DBus.UpdateActivationEnvironment", 0,
			map[string]string{"DISPLAY": display}).Err
		if err != nil {
			t.Fatalf("UpdateActivationEnvironment: %v", err)
		}
	}
	lock := func() {
		t.Helper()
		var locked []dbus.ObjectPath
		var prompt dbus.ObjectPath
		if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{login}).Store(&locked, &prompt); err != nil {
			t.Fatalf("locking the login collection: %v", err)
		}
		if len(locked) != 1 {
			t.Fatalf("login collection not locked: %v (prompt %s)", locked, prompt)
		}
	}
	unlock := func() {
		var params dbus.Variant
		var session dbus.ObjectPath
		if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&params, &session); err != nil {
			t.Errorf("OpenSession: %v", err)
			return
		}
		type secret struct {
			Session     dbus.ObjectPath
			Parameters  []byte
			Value       []byte
			ContentType string
		}
		// gnome-keyring's own interface for unlocking without a prompt;
		// the password is the throw-away one of test-session.sh.
		err := svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0,
			login, secret{session, []byte{}, []byte("test-keyring-pw"), "text/plain"}).Err
		if err != nil {
			t.Errorf("unlocking the login collection again: %v", err)
		}
	}
	t.Cleanup(func() {
		unlock()
		setPromptDisplay("")
		// The session's keychain works again.
		if got, err := openReal(t, dir).Secrets(ctx, name); err != nil || got != sec {
			t.Errorf("after unlocking, Secrets = %v", err)
		}
		_ = openReal(t, dir).Delete(ctx, name)
	})

	t.Run("prompt cannot be shown", func(t *testing.T) {
		// No display for the prompter: gnome-keyring reports the unlock
		// prompt as dismissed. A prompter left running by an earlier run
		// in the same session (-count=2) keeps the display it had, and
		// then the call times out instead: Locked either way.
		var prompterRunning bool
		if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0,
			"org.gnome.keyring.SystemPrompter").Store(&prompterRunning); err != nil {
			t.Fatal(err)
		}
		setPromptDisplay("")
		lock()
		const timeout = 5 * time.Second
		s, err := Open(Options{Dir: dir, ReadTimeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = s.Secrets(ctx, name)
		took := time.Since(start)
		t.Logf("after %v (prompter already running: %v): %v", took.Round(time.Millisecond), prompterRunning, err)
		ke := asKeychainError(t, err)
		if ke.Kind != KeychainLocked || took > timeout+2*time.Second {
			t.Fatalf("Secrets on a locked keyring = %+v after %v", ke, took)
		}
		if !prompterRunning && (ke.Timeout != 0 || !strings.Contains(err.Error(), "locked and was not unlocked: unlock it")) {
			t.Fatalf("want the dismissed-prompt error, got %v", err)
		}
		unlock()
	})

	t.Run("prompt nobody answers", func(t *testing.T) {
		// The prompter shows an unlock window on the session's X server
		// and waits for ever: the calls time out.
		display := os.Getenv("DISPLAY")
		if display == "" {
			t.Fatal("DISPLAY is not set: test-session.sh should have started Xvfb")
		}
		setPromptDisplay(display)
		lock()
		runHelper(t, "timeout", os.Getenv("DBUS_SESSION_BUS_ADDRESS"), dir, name)
	})
}
