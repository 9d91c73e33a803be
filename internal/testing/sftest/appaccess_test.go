package sftest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAppRefusals: each refusal answers the authorization and the token
// endpoint in Salesforce's shapes, and lifting it makes the app usable.
func TestAppRefusals(t *testing.T) {
	tests := []struct {
		name        string
		set         func(s *Server)
		redirect    url.Values // the callback's error parameters; nil: Salesforce's error page
		tokenStatus int
		token       map[string]any
	}{
		{"blocked", func(s *Server) { s.SetAppRefusal(publicID, AppBlocked) },
			url.Values{"error": {"OAUTH_APP_BLOCKED"}, "error_description": {"this app is blocked by admin"}},
			400, map[string]any{"error": "invalid_grant", "error_description": "expired access/refresh token"}},
		{"external client app not installed", func(s *Server) { s.SetAppRefusal(publicID, AppNotInstalled) },
			url.Values{"error": {"OAUTH_EC_APP_NOT_FOUND"}, "error_description": {"External client app is not installed in this org"}},
			400, map[string]any{"error": "app_not_found", "error_description": "External client app is not installed in this org"}},
		{"connected app not installed", func(s *Server) { s.SetAppRefusal(publicID, AppUninstalled) },
			nil,
			400, map[string]any{"error": "invalid_client", "error_description": "app must be installed into org"}},
		{"user not approved", func(s *Server) { s.SetAdminApproved(publicID, "office@firm.example") },
			url.Values{"error": {"OAUTH_APP_ACCESS_DENIED"}, "error_description": {"user is not admin approved to access this app"}},
			400, map[string]any{"error": "invalid_app_access", "error_description": "user is not admin approved to access this app"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice})
			// A sign-in from before the refusal: its refresh token.
			_, m := exchange(t, s, publicID, authCodeFor(t, s, publicID, "", ""), "", callbackURL)
			rt, _ := m["refresh_token"].(string)
			tt.set(s)

			p := url.Values{"response_type": {"code"}, "client_id": {publicID}, "redirect_uri": {callbackURL}, "state": {"st-9"}}
			status, loc, body := authorize(t, s, p)
			if status != http.StatusFound || loc == nil {
				t.Fatalf("authorize: %d %s", status, body)
			}
			if tt.redirect == nil {
				if loc.Path != remoteAccessErrorPath || loc.Query().Get("error") != "invalid_client" || loc.Query().Get("error_description") != "app must be installed into org" {
					t.Fatalf("authorize sent the browser to %s", loc)
				}
				st, _, page := get(t, s, loc.RequestURI(), "")
				if st != http.StatusOK || !strings.Contains(string(page), "OAUTH_APPROVAL_ERROR_GENERIC") {
					t.Errorf("error page: %d %s", st, page)
				}
			} else {
				q := loc.Query()
				if loc.String()[:len(callbackURL)] != callbackURL || q.Get("state") != "st-9" || q.Get("code") != "" ||
					q.Get("error") != tt.redirect.Get("error") || q.Get("error_description") != tt.redirect.Get("error_description") {
					t.Errorf("redirect %s, want %v", loc, tt.redirect)
				}
			}
			st, m := refresh(t, s, publicID, "", rt)
			if st != tt.tokenStatus || m["error"] != tt.token["error"] || m["error_description"] != tt.token["error_description"] || m["access_token"] != nil {
				t.Errorf("refresh: %d %v, want %d %v", st, m, tt.tokenStatus, tt.token)
			}

			// Lifted: both work again for a new sign-in.
			s.SetAppRefusal(publicID, AppAllowed)
			s.SetAllUsersSelfAuthorize(publicID)
			if st, m := exchange(t, s, publicID, authCodeFor(t, s, publicID, "", ""), "", callbackURL); st != 200 || m["access_token"] == nil {
				t.Errorf("after lifting: %d %v", st, m)
			}
		})
	}
}

// TestAdminApprovedUsers: an approved user signs in, another is refused,
// and the policy applies to the app it is set on only.
func TestAdminApprovedUsers(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice})
	s.SetAdminApproved(publicID, strings.ToUpper(alice))
	if st, m := exchange(t, s, publicID, authCodeFor(t, s, publicID, "", ""), "", callbackURL); st != 200 || m["access_token"] == nil {
		t.Fatalf("approved user: %d %v", st, m)
	}
	s.SetAdminApproved(publicID)
	p := url.Values{"response_type": {"code"}, "client_id": {publicID}, "redirect_uri": {callbackURL}, "state": {"s"}}
	if _, loc, _ := authorize(t, s, p); loc == nil || loc.Query().Get("error") != "OAUTH_APP_ACCESS_DENIED" {
		t.Errorf("nobody approved: %v", loc)
	}
	if _, m := exchange(t, s, otherApp(t), "", "", callbackURL); m["error"] == "invalid_app_access" {
		t.Errorf("another app refused too: %v", m)
	}
}

// otherApp is an app of orgApps other than publicID.
func otherApp(t *testing.T) string {
	t.Helper()
	for _, a := range orgApps() {
		if a.ClientID != publicID {
			return a.ClientID
		}
	}
	t.Fatal("orgApps has one app only")
	return ""
}
