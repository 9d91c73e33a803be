package connection_test

import (
	"context"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

// programs are n Services as n processes have them: each its own Store
// on the same settings folder and keychain.
func (f *fixture) programs(t *testing.T, n int) []*connection.Service {
	t.Helper()
	out := make([]*connection.Service, n)
	for i := range out {
		st, err := credstore.Open(credstore.Options{Dir: filepath.Dir(f.store.Path()), Keyring: f.kr})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = &connection.Service{Store: st, Timeout: 10 * time.Second}
	}
	return out
}

// TestSessionOncePerExpiry: many programs asking for a session at once,
// three rounds, each after the last session expired: none fails, every
// token opens the REST API, all get the same one, and each round spends one
// refresh token (browser) or makes one SOAP login (password profile).
func TestSessionOncePerExpiry(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		logins  func(f *fixture) int
	}{
		{"browser profile", "browser", func(f *fixture) int { return refreshGrants(f.srv) }},
		{"password profile", "jane", func(f *fixture) int { return logins(f.srv) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			clock := &sftest.Clock{}
			f.srv.SetClock(clock.Now)
			f.saveBrowser(t, jane)
			f.save(t, f.profile("jane", credstore.MethodSOAP, jane), credstore.Secrets{Password: janePass, SecurityToken: janeToken})
			progs := f.programs(t, 12)
			for round := range 3 {
				f.srv.ResetRequests()
				outs := sessionsAtOnce(progs, tc.profile)
				for i, o := range outs {
					if !o.OK() {
						t.Fatalf("round %d, program %d: %v", round, i, o.Outcome)
					}
					if o.Session.AccessToken != outs[0].Session.AccessToken {
						t.Errorf("round %d: program %d got another session", round, i)
					}
				}
				if code := restWorks(t, f.srv, outs[0].Session); code != http.StatusOK {
					t.Errorf("round %d: the session does not open the REST API: HTTP %d", round, code)
				}
				if n := tc.logins(f); n != 1 {
					t.Errorf("round %d: %d logins, want 1", round, n)
				}
				clock.Move(sftest.SessionLifetime + time.Minute)
			}
		})
	}
}

// staleFirstRead is a store whose first read of the secrets returns the
// refresh token another program already spent: the race a program that
// does not take the lock can cause.
type staleFirstRead struct {
	*credstore.Store
	stale string
	once  sync.Once
}

func (s *staleFirstRead) Secrets(ctx context.Context, name string) (credstore.Secrets, error) {
	sec, err := s.Store.Secrets(ctx, name)
	s.once.Do(func() { sec.RefreshToken = s.stale })
	return sec, err
}

// TestSessionRetriesOnceWithTheWinnersToken: a refresh token Salesforce
// refuses because another program spent it and saved its successor is
// retried once with the successor; the spent one is not sent again.
func TestSessionRetriesOnceWithTheWinnersToken(t *testing.T) {
	f := newFixture(t)
	spent := f.saveBrowser(t, jane)
	// Another program refreshes and saves the rotated token.
	if o := f.service().CheckSaved(context.Background(), "browser"); !o.OK() {
		t.Fatal(o)
	}
	f.srv.ResetRequests()
	svc := &connection.Service{Store: &staleFirstRead{Store: f.store, stale: spent}, Timeout: 10 * time.Second}
	if err := f.store.DeleteCachedSession(context.Background(), "browser"); err != nil {
		t.Fatal(err)
	}
	o := svc.Session(context.Background(), "browser")
	if !o.OK() {
		t.Fatalf("%v", o.Outcome)
	}
	if n := refreshGrants(f.srv); n != 2 {
		t.Errorf("%d refresh grants, want 2 (the spent token, then its successor once)", n)
	}
	if code := restWorks(t, f.srv, o.Session); code != http.StatusOK {
		t.Errorf("HTTP %d", code)
	}
}

// TestSessionProfileBusy: a program that cannot take the profile's lock
// in time says PROFILE_BUSY and sends nothing.
func TestSessionProfileBusy(t *testing.T) {
	f := newFixture(t)
	f.saveBrowser(t, jane)
	holder := f.programs(t, 1)[0].Store.(*credstore.Store)
	unlock, err := holder.LockProfile(context.Background(), "browser")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	o := f.service().Session(ctx, "browser")
	if o.Code != connection.CodeProfileBusy || o.Hint == "" || len(f.srv.Requests()) != 0 {
		t.Errorf("%v (hint %q), %d requests", o.Outcome, o.Hint, len(f.srv.Requests()))
	}
	unlock()
	if o := f.service().Session(context.Background(), "browser"); !o.OK() {
		t.Errorf("after the lock is released: %v", o.Outcome)
	}
}

// TestCachedSessionOnlyInTheKeychain: the session is kept in the keychain
// beside the refresh token, in no file; check of a browser profile and
// session share it; logout removes it.
func TestCachedSessionOnlyInTheKeychain(t *testing.T) {
	f := newFixture(t)
	f.saveBrowser(t, jane)
	svc := f.service()
	if o := svc.CheckSaved(context.Background(), "browser"); !o.OK() || o.Result.Username != jane {
		t.Fatalf("check: %v", o)
	}
	f.srv.ResetRequests()
	o := svc.Session(context.Background(), "browser")
	if !o.OK() || refreshGrants(f.srv) != 0 {
		t.Fatalf("session after check: %v, %d refresh grants (want the check's session)", o.Outcome, refreshGrants(f.srv))
	}
	if v, ok := f.kr.Lookup(credstore.Service, credstore.Account("browser", credstore.KindSession)); !ok || v == "" {
		t.Error("no session in the keychain")
	}
	testfix.AssertNoSecretsInDir(t, filepath.Dir(f.store.Path()), o.Session.AccessToken)
	if o := svc.Remove(context.Background(), "browser"); !o.OK() {
		t.Fatal(o)
	}
	if _, ok := f.kr.Lookup(credstore.Service, credstore.Account("browser", credstore.KindSession)); ok {
		t.Error("the session outlived its profile")
	}
}

// TestSessionExpiredAndRevoked: an expired cached session is refreshed;
// a revoked refresh token fails with OAUTH_REFRESH_TOKEN_EXPIRED and one grant.
func TestSessionExpiredAndRevoked(t *testing.T) {
	f := newFixture(t)
	clock := &sftest.Clock{}
	f.srv.SetClock(clock.Now)
	f.saveBrowser(t, jane)
	svc := f.service()
	first := svc.Session(context.Background(), "browser")
	clock.Move(sftest.SessionLifetime)
	second := svc.Session(context.Background(), "browser")
	if !first.OK() || !second.OK() || first.Session.AccessToken == second.Session.AccessToken || refreshGrants(f.srv) != 2 {
		t.Fatalf("after expiry: %v / %v, %d grants", first.Outcome, second.Outcome, refreshGrants(f.srv))
	}
	f.srv.RevokeRefreshTokens(jane)
	f.srv.ResetRequests()
	o := svc.Session(context.Background(), "browser")
	if o.Code != sfclient.CodeOAuthRefreshTokenExpired || refreshGrants(f.srv) != 1 || o.Session.AccessToken != "" {
		t.Errorf("revoked: %v, %d grants", o.Outcome, refreshGrants(f.srv))
	}
}
