//go:build integration

package wintest

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

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
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
				answers := testfix.SessionsAtOnce(tc.Programs, func(int) *exec.Cmd {
					return suite.wine.Command(ctx, suite.exe, "session", "--profile", profile, "--json")
				})
				cancel()
				for i, a := range answers {
					if a.Failure != "" {
						failed++
						t.Errorf("round %d, program %d: %s", round, i, a.Failure)
					} else if a.AccessToken != answers[0].AccessToken {
						t.Errorf("round %d: program %d got another session than program 0", round, i)
					}
				}
				if st, err := srv.QueryStatus(answers[0].InstanceURL, answers[0].AccessToken); err != nil || st != 200 {
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
