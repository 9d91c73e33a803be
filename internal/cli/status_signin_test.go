package cli_test

import (
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

// TestStatusSaysSignInAgain: once session finds the browser profile's
// refresh token revoked, status (--json and text) calls the profile not
// complete, with the code and how to sign in again, and fails; a new
// sign-in clears it.
func TestStatusSaysSignInAgain(t *testing.T) {
	srv, ca := emulator(t, func(c *sftest.Config) {
		c.Apps = append(c.Apps, sftest.App{ClientID: browserApp, RedirectURIs: []string{browserRedirect}, RotateRefreshTokens: true})
	})
	pe := newProfileEnv(t)
	st := pe.openStore(t)
	signIn := func() { saveBrowserSignIn(t, st, srv, ca, "browser", credstore.Secrets{}) }
	signIn()
	if r := pe.run(t, "", "session", "--profile", "browser", "--json"); r.code != cli.ExitOK {
		t.Fatalf("session: %d %s", r.code, r.stdout)
	}
	status := func() (int, map[string]any, map[string]any) {
		t.Helper()
		r := pe.run(t, "", "status", "--json")
		m := decode(t, r.stdout)
		ps, _ := m["profiles"].([]any)
		if len(ps) != 1 {
			t.Fatalf("profiles %v", m["profiles"])
		}
		return r.code, m, ps[0].(map[string]any)
	}
	if code, m, p := status(); code != cli.ExitOK || p["complete"] != true || p["sign_in_again"] != false || m["ok"] != true {
		t.Fatalf("status before: %d %v", code, m)
	}

	srv.RevokeRefreshTokens(user)
	if r := pe.run(t, "", "session", "--profile", "browser", "--json"); r.code != cli.ExitFail || decode(t, r.stdout)["code"] != "OAUTH_REFRESH_TOKEN_EXPIRED" {
		t.Fatalf("session after revoke: %d %s", r.code, r.stdout)
	}
	code, m, p := status()
	if code != cli.ExitFail || m["ok"] != false || m["code"] != "OAUTH_REFRESH_TOKEN_EXPIRED" || !strings.Contains(m["hint"].(string), "Sign in again") {
		t.Errorf("status: exit %d %v", code, m)
	}
	if p["complete"] != false || p["sign_in_again"] != true || p["code"] != "OAUTH_REFRESH_TOKEN_EXPIRED" || p["tested"] != "failing" ||
		!strings.Contains(p["hint"].(string), "login --browser --profile browser --login-url "+srv.URL()) {
		t.Errorf("profile: %v", p)
	}
	if r := pe.run(t, "", "status"); r.code != cli.ExitFail || !strings.Contains(r.stdout, "Sign in again") {
		t.Errorf("status text: %d %s", r.code, r.stdout)
	}

	signIn()
	if code, m, p := status(); code != cli.ExitOK || p["complete"] != true || p["sign_in_again"] != false {
		t.Errorf("status after signing in again: %d %v", code, m)
	}
}
