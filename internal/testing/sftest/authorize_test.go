package sftest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// pkcePair returns a verifier and its S256 challenge.
func pkcePair(seed string) (verifier, challenge string) {
	verifier = strings.Repeat(seed, 43/len(seed)+1)[:43]
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize calls the authorize endpoint and returns the status and the
// parsed Location (nil if none).
func authorize(t *testing.T, s *Server, params url.Values) (int, *url.URL, string) {
	t.Helper()
	status, hdr, body := get(t, s, "/services/oauth2/authorize?"+params.Encode(), "")
	loc := hdr.Get("Location")
	if loc == "" {
		return status, nil, string(body)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return status, u, string(body)
}

func authCodeFor(t *testing.T, s *Server, clientID, challenge, scope string) string {
	t.Helper()
	p := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {callbackURL}, "state": {"st-1"}}
	if challenge != "" {
		p.Set("code_challenge", challenge)
		p.Set("code_challenge_method", "S256")
	}
	if scope != "" {
		p.Set("scope", scope)
	}
	status, loc, body := authorize(t, s, p)
	if status != http.StatusFound || loc == nil {
		t.Fatalf("authorize: %d %s", status, body)
	}
	if loc.Query().Get("state") != "st-1" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect %s", loc)
	}
	return loc.Query().Get("code")
}

func exchange(t *testing.T, s *Server, clientID, code, verifier, redirect string) (int, map[string]any) {
	t.Helper()
	f := url.Values{"grant_type": {"authorization_code"}, "client_id": {clientID}, "code": {code}, "redirect_uri": {redirect}}
	if verifier != "" {
		f.Set("code_verifier", verifier)
	}
	if clientID == confID {
		f.Set("client_secret", confSecret)
	}
	return postForm(t, s, "/services/oauth2/token", f, nil)
}

func TestAuthorizationCodePKCE(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice, Now: clock})
	verifier, challenge := pkcePair("verifier-abc.~_")

	code := authCodeFor(t, s, pkceID, challenge, "")
	status, m := exchange(t, s, pkceID, code, verifier, callbackURL)
	if status != 200 {
		t.Fatalf("exchange: %d %v", status, m)
	}
	u, _ := s.User(alice)
	if m["refresh_token"] == nil || !strings.HasPrefix(m["refresh_token"].(string), "5Aep861") ||
		m["id"] != s.URL()+"/id/"+s.OrgID()+"/"+u.UserID || m["access_token"] == nil {
		t.Errorf("response %v", m)
	}
	// Single use.
	if status, m := exchange(t, s, pkceID, code, verifier, callbackURL); status != 400 || m["error"] != "invalid_grant" || m["error_description"] != "invalid authorization code" {
		t.Errorf("reuse: %d %v", status, m)
	}

	tests := []struct {
		name, clientID, verifier, redirect string
		wantErr, wantDesc                  string
	}{
		{"wrong verifier", pkceID, "x" + verifier[1:], callbackURL, "invalid_grant", "invalid code verifier"},
		{"missing verifier", pkceID, "", callbackURL, "invalid_grant", "invalid code verifier"},
		{"other redirect_uri", pkceID, verifier, "http://localhost:7890/Other", "redirect_uri_mismatch", "redirect_uri must match configuration"},
		{"other client", publicID, verifier, callbackURL, "invalid_grant", "invalid authorization code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code := authCodeFor(t, s, pkceID, challenge, "")
			status, m := exchange(t, s, tc.clientID, code, tc.verifier, tc.redirect)
			if status != 400 || m["error"] != tc.wantErr || m["error_description"] != tc.wantDesc {
				t.Errorf("%d %v", status, m)
			}
		})
	}
	// A wrong verifier burns the code.
	code = authCodeFor(t, s, pkceID, challenge, "")
	exchange(t, s, pkceID, code, "wrong-verifier-wrong-verifier-wrong-verifier", callbackURL)
	if status, _ := exchange(t, s, pkceID, code, verifier, callbackURL); status != 400 {
		t.Error("code usable after a wrong verifier")
	}
	// Expiry after 15 minutes.
	code = authCodeFor(t, s, pkceID, challenge, "")
	now.Add(int64(16 * time.Minute))
	if status, m := exchange(t, s, pkceID, code, verifier, callbackURL); status != 400 || m["error_description"] != "expired authorization code" {
		t.Errorf("expired code: %d %v", status, m)
	}
	// A confidential client without PKCE, scope without refresh_token.
	code = authCodeFor(t, s, confID, "", "api id")
	status, m = exchange(t, s, confID, code, "", callbackURL)
	if status != 200 || m["refresh_token"] != nil || m["scope"] != "api id" {
		t.Errorf("confidential, scope api id: %d %v", status, m)
	}
}

