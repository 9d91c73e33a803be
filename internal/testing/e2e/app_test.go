//go:build integration

package e2e

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// login saves a profile through the real binary's command line.
func login(t *testing.T, app string, env []string, profile, url, ca, password, token string) {
	t.Helper()
	cmd := exec.Command(app, "login", "--profile", profile, "--login-url", url, "--username", janeUsername, "--password-stdin", "--ca-file", ca)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(password + "\n" + token + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("login %s: %v\n%s", profile, err, out)
	}
	t.Cleanup(func() {
		c := exec.Command(app, "logout", "--profile", profile)
		c.Env = env
		_ = c.Run()
	})
}

// TestCommandLineWithRealKeychain: login, check, status and logout through
// the real binary and gnome-keyring, read back with secret-tool, and no
// secret in any file under HOME or the settings folders.
func TestCommandLineWithRealKeychain(t *testing.T) {
	requireTools(t, "secret-tool")
	app := buildApp(t)
	srv, ca := startEmulator(t)
	// A keyring of its own: no other package's test can have locked it.
	d := newDesk(t)
	env := d.Env()
	const profile = "e2e-cli"
	login(t, app, env, profile, srv.URL(), ca, janePassword, janeToken)

	lookup := func(kind string) (string, bool) {
		out, err := d.Command("secret-tool", "lookup", "service", "advologix-connect", "username", profile+":"+kind).Output()
		return string(out), err == nil
	}
	if v, ok := lookup("password"); !ok || v != janePassword {
		t.Errorf("secret-tool password = %q (found %v)", v, ok)
	}
	if v, ok := lookup("security_token"); !ok || v != janeToken {
		t.Errorf("secret-tool token = %q (found %v)", v, ok)
	}

	run := func(stdin string, args ...string) (int, map[string]any) {
		t.Helper()
		cmd := exec.Command(app, args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
		var out bytes.Buffer
		cmd.Stdout = &out
		err := cmd.Run()
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("%v: %v", args, err)
			}
			code = ee.ExitCode()
		}
		var m map[string]any
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", args, err, out.Bytes())
		}
		return code, m
	}
	if code, m := run("", "check", "--profile", profile, "--json"); code != 0 || m["user_full_name"] != janeFullName {
		t.Errorf("check: %d %v", code, m)
	}
	// An admin's script replaces the token with secret-tool; the app uses it.
	newToken, err := srv.ResetSecurityToken(janeUsername)
	if err != nil {
		t.Fatal(err)
	}
	if code, m := run("", "check", "--profile", profile, "--json"); code != 1 || m["code"] != "INVALID_LOGIN" {
		t.Errorf("stale token: %d %v", code, m)
	}
	store := d.Command("secret-tool", "store", "--label=test", "service", "advologix-connect", "username", profile+":security_token")
	store.Stdin = strings.NewReader(newToken)
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v %s", err, out)
	}
	if code, m := run("", "check", "--profile", profile, "--json"); code != 0 {
		t.Errorf("after secret-tool store: %d %v", code, m)
	}
	if code, m := run("", "status", "--json"); code != 0 || len(m["profiles"].([]any)) != 1 {
		t.Errorf("status: %d %v", code, m)
	}

	if code, _ := run("", "logout", "--profile", profile, "--json"); code != 0 {
		t.Errorf("logout: exit %d", code)
	}
	for _, kind := range []string{"password", "security_token"} {
		if _, ok := lookup(kind); ok {
			t.Errorf("%s still in the keychain after logout", kind)
		}
	}
	for _, dir := range []string{envValue(env, "HOME"), envValue(env, "XDG_CONFIG_HOME"), envValue(env, "XDG_CACHE_HOME"), envValue(env, "XDG_DATA_HOME")} {
		testfix.AssertNoSecretsInDir(t, dir, janePassword, janeToken, newToken)
	}
}

// TestCommandLineWithoutKeychain: no Secret Service on the bus. login says
// so with KEYCHAIN_UNAVAILABLE and spends no login attempt; check with
// typed credentials still works.
func TestCommandLineWithoutKeychain(t *testing.T) {
	app := buildApp(t)
	srv, ca := startEmulator(t)
	var env []string
	for _, kv := range appEnv(t) {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") {
			env = append(env, kv)
		}
	}
	env = append(env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	stdin := janePassword + "\n" + janeToken + "\n"

	cmd := exec.Command(app, "login", "--json", "--profile", "nokeychain", "--login-url", srv.URL(), "--username", janeUsername, "--password-stdin", "--ca-file", ca)
	cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
	start := time.Now()
	out, err := cmd.Output()
	var m map[string]any
	if jerr := json.Unmarshal(out, &m); jerr != nil {
		t.Fatalf("not JSON: %v %s", jerr, out)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || m["code"] != "KEYCHAIN_UNAVAILABLE" {
		t.Errorf("login without a keychain: %v %v", err, m)
	}
	if !strings.Contains(m["message"].(string), "GNOME Keyring") {
		t.Errorf("message does not say what to install: %q", m["message"])
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if n := srv.Count("", "/services/Soap/u/64.0"); n != 0 {
		t.Errorf("%d login attempts although nothing could be saved", n)
	}

	cmd = exec.Command(app, "check", "--json", "--login-url", srv.URL(), "--username", janeUsername, "--password-stdin", "--ca-file", ca)
	cmd.Env, cmd.Stdin = env, strings.NewReader(stdin)
	if out, err := cmd.Output(); err != nil {
		t.Errorf("check without a keychain: %v %s", err, out)
	}
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}
