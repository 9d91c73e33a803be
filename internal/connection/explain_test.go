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
			if err := f.store.Save(context.Background(), p, tt.secrets); err != nil {
				t.Fatal(err)
			}
			ex, err := connection.CheckSavedAndExplain(context.Background(), f.store, p, 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			r := ex.Result
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
			bp, _ := f.store.Profile("browser")
			if res, err := connection.CheckSaved(context.Background(), f.store, bp, 10*time.Second); err != nil || !res.OK {
				t.Errorf("browser profile after explain: %+v %v", res, err)
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
	if err := f.store.Save(context.Background(), p, credstore.Secrets{Password: janePass, SecurityToken: staleTok}); err != nil {
		t.Fatal(err)
	}
	plain, err := connection.CheckSaved(context.Background(), f.store, p, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.ResetRequests()
	ex, err := connection.CheckSavedAndExplain(context.Background(), f.store, p, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
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
	ex, _ = connection.CheckSavedAndExplain(context.Background(), f.store, p, 10*time.Second)
	if ex.Queried || len(f.srv.HistoryQueries()) != 0 || refreshGrants(f.srv) != 0 {
		t.Errorf("used another user's session: %+v", ex)
	}
}

func TestExplainSkipsWhatNeedsNoExplaining(t *testing.T) {
	f := newFixture(t)
	f.saveBrowser(t, jane)
	for _, sec := range []credstore.Secrets{{Password: janePass, SecurityToken: janeToken}} {
		p := f.profile("jane", credstore.MethodSOAP, jane)
		ex, err := connection.CheckAndExplain(context.Background(), f.store, p, sec, 10*time.Second)
		if err != nil || !ex.Result.OK || ex.Queried {
			t.Errorf("working login explained: %+v %v", ex, err)
		}
	}
	if refreshGrants(f.srv) != 0 || f.srv.Count(http.MethodGet, "/services/data/v64.0/query") != 0 {
		t.Errorf("a working login refreshed or queried")
	}
	// A revoked browser sign-in: the check result stands, a note says why.
	f.srv.RevokeRefreshTokens(jane)
	p := f.profile("jane", credstore.MethodSOAP, jane)
	ex, err := connection.CheckAndExplain(context.Background(), f.store, p, credstore.Secrets{Password: "Wr0ng", SecurityToken: janeToken}, 10*time.Second)
	if err != nil || ex.Result.Code != sfclient.CodeInvalidLogin || ex.Queried || !strings.Contains(ex.Note, "OAUTH_INVALID_GRANT") || ex.Result.LoginHistoryStatus != "" {
		t.Errorf("revoked session: %+v %v", ex, err)
	}
}