func TestAuthorizeErrors(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	_, challenge := pkcePair("abc")
	base := func(client string) url.Values {
		return url.Values{"response_type": {"code"}, "client_id": {client}, "redirect_uri": {callbackURL}, "state": {"xyz"}}
	}
	with := func(v url.Values, k, val string) url.Values { v.Set(k, val); return v }

	// No redirect at all: an HTML error page.
	for name, p := range map[string]url.Values{
		"unknown client":     base("nope"),
		"redirect mismatch":  with(base(publicID), "redirect_uri", "http://evil.example/cb"),
		"redirect case":      with(base(publicID), "redirect_uri", "http://localhost:7890/oauthredirect"),
		"redirect trailing":  with(base(publicID), "redirect_uri", callbackURL+"/"),
		"missing redirect":   with(base(publicID), "redirect_uri", ""),
		"redirect for other": with(base(confID), "redirect_uri", "http://127.0.0.1:7890/OauthRedirect"),
	} {
		status, loc, body := authorize(t, s, p)
		if status != 400 || loc != nil || !strings.Contains(body, "<html") {
			t.Errorf("%s: %d %v %q", name, status, loc, body)
		}
	}

	redirectErr := []struct {
		name              string
		params            url.Values
		deny              bool
		wantErr, wantDesc string
	}{
		{"consent denied", base(publicID), true, "access_denied", "end-user denied authorization"},
		{"PKCE required", base(pkceID), false, "invalid_request", "missing required code challenge"},
		{"plain PKCE method", with(with(base(publicID), "code_challenge", challenge), "code_challenge_method", "plain"), false, "invalid_request", "invalid code challenge method"},
		{"implicit flow", with(base(publicID), "response_type", "token"), false, "unsupported_response_type", "response type not supported"},
	}
	denied := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), ConsentDenied: true})
	for _, tc := range redirectErr {
		srv := s
		if tc.deny {
			srv = denied
		}
		status, loc, body := authorize(t, srv, tc.params)
		if status != http.StatusFound || loc == nil {
			t.Fatalf("%s: %d %s", tc.name, status, body)
		}
		q := loc.Query()
		if loc.Scheme+"://"+loc.Host+loc.Path != callbackURL || q.Get("error") != tc.wantErr ||
			q.Get("error_description") != tc.wantDesc || q.Get("state") != "xyz" || q.Get("code") != "" {
			t.Errorf("%s: %s", tc.name, loc)
		}
	}
	if loc := mustLocation(t, s, base(publicID)); !strings.Contains(loc, "code=") || strings.Contains(loc, "error") {
		t.Errorf("consent given: %s", loc)
	}
}

func mustLocation(t *testing.T, s *Server, p url.Values) string {
	t.Helper()
	_, hdr, _ := get(t, s, "/services/oauth2/authorize?"+p.Encode(), "")
	return hdr.Get("Location")
}

func TestConsentDeniedRawRedirect(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), ConsentDenied: true})
	loc := mustLocation(t, s, url.Values{"response_type": {"code"}, "client_id": {publicID}, "redirect_uri": {callbackURL}, "state": {"s 1"}})
	if loc != callbackURL+"?error=access_denied&error_description=end-user+denied+authorization&state=s+1" {
		t.Errorf("Location %q", loc)
	}
}
