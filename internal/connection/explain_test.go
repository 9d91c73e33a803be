package connection_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// checkSavedAndExplain is what check --profile does: one login with the
// saved profile, then Service.Explain.
func checkSavedAndExplain(f *fixture, name string) (connection.Outcome, connection.Explanation) {
	svc := f.service()
	start := time.Now()
	return svc.Explain(context.Background(), svc.CheckSaved(context.Background(), name), start)
}

// testAndExplain is what check --explain does with typed credentials.
func testAndExplain(f *fixture, p credstore.Profile, sec credstore.Secrets) (connection.Outcome, connection.Explanation) {
	svc := f.service()
	start := time.Now()
	return svc.Explain(context.Background(), svc.Test(context.Background(), p, sec), start)
}

func TestCheckSavedAndExplain(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		secrets credstore.Secrets
		code    sfclient.Code
		status  string
		suspect sfclient.Field
		hintHas string
	}{
		{"stale token", credstore.MethodSOAP, credstore.Secrets{Password: janePass, SecurityToken: staleTok},
			sfclient.CodeInvalidLogin, "Failed: API security token required", sfclient.FieldToken, "Reset My Security Token"},
		{"missing token", credstore.MethodSOAP, credstore.Secrets{Password: janePass},
			sfclient.CodeMustUseSecurityToken, "Failed: API security token required", sfclient.FieldToken, "Reset My Security Token"},
		{"wrong password", credstore.MethodSOAP, credstore.Secrets{Password: "Wr0ng-Horse", SecurityToken: janeToken},
			sfclient.CodeInvalidLogin, "Invalid Password", sfclient.FieldPassword, "Forgot your password"},
		{"oauth stale token", credstore.MethodOAuthPassword, credstore.Secrets{Password: janePass, SecurityToken: staleTok},
			sfclient.CodeOAuthInvalidGrant, "Failed: API security token required", sfclient.FieldToken, "Reset My Security Token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			oldRefresh := f.saveBrowser(t, jane)
			p := f.profile("jane", tt.method, jane)
			f.save(t, p, tt.secrets)
			out, ex := checkSavedAndExplain(f, "jane")
			r := ex.Result
			if out.Result.LoginHistoryStatus != r.LoginHistoryStatus || out.Hint != r.Hint || out.Suspect != r.Suspect || out.Headline != r.Headline || out.Code != tt.code {
				t.Errorf("the outcome does not follow the explained Result: %+v", out)
			}
			if r.Code != tt.code || ex.Status != tt.status || r.LoginHistoryStatus != tt.status || !ex.Queried || ex.Session != "browser" {
				t.Fatalf("code %q status %q queried %v note %q", r.Code, ex.Status, ex.Queried, ex.Note)
			}
			if r.Suspect != tt.suspect || !strings.Contains(r.Hint, tt.hintHas) || !strings.Contains(r.Hint, "Login History") {
				t.Errorf("hint not refined: suspect %q hint %q", r.Suspect, r.Hint)
			}
			// One password login, one refresh, one history query.
			if n := len(f.srv.HistoryQueries()); n != 1 || refreshGrants(f.srv) != 1 {
				t.Errorf("history queries %d, refreshes %d; want 1 and 1", n, refreshGrants(f.srv))
			}
			// The rotated refresh token replaced the saved one, and works.
			sec, err := f.store.Secrets(context.Background(), "browser")
			if err != nil || sec.RefreshToken == oldRefresh || sec.RefreshToken == "" {
				t.Fatalf("rotated refresh token not saved: %v", err)
			}
			if out := f.service().CheckSaved(context.Background(), "browser"); !out.OK() {
				t.Errorf("browser profile after explain: %+v", out)
			}
			// Nothing from the history is stored.
			for _, v := range f.kr.Values() {
				if strings.Contains(v, "Failed") || strings.Contains(v, "Invalid") {
					t.Errorf("history stored in the keychain: %q", v)
				}
			}
		})
	}
}

func TestExplainWithoutSessionSendsNothing(t *testing.T) {
	f := newFixture(t)
	p := f.profile("jane", credstore.MethodSOAP, jane)
	f.save(t, p, credstore.Secrets{Password: janePass, SecurityToken: staleTok})
	plain := f.service().CheckSaved(context.Background(), "jane").Result
	f.srv.ResetRequests()
	_, ex := checkSavedAndExplain(f, "jane")
	r := ex.Result
	if ex.Queried || ex.Status != "" || r.LoginHistoryStatus != "" || !strings.Contains(ex.Note, "no browser sign-in") {
		t.Errorf("explained without a session: %+v", ex)
	}
	if r.Code != plain.Code || r.Hint != plain.Hint || r.Headline != plain.Headline || r.Suspect != plain.Suspect {
		t.Errorf("result differs from today's: %+v vs %+v", r, plain)
	}
	if n := len(f.srv.HistoryQueries()); n != 0 || refreshGrants(f.srv) != 0 || len(f.srv.Requests()) != 1 {
		t.Errorf("sent %d requests, %d history queries, %d refreshes; want only the login", len(f.srv.Requests()), n, refreshGrants(f.srv))
	}

	// A browser profile of another user is no session for jane.
	f.saveBrowser(t, "ann@firm.example.com")
	_, ex = checkSavedAndExplain(f, "jane")
	if ex.Queried || len(f.srv.HistoryQueries()) != 0 || refreshGrants(f.srv) != 0 {
		t.Errorf("used another user's session: %+v", ex)
	}
}

func TestExplainSkipsWhatNeedsNoExplaining(t *testing.T) {
	f := newFixture(t)
	f.saveBrowser(t, jane)
	for _, sec := range []credstore.Secrets{{Password: janePass, SecurityToken: janeToken}} {
		p := f.profile("jane", credstore.MethodSOAP, jane)
		out, ex := testAndExplain(f, p, sec)
		if !out.OK() || !ex.Result.OK || ex.Queried {
			t.Errorf("working login explained: %+v", ex)
		}
	}
	if refreshGrants(f.srv) != 0 || f.srv.Count(http.MethodGet, "/services/data/v64.0/query") != 0 {
		t.Errorf("a working login refreshed or queried")
	}
	// A revoked browser sign-in: the check result stands, a note says why.
	f.srv.RevokeRefreshTokens(jane)
	p := f.profile("jane", credstore.MethodSOAP, jane)
	out, ex := testAndExplain(f, p, credstore.Secrets{Password: "Wr0ng", SecurityToken: janeToken})
	if out.Code != sfclient.CodeInvalidLogin || ex.Result.Code != sfclient.CodeInvalidLogin || ex.Queried || !strings.Contains(ex.Note, "OAUTH_REFRESH_TOKEN_EXPIRED") || ex.Result.LoginHistoryStatus != "" {
		t.Errorf("revoked session: %+v", ex)
	}
}
