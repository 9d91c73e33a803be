package sfclient_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

// failAndExplain makes one failed attempt with cr, then reads the history
// with a session from refresh and returns the matched record.
func failAndExplain(t *testing.T, srv *testfix.Emulator, cfg sfclient.Config, cr sfclient.Credentials, refresh string) (sfclient.Result, sfclient.LoginAttempt, bool) {
	t.Helper()
	c := newChecker(t, srv, cfg)
	start := time.Now()
	r := c.Check(context.Background(), cr)
	end := time.Now()
	b := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
	sess, fail := b.RefreshSession(context.Background(), sfclient.Credentials{RefreshToken: refresh})
	if fail != nil {
		t.Fatalf("refresh: %+v", fail)
	}
	if strings.Contains(sess.String(), sess.AccessToken) {
		t.Fatalf("Session.String shows the token")
	}
	h, err := b.QueryLoginHistory(context.Background(), sess)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := sfclient.FindAttempt(h, c.Method(), start, end)
	return r, a, ok
}

func TestLoginHistoryExplainsGenericFailures(t *testing.T) {
	tests := []struct {
		name    string
		method  sfclient.Method
		cr      sfclient.Credentials
		setup   func(*sftest.Server)
		code    sfclient.Code
		status  string
		suspect sfclient.Field
		hintHas string
	}{
		{"stale token", sfclient.MethodSOAP, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: "OldOldOldOldOldOldOld123"}, nil,
			sfclient.CodeInvalidLogin, "Failed: API security token required", sfclient.FieldToken, "Reset My Security Token"},
		{"wrong password", sfclient.MethodSOAP, sfclient.Credentials{Username: jane, Password: "Wr0ng", SecurityToken: janeToken}, nil,
			sfclient.CodeInvalidLogin, "Invalid Password", sfclient.FieldPassword, "Forgot your password"},
		{"missing token", sfclient.MethodSOAP, sfclient.Credentials{Username: jane, Password: janePass}, nil,
			sfclient.CodeMustUseSecurityToken, "Failed: API security token required", sfclient.FieldToken, "Reset My Security Token"},
		{"restricted IP", sfclient.MethodSOAP, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken},
			func(s *sftest.Server) { _ = s.SetUserFault(jane, "LOGIN_DURING_RESTRICTED_DOMAIN") },
			sfclient.CodeRestrictedDomain, "Restricted IP", sfclient.FieldNetwork, "VPN"},
		{"oauth stale token", sfclient.MethodOAuthPassword, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: "OldOldOldOldOldOldOld123"}, nil,
			sfclient.CodeOAuthInvalidGrant, "Failed: API security token required", sfclient.FieldToken, "Reset My Security Token"},
		{"oauth flow blocked", sfclient.MethodOAuthPassword, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken},
			func(s *sftest.Server) { s.SetUsernamePasswordFlowBlocked(true) },
			sfclient.CodeOAuthInvalidGrant, "Username-Password Flow Disabled", sfclient.FieldAdvanced, "blocks the OAuth username-password flow"},
		{"lockout", sfclient.MethodSOAP, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken},
			func(s *sftest.Server) { s.SetLockoutAfter(1) },
			sfclient.CodePasswordLockout, "Password Lockout", sfclient.FieldAccount, "Wait"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, nil)
			refresh := browserSignIn(t, srv)
			if tt.setup != nil {
				tt.setup(srv.Server)
			}
			if tt.code == sfclient.CodePasswordLockout {
				// One wrong password locks Jane out (LockoutAfter 1).
				check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: "x"})
			}
			r, a, ok := failAndExplain(t, srv, sfclient.Config{Method: tt.method}, tt.cr, refresh)
			if r.Code != tt.code {
				t.Fatalf("code %q, want %q", r.Code, tt.code)
			}
			if !ok || a.Status != tt.status {
				t.Fatalf("matched %v %+v, want status %q (history %+v)", ok, a, tt.status, srv.LoginHistory(jane))
			}
			sfclient.ApplyLoginHistory(&r, a.Status)
			if r.LoginHistoryStatus != tt.status || r.Suspect != tt.suspect || !strings.Contains(r.Hint, tt.hintHas) || r.Code != tt.code {
				t.Errorf("refined: status %q suspect %q hint %q", r.LoginHistoryStatus, r.Suspect, r.Hint)
			}
		})
	}
}

