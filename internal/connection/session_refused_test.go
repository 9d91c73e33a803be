package connection_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// sessionsAtOnce asks each program for profile's session at once.
func sessionsAtOnce(progs []*connection.Service, profile string) []connection.SessionOutcome {
	outs := make([]connection.SessionOutcome, len(progs))
	var wg sync.WaitGroup
	for i, svc := range progs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = svc.Session(context.Background(), profile)
		}()
	}
	wg.Wait()
	return outs
}

// TestDeadSignInSentOnce: after Salesforce revoked the refresh token, many
// programs at once all say sign in again, with the one code and hint, but
// the dead token is sent once; the profile's state says sign in again. A
// new refresh token — an admin's in the keychain, or a new sign-in — is
// tried as usual.
func TestDeadSignInSentOnce(t *testing.T) {
	f := newFixture(t)
	f.saveBrowser(t, jane)
	progs := f.programs(t, 12)
	if o := progs[0].Session(context.Background(), "browser"); !o.OK() {
		t.Fatal(o.Outcome)
	}
	revoke := func(step string) {
		t.Helper()
		f.srv.RevokeRefreshTokens(jane)
		f.srv.ResetRequests()
		outs := sessionsAtOnce(progs, "browser")
		for i, o := range outs {
			if o.Code != sfclient.CodeOAuthRefreshTokenExpired || o.Hint != outs[0].Hint || o.Session.AccessToken != "" {
				t.Errorf("%s: program %d: %v (hint %q)", step, i, o.Outcome, o.Hint)
			}
		}
		if n := refreshGrants(f.srv); n != 1 {
			t.Errorf("%s: the dead refresh token was sent %d times, want 1", step, n)
		}
		if ps, _ := connection.LoadState(f.store).Profile("browser"); !ps.SignInAgain() {
			t.Errorf("%s: the state does not say sign in again: %+v", step, ps)
		}
	}
	revoke("revoked")
	warned := 0
	for _, o := range sessionsAtOnce(progs[:2], "browser") {
		if strings.Contains(strings.Join(o.Warnings, " "), "not sent again") {
			warned++
		}
	}
	if warned != 2 || refreshGrants(f.srv) != 1 {
		t.Errorf("later calls: %d of 2 say the sign-in was not sent again; %d grants", warned, refreshGrants(f.srv))
	}

	// An admin puts a new refresh token in the keychain: it is used.
	fresh, err := f.srv.BrowserSignIn(jane, clientID, redirect)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.UpdateSecret(context.Background(), "browser", credstore.KindRefreshToken, fresh); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetRequests()
	if o := progs[3].Session(context.Background(), "browser"); !o.OK() || refreshGrants(f.srv) != 1 {
		t.Errorf("an admin's new token: %v, %d grants", o.Outcome, refreshGrants(f.srv))
	}

	// Revoked again, then the user signs in again: a new generation.
	revoke("revoked again")
	f.saveBrowser(t, jane)
	if o := progs[4].Session(context.Background(), "browser"); !o.OK() || refreshGrants(f.srv) != 1 {
		t.Errorf("after signing in again: %v, %d grants", o.Outcome, refreshGrants(f.srv))
	}
	if ps, _ := connection.LoadState(f.store).Profile("browser"); ps.SignInAgain() {
		t.Error("the state still says sign in again after a new sign-in")
	}
}

// TestPassingRefusalIsTriedAgain: a refresh token refused for a reason
// that can pass (an IP range, login hours) is not recorded as dead: the
// next call sends it again, and once the restriction is gone it works.
func TestPassingRefusalIsTriedAgain(t *testing.T) {
	f := newFixture(t)
	f.saveBrowser(t, jane)
	svc := f.service()
	f.srv.SetHostile(sftest.Hostile{ErrorDescription: "ip restricted or invalid login hours"})
	for i := range 2 {
		if o := svc.Session(context.Background(), "browser"); o.Code != sfclient.CodeOAuthInvalidGrant {
			t.Fatalf("call %d while restricted: %v", i, o.Outcome)
		}
	}
	if n := refreshGrants(f.srv); n != 2 {
		t.Errorf("%d refresh grants while restricted, want 2 (one per call)", n)
	}
	f.srv.SetHostile(sftest.Hostile{})
	if o := svc.Session(context.Background(), "browser"); !o.OK() {
		t.Errorf("after the restriction: %v", o.Outcome)
	}
}
