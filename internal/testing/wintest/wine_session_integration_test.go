//go:build integration

package wintest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// sessionsUnderWine runs n `advologix-connect.exe session --json` at once
// under Wine and returns each one's access token, or why it has none,
// and the instance URL of the last one that answered.
func sessionsUnderWine(profile string, n int) (tokens, failures []string, instance string) {
	tokens, failures = make([]string, n), make([]string, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := suite.wine.Command(ctx, suite.exe, "session", "--profile", profile, "--json")
			var o, e bytes.Buffer
			cmd.Stdout, cmd.Stderr = &o, &e
			err := cmd.Run()
			var s struct {
				AccessToken string `json:"access_token"`
				InstanceURL string `json:"instance_url"`
				Code        string `json:"code"`
			}
			jerr := json.Unmarshal(bytes.TrimSpace(o.Bytes()), &s)
			switch {
			case err != nil:
				if ee, ok := err.(*exec.ExitError); ok {
					failures[i] = fmt.Sprintf("exit %d, code %q: %s", ee.ExitCode(), s.Code, e.String())
				} else {
					failures[i] = err.Error()
				}
			case jerr != nil || s.AccessToken == "":
				failures[i] = fmt.Sprintf("no session: %v %q", jerr, o.String())
			default:
				tokens[i] = s.AccessToken
				mu.Lock()
				instance = s.InstanceURL
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return tokens, failures, instance
}

// soapLogins counts the SOAP login() calls the emulator answered.
func soapLogins(srv *sftest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/services/Soap/u/") {
			n++
		}
	}
	return n
}

// TestSessionOncePerExpiryUnderWine (issue 19 item 3): many real
// advologix-connect.exe `session --json` at once under Wine — the
// profile's lock is LockFileEx, the cached session is in Credential
// Manager — each round after the session expired on the emulator's clock:
// every call gets the one session and the emulator answers one login per
// expiry.
func TestSessionOncePerExpiryUnderWine(t *testing.T) {
	srv := suite.srv.Server
	clock := &sftest.Clock{}
	srv.SetClock(clock.Now)
	t.Cleanup(func() { srv.SetClock(time.Now) })
	const profile = "wine-session"
	if r := app(t, pass+"\n"+token+"\n", "login", "--profile", profile, "--login-url", suite.srv.URL(),
		"--username", user, "--password-stdin", "--ca-file", suite.caWin); r.code != 0 {
		t.Fatalf("login: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	t.Cleanup(func() { app(t, "", "logout", "--profile", profile) })
	for _, tc := range testfix.SessionRounds {
		t.Run(tc.Name, func(t *testing.T) {
			failed, logins := 0, 0
			for round := range tc.Rounds {
				clock.Move(sftest.SessionLifetime + time.Minute)
				srv.ResetRequests()
				tokens, failures, instance := sessionsUnderWine(profile, tc.Programs)
				for i, f := range failures {
					if f != "" {
						failed++
						t.Errorf("round %d, program %d: %s", round, i, f)
					} else if tokens[i] != tokens[0] {
						t.Errorf("round %d: program %d got another session than program 0", round, i)
					}
				}
				if st, err := srv.QueryStatus(instance, tokens[0]); err != nil || st != 200 {
					t.Errorf("round %d: the session does not open the REST API: %d %v", round, st, err)
				}
				n := soapLogins(srv)
				logins += n
				if n != 1 {
					t.Errorf("round %d: %d logins for %d programs, want 1", round, n, tc.Programs)
				}
			}
			t.Logf("Windows (Wine): %d programs × %d expiries: %d calls, %d failed, %d logins",
				tc.Programs, tc.Rounds, tc.Programs*tc.Rounds, failed, logins)
		})
	}
	noPlaintext(t, pass, token)
}
