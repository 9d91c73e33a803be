//go:build integration

package bench

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// BenchmarkSessionsAtOnce is issue 19's figure: each op is one session
// expiry after which 20 real `advologix-connect session --json` programs
// ask at once for a browser profile's session (refresh tokens rotated, the
// real keychain). It reports the failed calls and the refresh grants per
// expiry (the goal: 0 and 1), and the wall time of a round.
func BenchmarkSessionsAtOnce(b *testing.B) {
	const clientID, redirect, programs = "bench-rotating", "http://localhost:7890/OauthRedirect", 20
	srv := testfix.StartEmulator(b, func(c *sftest.Config) {
		c.Apps = []sftest.App{{ClientID: clientID, RedirectURIs: []string{redirect}, RotateRefreshTokens: true}}
	})
	clock := &sftest.Clock{}
	srv.SetClock(clock.Now)
	app := appBinary(b)
	dir := b.TempDir()
	env := testfix.AppEnv(b, dir)
	st, err := credstore.Open(credstore.Options{Dir: filepath.Join(dir, "config", "advologix-connect")})
	if err != nil {
		b.Fatal(err)
	}
	refresh, err := srv.BrowserSignIn(testfix.JaneUsername, clientID, redirect)
	if err != nil {
		b.Fatal(err)
	}
	const name = "bench-sessions"
	p := credstore.Profile{Name: name, LoginURL: srv.URL(), Method: credstore.MethodOAuthBrowser, ClientID: clientID, CAFile: srv.CAFile}
	if err := st.Save(context.Background(), p, credstore.Secrets{RefreshToken: refresh}); err != nil {
		b.Fatal(err)
	}
	defer st.Delete(context.Background(), name)
	failed, refreshes := 0, 0
	var wall time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		clock.Move(sftest.SessionLifetime + time.Minute)
		srv.ResetRequests()
		b.StartTimer()
		start := time.Now()
		answers := testfix.SessionsAtOnce(programs, func(int) *exec.Cmd {
			c := exec.Command(app, "session", "--profile", name, "--json")
			c.Env = env
			return c
		})
		wall += time.Since(start)
		for _, a := range answers {
			if a.Failure != "" {
				failed++
				b.Log(a.Failure)
			}
		}
		refreshes += srv.Grants("refresh_token")
	}
	b.StopTimer()
	b.ReportMetric(float64(failed)/float64(b.N), "failed/op")
	b.ReportMetric(float64(refreshes)/float64(b.N), "refreshes/expiry")
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "round-ms/op")
	b.Logf("%d programs × %d expiries: %d calls, %d failed, %d refresh grants, %.0f ms a round",
		programs, b.N, programs*b.N, failed, refreshes, float64(wall.Milliseconds())/float64(b.N))
	if failed > 0 || refreshes != b.N {
		b.Errorf("%d failed calls and %d refresh grants in %d expiries; want 0 and %d", failed, refreshes, b.N, b.N)
	}
}