func TestFindAttemptClockSkewAndType(t *testing.T) {
	srv := newServer(t, nil)
	refresh := browserSignIn(t, srv)
	// The server's clock runs 3 minutes ahead of this computer's.
	srv.SetClock(func() time.Time { return time.Now().Add(3 * time.Minute) })
	u, _ := srv.User(jane)
	srv.AddLoginRecord(sftest.LoginRecord{UserID: u.UserID, LoginTime: time.Now().Add(3 * time.Minute), LoginType: sftest.LoginTypeOAuth, Status: "Invalid Password"})
	r, a, ok := failAndExplain(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: "OldOldOldOldOldOldOld123"}, refresh)
	if r.Code != sfclient.CodeInvalidLogin || !ok || a.Status != "Failed: API security token required" || a.LoginType != sftest.LoginTypeSOAP {
		t.Fatalf("skewed clock: matched %v %+v", ok, a)
	}

	// Without the Date header offset, a record 3 minutes away is no match.
	h := sfclient.LoginHistory{Attempts: []sfclient.LoginAttempt{{LoginTime: time.Now().Add(3 * time.Minute), Status: "Invalid Password", LoginType: "Other Apex API"}}}
	if _, ok := sfclient.FindAttempt(h, sfclient.MethodSOAP, time.Now(), time.Now()); ok {
		t.Errorf("a record outside the window matched")
	}
	// A success or a record of the other kind is never the failed attempt.
	now := time.Now()
	h = sfclient.LoginHistory{Attempts: []sfclient.LoginAttempt{
		{LoginTime: now, Status: "Success", LoginType: "Other Apex API"},
		{LoginTime: now, Status: "Invalid Password", LoginType: "Remote Access 2.0"},
	}}
	if a, ok := sfclient.FindAttempt(h, sfclient.MethodSOAP, now, now); ok {
		t.Errorf("matched %+v for a SOAP attempt", a)
	}
	if a, ok := sfclient.FindAttempt(h, sfclient.MethodOAuthPassword, now, now); !ok || a.Status != "Invalid Password" {
		t.Errorf("OAuth attempt: %v %+v", ok, a)
	}
}

func TestQueryLoginHistoryErrors(t *testing.T) {
	srv := newServer(t, nil)
	c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
	_, err := c.QueryLoginHistory(context.Background(), sfclient.Session{AccessToken: "x", InstanceURL: "https://evil.example.com", UserID: "005000000000001AAA"})
	if !errors.Is(err, sfclient.ErrHistoryUnavailable) || len(srv.HistoryQueries()) != 0 {
		t.Errorf("foreign instance: %v", err)
	}
	_, err = c.QueryLoginHistory(context.Background(), sfclient.Session{AccessToken: "bad", InstanceURL: srv.URL(), UserID: "005' OR UserId != '"})
	if !errors.Is(err, sfclient.ErrHistoryUnavailable) {
		t.Errorf("bad user id: %v", err)
	}
	u, _ := srv.User(jane)
	_, err = c.QueryLoginHistory(context.Background(), sfclient.Session{AccessToken: "bad", InstanceURL: srv.URL(), UserID: u.UserID})
	if !errors.Is(err, sfclient.ErrHistoryUnavailable) || !strings.Contains(err.Error(), "401") {
		t.Errorf("bad token: %v", err)
	}
	if _, fail := c.RefreshSession(context.Background(), sfclient.Credentials{RefreshToken: "5Aep861nope"}); fail == nil || fail.Code != sfclient.CodeOAuthRefreshTokenExpired {
		t.Errorf("bad refresh token: %+v", fail)
	}
}

func TestApplyLoginHistoryUnknownAndEmpty(t *testing.T) {
	r := sfclient.Result{Code: sfclient.CodeInvalidLogin, Hint: "Check the password.", Headline: "h"}
	sfclient.ApplyLoginHistory(&r, "")
	if r.LoginHistoryStatus != "" || r.Hint != "Check the password." {
		t.Errorf("empty status changed the result: %+v", r)
	}
	sfclient.ApplyLoginHistory(&r, "Failed: Something New")
	if r.LoginHistoryStatus != "Failed: Something New" || !strings.HasPrefix(r.Hint, "Check the password.") || !strings.Contains(r.Hint, "Something New") || r.Headline != "h" {
		t.Errorf("unknown status: %+v", r)
	}
	for _, s := range sfclient.KnownStatuses() {
		r := sfclient.Result{Code: sfclient.CodeInvalidLogin, Hint: "generic"}
		sfclient.ApplyLoginHistory(&r, strings.ToUpper(s))
		if r.Hint == "generic" || r.Headline == "" || !strings.Contains(r.Hint, "Login History") {
			t.Errorf("%q has no hint of its own: %+v", s, r)
		}
	}
}
