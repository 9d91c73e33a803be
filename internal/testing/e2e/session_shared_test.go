//go:build integration

package e2e

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// browserLogin signs profile in with the real binary's login --browser
// (BROWSER in env follows the redirects) and logs it out at cleanup.
func browserLogin(t *testing.T, app string, env []string, profile, loginURL, ca string) (int, map[string]any) {
	t.Helper()
	t.Cleanup(func() {
		c := exec.Command(app, "logout", "--profile", profile)
		c.Env = env
		_ = c.Run()
	})
	return runJSON(t, app, env, "login", "--json", "--profile", profile, "--login-url", loginURL, "--browser",
		"--client-id", browserClientID, "--callback-port", "0", "--ca-file", ca)
}

// TestSessionOncePerExpiryAcrossPrograms (issue 19 items 3 and 4): many real
// `advologix-connect session --json` programs at once, each round after
// the last session expired on the emulator's clock, a browser profile
// whose refresh token rotates, the real keychain (gnome-keyring): every
// call succeeds, all get the one session, it opens the REST API, and the
// emulator answers exactly one refresh grant per expiry — no program
// spends a refresh token another one spent. The access token is only in
// the keychain, never in a file. Then the sign-in is revoked: all say so,
// the dead token is sent once, status --json says to sign in again.
func TestSessionOncePerExpiryAcrossPrograms(t *testing.T) {
	requireTools(t, "secret-tool")
	app := buildApp(t)
	for _, tc := range testfix.SessionRounds {
		t.Run(tc.Name, func(t *testing.T) {
			srv, ca := browserEmulator(t, false)
			clock := &sftest.Clock{}
			srv.SetClock(clock.Now)
			profile := fmt.Sprintf("e2e-session-%d", tc.Programs)
			env := append(appEnv(t), "BROWSER="+browserScript(t, ca, false))
			if code, m := browserLogin(t, app, env, profile, srv.URL(), ca); code != 0 || m["ok"] != true {
				t.Fatalf("login --browser: exit %d %v", code, m)
			}
			var tokens []string
			failures, refreshes := 0, 0
			for round := range tc.Rounds {
				// The session of the sign-in (or of the last round) expires.
				clock.Move(sftest.SessionLifetime + time.Minute)
				srv.ResetRequests()
				answers := testfix.SessionsAtOnce(tc.Programs, func(int) *exec.Cmd {
					c := exec.Command(app, "session", "--profile", profile, "--json")
					c.Env = env
					return c
				})
				first := answers[0].AccessToken
				for i, a := range answers {
					if a.Failure != "" {
						failures++
						t.Errorf("round %d, program %d: %s", round, i, a.Failure)
					} else if a.AccessToken != first {
						t.Errorf("round %d: program %d got another session than program 0", round, i)
					}
				}
				if st, err := srv.QueryStatus(answers[0].InstanceURL, first); err != nil || st != http.StatusOK {
					t.Errorf("round %d: the session does not open the REST API: HTTP %d, %v", round, st, err)
				}
				n := srv.Grants("refresh_token")
				refreshes += n
				if n != 1 {
					t.Errorf("round %d: %d refresh grants for %d programs, want 1", round, n, tc.Programs)
				}
				tokens = append(tokens, first)
			}
			t.Logf("%d programs × %d expiries: %d calls, %d failed, %d refresh grants",
				tc.Programs, tc.Rounds, tc.Programs*tc.Rounds, failures, refreshes)
			if v, ok := secretLookup(profile, "session"); !ok || v == "" {
				t.Error("no session in the keychain")
			}
			refresh, _ := secretLookup(profile, "refresh_token")
			dirs := []string{os.Getenv("HOME"), envValue(env, "HOME"), envValue(env, "XDG_CONFIG_HOME"), envValue(env, "XDG_CACHE_HOME")}
			for _, dir := range dirs {
				testfix.AssertNoSecretsInDir(t, dir, append(tokens, refresh)...)
			}
			assertDeadSignIn(t, app, env, srv, profile, tc.Programs)
		})
	}
}

// assertDeadSignIn revokes the user's refresh tokens, as an admin does:
// n `session` programs at once all fail with OAUTH_REFRESH_TOKEN_EXPIRED, the
// dead token is sent once, and status --json says to sign in again.
func assertDeadSignIn(t *testing.T, app string, env []string, srv *sftest.Server, profile string, n int) {
	t.Helper()
	srv.RevokeRefreshTokens(janeUsername)
	srv.ResetRequests()
	answers := testfix.SessionsAtOnce(n, func(int) *exec.Cmd {
		c := exec.Command(app, "session", "--profile", profile, "--json")
		c.Env = env
		return c
	})
	for i, a := range answers {
		if a.Failure == "" || a.Code != "OAUTH_REFRESH_TOKEN_EXPIRED" {
			t.Errorf("revoked, program %d: code %q, %s", i, a.Code, a.Failure)
		}
	}
	if g := srv.Grants("refresh_token"); g != 1 {
		t.Errorf("revoked: the dead refresh token was sent %d times by %d programs, want 1", g, n)
	}
	code, m := runJSON(t, app, env, "status", "--json")
	var found bool
	for _, p := range m["profiles"].([]any) {
		if p := p.(map[string]any); p["name"] == profile {
			found = true
			if p["complete"] != false || p["sign_in_again"] != true || p["code"] != "OAUTH_REFRESH_TOKEN_EXPIRED" {
				t.Errorf("status --json of the revoked profile: %v", p)
			}
		}
	}
	if !found || code == 0 {
		t.Errorf("status --json: exit %d, profile %s found %v", code, profile, found)
	}
	t.Logf("revoked: %d calls, %d refused, %d refresh grants", n, n, srv.Grants("refresh_token"))
}
