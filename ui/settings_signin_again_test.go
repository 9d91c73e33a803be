package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// TestRevokedSignInSaysSignInAgain: after the admin revokes a browser
// profile's refresh token, the next session the app hands out fails, and
// from then on the tray and Settings say to sign in again (the same saved
// state status reads), until a new sign-in is saved.
func TestRevokedSignInSaysSignInAgain(t *testing.T) {
	f := browserFixture(t, nil)
	redirect := sfclient.CallbackURL(f.u.opt.CallbackPort)
	signIn := func() {
		t.Helper()
		refresh, err := f.srv.BrowserSignIn(jane, testClientID, redirect)
		if err != nil {
			t.Fatal(err)
		}
		p := credstore.Profile{Name: "default", LoginURL: f.srv.URL(), Username: jane, Method: credstore.MethodOAuthBrowser, ClientID: testClientID, CAFile: f.ca}
		if err := f.store.Save(context.Background(), p, credstore.Secrets{RefreshToken: refresh}); err != nil {
			t.Fatal(err)
		}
	}
	signIn()
	if o := f.u.svc.Session(context.Background(), ""); !o.OK() {
		t.Fatalf("session before the revocation: %v", o.Outcome)
	}
	f.srv.RevokeRefreshTokens(jane)
	if o := f.u.svc.Session(context.Background(), ""); o.Code != sfclient.CodeOAuthRefreshTokenExpired {
		t.Fatalf("session after the revocation: %v", o.Outcome)
	}

	v := deriveTray(connection.LoadState(f.store), trayLocal{})
	if v.status != statusFailing || v.line != lineSignInAgain || !strings.Contains(v.tooltip, "Sign in again") {
		t.Errorf("tray: status %v line %q", v.status, v.line)
	}
	s := f.openSettings()
	if h := s.result.headline.Text; !s.result.headline.Visible() || !strings.HasPrefix(h, "Sign in again") {
		t.Errorf("Settings headline %q", h)
	}
	if b := s.result.body.Text; !strings.Contains(b, "login --browser --profile default") {
		t.Errorf("Settings hint %q", b)
	}
	if s.signInBtn.Text != "Sign in again…" {
		t.Errorf("sign-in button %q", s.signInBtn.Text)
	}

	signIn()
	if o := f.u.svc.Session(context.Background(), ""); !o.OK() {
		t.Fatalf("session after signing in again: %v", o.Outcome)
	}
	ps, _ := connection.LoadState(f.store).Profile("")
	if ps.SignInAgain() || ps.Tested != connection.Connected {
		t.Errorf("after signing in again: tested %v, sign in again %v", ps.Tested, ps.SignInAgain())
	}
	if v := deriveTray(connection.LoadState(f.store), trayLocal{}); v.status != statusOK {
		t.Errorf("tray after signing in again: %v %q", v.status, v.line)
	}
}
