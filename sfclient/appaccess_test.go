package sfclient_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// TestClassifyOAuthError holds the classifier to the answers Salesforce
// gives when an org refuses an app, as the authorization redirect's query
// and as the token endpoint's JSON (ParseAPIError reads the same bodies).
// Sources: help.salesforce.com "OAuth 2.0 Authorization Errors" (expired
// access/refresh token), Microsoft's Copilot for Sales troubleshooting
// ("Failure passed to redirect url. error=OAUTH_APP_BLOCKED
// error_description=this app is blocked by admin", and OAUTH_APP_ACCESS_DENIED
// "user is not admin approved to access this app"), captures of
// RemoteAccessErrorPage.apexp?error=invalid_client&error_description=app+must+be+installed+into+org
// and of the token endpoint's app_not_found "External client app is not
// installed in this org" and invalid_app_access answers.
func TestClassifyOAuthError(t *testing.T) {
	tests := []struct {
		name  string
		query string // the redirect's query, or "" for body
		body  string // the token endpoint's answer
		want  sfclient.Code
	}{
		{name: "blocked, redirect", query: "error=OAUTH_APP_BLOCKED&error_description=this+app+is+blocked+by+admin&state=s", want: sfclient.CodeOAuthAppBlocked},
		{name: "blocked, token", body: `{"error":"OAUTH_APP_BLOCKED","error_description":"this app is blocked by admin"}`, want: sfclient.CodeOAuthAppBlocked},
		{name: "uninstalled connected app, error page", query: "error=invalid_client&error_description=app+must+be+installed+into+org", want: sfclient.CodeOAuthApprovalErrorGeneric},
		{name: "uninstalled connected app, token", body: `{"error":"invalid_client","error_description":"app must be installed into org"}`, want: sfclient.CodeOAuthApprovalErrorGeneric},
		{name: "approval error by name", query: "error=OAUTH_APPROVAL_ERROR_GENERIC&error_description=An+unexpected+error+has+occured+during+authentication.", want: sfclient.CodeOAuthApprovalErrorGeneric},
		{name: "eca not installed, redirect", query: "error=OAUTH_EC_APP_NOT_FOUND&error_description=External+client+app+is+not+installed+in+this+org", want: sfclient.CodeOAuthAppNotInstalled},
		{name: "eca not installed, token", body: `{"error":"app_not_found","error_description":"External client app is not installed in this org"}`, want: sfclient.CodeOAuthAppNotInstalled},
		{name: "user not approved, redirect", query: "error=OAUTH_APP_ACCESS_DENIED&error_description=user+is+not+admin+approved+to+access+this+app", want: sfclient.CodeOAuthUserNotApproved},
		{name: "user not approved, token", body: `{"error":"invalid_app_access","error_description":"user is not admin approved to access this app"}`, want: sfclient.CodeOAuthUserNotApproved},
		// What stays as it was: the grant decides about invalid_grant.
		{name: "expired refresh token, no grant known", body: `{"error":"invalid_grant","error_description":"expired access/refresh token"}`, want: sfclient.CodeOAuthInvalidGrant},
		{name: "jwt consent", body: `{"error": "invalid_grant", "error_description": "user hasn't approved this consumer"}`, want: sfclient.CodeOAuthInvalidGrant},
		{name: "client secret", body: `{"error":"invalid_client","error_description":"invalid client credentials"}`, want: sfclient.CodeOAuthInvalidClient},
		{name: "consent denied", query: "error=access_denied&error_description=end-user+denied+authorization", want: sfclient.CodeOAuthAccessDenied},
		{name: "another upper-case name", query: "error=OAUTH_SOMETHING_NEW", want: "OAUTH_SOMETHING_NEW"},
		{name: "not a name", query: "error=OAUTH_&error_description=x", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got sfclient.Code
			if tt.query != "" {
				q, err := url.ParseQuery(tt.query)
				if err != nil {
					t.Fatal(err)
				}
				got = sfclient.ClassifyOAuthError(q.Get("error"), q.Get("error_description"))
			} else {
				got, _ = sfclient.ParseAPIError([]byte(tt.body))
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAppRefusalAnswers: a saved sign-in refused at the token endpoint for
// each reason gets its code, Salesforce's words as the message, and a hint
// that says what the user and the admin do, naming the Setup page.
func TestAppRefusalAnswers(t *testing.T) {
	tests := []struct {
		body    string
		method  sfclient.Method
		code    sfclient.Code
		hintHas []string
	}{
		{`{"error":"invalid_grant","error_description":"expired access/refresh token"}`, sfclient.MethodOAuthBrowser,
			sfclient.CodeOAuthRefreshTokenExpired, []string{"Sign in again", "login --browser", "5 sign-ins", "Connected Apps OAuth Usage", "refresh-token policy"}},
		// The same words to a password login are not about a saved sign-in.
		{`{"error":"invalid_grant","error_description":"expired access/refresh token"}`, sfclient.MethodOAuthPassword,
			sfclient.CodeOAuthInvalidGrant, nil},
		{`{"error":"OAUTH_APP_BLOCKED","error_description":"this app is blocked by admin"}`, sfclient.MethodOAuthBrowser,
			sfclient.CodeOAuthAppBlocked, []string{"Setup → Apps → Connected Apps OAuth Usage", "Unblock", "You:", "Admin:"}},
		{`{"error":"invalid_client","error_description":"app must be installed into org"}`, sfclient.MethodOAuthBrowser,
			sfclient.CodeOAuthApprovalErrorGeneric, []string{"Approve Uninstalled Connected Apps", "Install", "Permitted Users"}},
		{`{"error":"app_not_found","error_description":"External client app is not installed in this org"}`, sfclient.MethodOAuthBrowser,
			sfclient.CodeOAuthAppNotInstalled, []string{"External Client App Manager", "package", "consumer key"}},
		{`{"error":"invalid_app_access","error_description":"user is not admin approved to access this app"}`, sfclient.MethodOAuthBrowser,
			sfclient.CodeOAuthUserNotApproved, []string{"Admin approved users are pre-authorized", "Permitted Users", "Manage Profiles", "Manage Permission Sets"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.code)+"/"+string(tt.method), func(t *testing.T) {
			base := httpServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/services/oauth2/token" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json;charset=UTF-8")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(tt.body))
			}))
			client := &http.Client{Transport: &redirectAll{base: base}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			c, err := sfclient.New(sfclient.Config{LoginURL: "https://firm.my.salesforce.com", HTTPClient: client, ClientID: clientID, Method: tt.method})
			if err != nil {
				t.Fatal(err)
			}
			r := c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: "pw", RefreshToken: "5Aep861saved"})
			if r.OK || r.Code != tt.code || r.Headline == "" || r.Kind() != sfclient.KindCredentials {
				t.Fatalf("result %s %q %q", r.Code, r.Headline, r.Message)
			}
			if !strings.Contains(tt.body, r.Message) || r.Message == "" {
				t.Errorf("message %q is not Salesforce's", r.Message)
			}
			for _, s := range tt.hintHas {
				if !strings.Contains(r.Hint, s) {
					t.Errorf("hint lacks %q: %s", s, r.Hint)
				}
			}
		})
	}
	for _, code := range sfclient.AppAccessCodes {
		r := sfclient.Result{Code: code}
		sfclient.ExplainForTest(&r)
		if r.Headline == "" || !strings.Contains(r.Hint, "You:") || !strings.Contains(r.Hint, "Admin:") || !strings.Contains(r.Hint, "Setup →") {
			t.Errorf("%s: headline %q, hint %q", code, r.Headline, r.Hint)
		}
	}
}

