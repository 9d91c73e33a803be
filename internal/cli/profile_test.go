package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

func TestLoginCheckLogout(t *testing.T) {
	srv, ca := emulator(t, nil)
	pe := newProfileEnv(t)
	secrets := pass + "\n" + token + "\n"

	// A failing test saves nothing.
	r := pe.run(t, pass+"\nWrongToken\n", "login", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
	if r.code != cli.ExitFail || !strings.Contains(r.stdout, "Not saved") || pe.kr.Len() != 0 {
		t.Fatalf("failed login: exit %d, %d entries\n%s", r.code, pe.kr.Len(), r.stdout)
	}

	// A passing test saves: secrets in the keychain, the rest in settings.
	r = pe.run(t, secrets, "login", "--json", "--login-url", srv.URL()+"/some/path", "--username", user, "--password-stdin", "--ca-file", ca)
	if r.code != cli.ExitOK {
		t.Fatalf("login: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := decode(t, r.stdout)
	if m["ok"] != true || m["saved"] != true || m["profile"] != "default" || m["default"] != true || m["user_full_name"] != "Jane Doe" {
		t.Errorf("login JSON = %v", m)
	}
	if v, _ := pe.kr.Lookup(credstore.Service, "default:password"); v != pass {
		t.Errorf("password entry = %q", v)
	}
	if v, _ := pe.kr.Lookup(credstore.Service, "default:security_token"); v != token {
		t.Errorf("token entry = %q", v)
	}
	testfix.AssertNoSecretsInDir(t, pe.dir, pass, token)
	settings, err := os.ReadFile(filepath.Join(pe.dir, "settings.json"))
	if err != nil || !strings.Contains(string(settings), `"login_url": "`+srv.URL()+`"`) {
		t.Errorf("settings.json: %v\n%s", err, settings)
	}

	// check with no flags tests the default profile; --profile names it.
	for _, args := range [][]string{{"check", "--json"}, {"check", "--profile", "default", "--json"}} {
		r = pe.run(t, "", args...)
		if m := decode(t, r.stdout); r.code != 0 || m["ok"] != true || m["organization_name"] != "Firm LLP" {
			t.Errorf("%v: exit %d %v", args, r.code, m)
		}
	}

	// The token is reset elsewhere: the saved one goes stale.
	if _, err := srv.ResetSecurityToken(user); err != nil {
		t.Fatal(err)
	}
	r = pe.run(t, "", "check")
	if r.code != cli.ExitFail || !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), "security token was reset") {
		t.Errorf("stale token: exit %d\n%s", r.code, r.stdout)
	}

	r = pe.run(t, "", "status", "--json")
	m = decode(t, r.stdout)
	profiles := m["profiles"].([]any)
	if r.code != 0 || len(profiles) != 1 || profiles[0].(map[string]any)["complete"] != true {
		t.Errorf("status: exit %d %v", r.code, m)
	}

	r = pe.run(t, "", "logout")
	if r.code != 0 || pe.kr.Len() != 0 {
		t.Errorf("logout: exit %d, %d entries left\n%s", r.code, pe.kr.Len(), r.stderr)
	}
	r = pe.run(t, "", "check", "--json")
	if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "PROFILE_NOT_FOUND" {
		t.Errorf("check after logout: exit %d %v", r.code, m)
	}
	r = pe.run(t, "", "logout", "--json")
	if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "PROFILE_NOT_FOUND" {
		t.Errorf("second logout: exit %d %v", r.code, m)
	}
}

func TestTwoProfilesSideBySide(t *testing.T) {
	prod, prodCA := emulator(t, nil)
	sandbox, sbCA := emulator(t, nil)
	pe := newProfileEnv(t)
	for _, p := range []struct{ name, url, ca string }{{"production", prod.URL(), prodCA}, {"sandbox", sandbox.URL(), sbCA}} {
		if r := pe.run(t, pass+"\n"+token, "login", "--profile", p.name, "--login-url", p.url, "--username", user, "--password-stdin", "--ca-file", p.ca); r.code != 0 {
			t.Fatalf("login %s: %d %s %s", p.name, r.code, r.stdout, r.stderr)
		}
	}
	r := pe.run(t, "", "status")
	if r.code != 0 || !strings.Contains(r.stdout, "* production") || !strings.Contains(r.stdout, "  sandbox") {
		t.Errorf("status:\n%s", r.stdout)
	}
	if r := pe.run(t, "", "logout", "--profile", "production"); r.code != 0 {
		t.Fatalf("logout: %s", r.stderr)
	}
	if _, ok := pe.kr.Lookup(credstore.Service, "sandbox:password"); !ok {
		t.Errorf("logout of production removed sandbox's secrets")
	}
	r = pe.run(t, "", "check", "--profile", "sandbox", "--json")
	if m := decode(t, r.stdout); r.code != 0 || m["login_url"] != sandbox.URL() {
		t.Errorf("sandbox after production's logout: %d %v", r.code, m)
	}
	// The default moved to the profile that is left.
	if r := pe.run(t, "", "check", "--json"); r.code != 0 || decode(t, r.stdout)["login_url"] != sandbox.URL() {
		t.Errorf("default check: %d %s", r.code, r.stdout)
	}
}

func TestKeychainFailuresInCLI(t *testing.T) {
	srv, ca := emulator(t, nil)
	t.Run("missing", func(t *testing.T) {
		pe := newProfileEnv(t)
		pe.kr.FailWith(testfix.ErrNoService)
		r := pe.run(t, pass+"\n"+token, "login", "--json", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
		m := decode(t, r.stdout)
		if r.code != cli.ExitFail || m["code"] != "KEYCHAIN_UNAVAILABLE" || !strings.Contains(m["message"].(string)+m["hint"].(string), "GNOME Keyring") {
			t.Errorf("exit %d %v", r.code, m)
		}
		if srv.Count("", "/services/Soap/u/64.0") != 0 {
			t.Errorf("spent a login attempt although nothing could be saved")
		}
		if _, err := os.Stat(filepath.Join(pe.dir, "settings.json")); !os.IsNotExist(err) {
			t.Errorf("settings written without secrets: %v", err)
		}
	})
	t.Run("locked", func(t *testing.T) {
		pe := newProfileEnv(t)
		unlock := pe.kr.Lock()
		defer unlock()
		start := time.Now()
		r := pe.run(t, pass+"\n"+token, "login", "--json", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
		m := decode(t, r.stdout)
		if r.code != cli.ExitFail || m["code"] != "KEYCHAIN_LOCKED" {
			t.Errorf("exit %d %v", r.code, m)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("a locked keychain held the command for %v", d)
		}
	})
}

// Settings typed on the command line that cannot be used are a usage
// error (exit 2); the same settings in a saved profile are INVALID_PROFILE
// (exit 1). Neither sends anything.
func TestUnusableSettingsTypedAndSaved(t *testing.T) {
	srv, ca := emulator(t, nil)
	pe := newProfileEnv(t)
	gone := ca + ".gone"
	for _, args := range [][]string{
		{"check", "--json", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", gone},
		{"login", "--json", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", gone},
		{"login", "--json", "--login-url", srv.URL(), "--browser", "--client-id", browserApp, "--ca-file", gone},
	} {
		r := pe.run(t, pass+"\n"+token, args...)
		if m := decode(t, r.stdout); r.code != cli.ExitUsage || m["code"] != "USAGE_ERROR" || !strings.Contains(m["message"].(string), "ca-file") {
			t.Errorf("%v: exit %d %v", args[:1], r.code, m)
		}
	}
	p := credstore.Profile{Name: "jane", LoginURL: srv.URL(), Username: user, Method: credstore.MethodSOAP, CAFile: gone}
	if err := pe.openStore(t).Save(context.Background(), p, credstore.Secrets{Password: pass, SecurityToken: token}); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"check", "session"} {
		r := pe.run(t, "", cmd, "--profile", "jane", "--json")
		if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "INVALID_PROFILE" || !strings.Contains(m["message"].(string), `profile "jane"`) {
			t.Errorf("%s: exit %d %v", cmd, r.code, m)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// A profile name that differs only in case from a saved one is refused
// with its own code, and saves nothing.
func TestLoginNameTakenInAnotherCase(t *testing.T) {
	srv, ca := emulator(t, nil)
	pe := newProfileEnv(t)
	args := []string{"login", "--json", "--no-check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca}
	if r := pe.run(t, pass+"\n"+token, append(args, "--profile", "jane")...); r.code != cli.ExitOK {
		t.Fatalf("login: %+v", r)
	}
	r := pe.run(t, "other\n", append(args, "--profile", "Jane")...)
	if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "PROFILE_EXISTS" || m["hint"] == "" {
		t.Errorf("exit %d %v", r.code, m)
	}
	if v, _ := pe.kr.Lookup(credstore.Service, "jane:password"); v != pass {
		t.Errorf("the saved profile's password changed")
	}
}

// What login and logout print in text names the keychain once, with its
// article ("in the Secret Service keyring", never "the the").
func TestLoginLogoutTextNamesTheKeychain(t *testing.T) {
	srv, ca := emulator(t, nil)
	pe := newProfileEnv(t)
	r := pe.run(t, pass+"\n"+token+"\n", "login", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, `Saved profile "default" (the default); its secrets are in the `) {
		t.Fatalf("login: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := r.stdout
	r = pe.run(t, "", "logout")
	if r.code != cli.ExitOK || !strings.Contains(r.stdout, `Removed profile "default" and its secrets from the `) {
		t.Fatalf("logout: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if all := out + r.stdout; strings.Contains(all, "the the ") {
		t.Errorf("the keychain's article doubled:\n%s", all)
	}
}
