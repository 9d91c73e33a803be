//go:build integration

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// sessionCall is what one `advologix-connect session --json` answered.
type sessionCall struct {
	exit   int
	out    map[string]any
	stderr string
	err    error
}

// sessionsAtOnce starts n `advologix-connect session --json` programs
// before waiting for any, and returns what each answered.
func sessionsAtOnce(t *testing.T, app string, env []string, profile string, n int) []sessionCall {
	t.Helper()
	calls := make([]sessionCall, n)
	outs := make([]bytes.Buffer, n)
	errs := make([]bytes.Buffer, n)
	cmds := make([]*exec.Cmd, n)
	for i := range cmds {
		cmds[i] = exec.Command(app, "session", "--profile", profile, "--json")
		cmds[i].Env = env
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &errs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatalf("start program %d: %v", i, err)
		}
	}
	var wg sync.WaitGroup
	for i, cmd := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &calls[i]
			if err := cmd.Wait(); err != nil {
				if ee, ok := err.(*exec.ExitError); ok {
					c.exit = ee.ExitCode()
				} else {
					c.err = err
				}
			}
		}()
	}
	wg.Wait()
	for i := range calls {
		calls[i].stderr = errs[i].String()
		if calls[i].err == nil {
			if err := json.Unmarshal(outs[i].Bytes(), &calls[i].out); err != nil {
				calls[i].err = fmt.Errorf("not one JSON object: %w: %q", err, outs[i].String())
			}
		}
	}
	return calls
}

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

// TestSessionOncePerExpiryAcrossPrograms (issue 19 item 3): many real
// `advologix-connect session --json` programs at once, each round after
// the last session expired on the emulator's clock, a browser profile
// whose refresh token rotates, the real keychain (gnome-keyring): every
// call succeeds, all get the one session, it opens the REST API, and the
// emulator answers exactly one refresh grant per expiry — no program
// spends a refresh token another one spent. The access token is only in
// the keychain, never in a file.
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
				calls := sessionsAtOnce(t, app, env, profile, tc.Programs)
				var first string
				for i, c := range calls {
					tok, _ := c.out["access_token"].(string)
					if c.err != nil || c.exit != 0 || tok == "" {
						failures++
						t.Errorf("round %d, program %d: exit %d, %v, %v\nstderr: %s", round, i, c.exit, c.err, c.out["code"], c.stderr)
						continue
					}
					if first == "" {
						first = tok
						if st, err := srv.QueryStatus(fmt.Sprint(c.out["instance_url"]), tok); err != nil || st != http.StatusOK {
							t.Errorf("round %d: the session does not open the REST API: HTTP %d, %v", round, st, err)
						}
					} else if tok != first {
						t.Errorf("round %d: program %d got another session than program 0", round, i)
					}
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
		})
	}
}