// TestSignInRefusedByOrg: a browser sign-in the org refuses, in the
// emulator's Salesforce shapes: at the redirect it ends at once with the
// code; on Salesforce's own error page the browser never comes back, and
// the timeout's hint says what that page means.
func TestSignInRefusedByOrg(t *testing.T) {
	tests := []struct {
		name    string
		set     func(*sftest.Server)
		code    sfclient.Code
		hintHas string
	}{
		{"blocked", func(s *sftest.Server) { s.SetAppRefusal(clientID, sftest.AppBlocked) }, sfclient.CodeOAuthAppBlocked, "Unblock"},
		{"eca not installed", func(s *sftest.Server) { s.SetAppRefusal(clientID, sftest.AppNotInstalled) }, sfclient.CodeOAuthAppNotInstalled, "package"},
		{"user not approved", func(s *sftest.Server) { s.SetAdminApproved(clientID) }, sfclient.CodeOAuthUserNotApproved, "Permitted Users"},
		{"connected app not installed", func(s *sftest.Server) { s.SetAppRefusal(clientID, sftest.AppUninstalled) }, sfclient.CodeSignInTimeout, "OAUTH_APPROVAL_ERROR_GENERIC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := signInServer(t, nil)
			tt.set(srv.Server)
			c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
			page := make(chan string, 1)
			o := sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 10 * time.Second, Open: srv.Browser(nil, page)}
			if tt.code == sfclient.CodeSignInTimeout {
				o.Timeout = 500 * time.Millisecond
			}
			_, err := c.SignIn(context.Background(), o)
			var se *sfclient.SignInError
			if !errors.As(err, &se) || se.Code != tt.code || !strings.Contains(se.Hint(), tt.hintHas) {
				t.Fatalf("err = %v (%+v)", err, se)
			}
			if p := <-page; tt.code != sfclient.CodeSignInTimeout && !strings.Contains(p, "Sign-in not completed") {
				t.Errorf("callback page = %q", p)
			}
			if n := srv.Count(http.MethodPost, "/services/oauth2/token"); n != 0 {
				t.Errorf("%d token requests after a refused authorization", n)
			}
		})
	}
}
