package sftest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	confID      = "3MVG9Confidential"
	confSecret  = "ConfSecret123"
	publicID    = "3MVG9Public"
	pkceID      = "3MVG9PKCE"
	rotatingID  = "3MVG9Rotating"
	noPwFlowID  = "3MVG9NoPasswordFlow"
	callbackURL = "http://localhost:7890/OauthRedirect"
)

func orgApps() []App {
	return []App{
		{ClientID: confID, ClientSecret: confSecret, RedirectURIs: []string{callbackURL}, AllowPasswordFlow: true},
		{ClientID: publicID, RedirectURIs: []string{callbackURL, "http://127.0.0.1:7890/OauthRedirect"}, AllowPasswordFlow: true},
		{ClientID: pkceID, RedirectURIs: []string{callbackURL}, RequirePKCE: true},
		{ClientID: rotatingID, RedirectURIs: []string{callbackURL}, RotateRefreshTokens: true},
		{ClientID: noPwFlowID, RedirectURIs: []string{callbackURL}},
	}
}

func TestPasswordGrantSuccess(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	before := time.Now().UnixMilli()
	status, m := passwordGrant(t, s, confID, confSecret, alice, alicePass+aliceToken)
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, m)
	}
	u, _ := s.User(alice)
	wantID := s.URL() + "/id/" + s.OrgID() + "/" + u.UserID
	if m["id"] != wantID || m["instance_url"] != s.URL() || m["token_type"] != "Bearer" {
		t.Errorf("response %v", m)
	}
	if _, has := m["expires_in"]; has {
		t.Error("Salesforce sends no expires_in")
	}
	if _, has := m["refresh_token"]; has {
		t.Error("the password flow issues no refresh token")
	}
	issued, _ := m["issued_at"].(string)
	ms, err := strconv.ParseInt(issued, 10, 64)
	if err != nil || ms < before || ms > time.Now().UnixMilli() {
		t.Errorf("issued_at %q is not a millisecond timestamp", issued)
	}
	mac := hmac.New(sha256.New, []byte(confSecret))
	mac.Write([]byte(wantID + issued))
	if m["signature"] != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Errorf("signature %v does not verify", m["signature"])
	}
	tok, _ := m["access_token"].(string)
	if !strings.HasPrefix(tok, s.OrgID()[:15]+"!AQ") {
		t.Errorf("access_token %q", tok)
	}
	if m["scope"] == nil {
		t.Error("no scope")
	}
}

func TestPasswordGrantErrors(t *testing.T) {
	s := newTestServer(t, Config{Users: append(orgUsers(),
		User{Username: "locked@firm.example", Password: "lo-pw", SecurityToken: "LoToken00000000000000000", Fault: "ORG_LOCKED"},
	), Apps: orgApps(), LockoutAfter: -1})
	good := alicePass + aliceToken
	tests := []struct {
		name              string
		form              url.Values
		basic             []string
		wantStatus        int
		wantErr, wantDesc string
	}{
		{"public client, no secret", url.Values{"client_id": {publicID}, "username": {alice}, "password": {good}}, nil, 200, "", ""},
		{"basic auth client credentials", url.Values{"username": {alice}, "password": {good}}, []string{confID, confSecret}, 200, "", ""},
		{"trusted network without token", url.Values{"client_id": {publicID}, "username": {"office@firm.example"}, "password": {"office-pw"}}, nil, 200, "", ""},
		{"unknown client", url.Values{"client_id": {"nope"}, "username": {alice}, "password": {good}}, nil, 400, "invalid_client_id", "client identifier invalid"},
		{"missing client", url.Values{"username": {alice}, "password": {good}}, nil, 400, "invalid_client_id", "client identifier invalid"},
		{"wrong secret", url.Values{"client_id": {confID}, "client_secret": {"x"}, "username": {alice}, "password": {good}}, nil, 400, "invalid_client", "invalid client credentials"},
		{"missing secret", url.Values{"client_id": {confID}, "username": {alice}, "password": {good}}, nil, 400, "invalid_client", "invalid client credentials"},
		{"wrong basic secret", url.Values{"username": {alice}, "password": {good}}, []string{confID, "x"}, 400, "invalid_client", "invalid client credentials"},
		{"app does not allow the flow", url.Values{"client_id": {noPwFlowID}, "username": {alice}, "password": {good}}, nil, 400, "invalid_grant", "authentication failure"},
		{"wrong password", url.Values{"client_id": {publicID}, "username": {alice}, "password": {"bad"}}, nil, 400, "invalid_grant", "authentication failure"},
		{"missing token", url.Values{"client_id": {publicID}, "username": {alice}, "password": {alicePass}}, nil, 400, "invalid_grant", "authentication failure"},
		{"unknown user", url.Values{"client_id": {publicID}, "username": {"x@y.z"}, "password": {good}}, nil, 400, "invalid_grant", "authentication failure"},
		{"inactive user", url.Values{"client_id": {publicID}, "username": {"gone@firm.example"}, "password": {"gone-pwGoneToken00000000000000x"}}, nil, 400, "inactive_user", "user is inactive"},
		{"inactive user, wrong password", url.Values{"client_id": {publicID}, "username": {"gone@firm.example"}, "password": {"bad"}}, nil, 400, "invalid_grant", "authentication failure"},
		{"expired password", url.Values{"client_id": {publicID}, "username": {"expired@firm.example"}, "password": {"exp-pwExpToken0000000000000000"}}, nil, 400, "invalid_grant", "authentication failure"},
		{"restricted time", url.Values{"client_id": {publicID}, "username": {"night@firm.example"}, "password": {"night-pwNightToken00000000000000"}}, nil, 400, "invalid_grant", "ip restricted or invalid login hours"},
		{"restricted IP", url.Values{"client_id": {publicID}, "username": {"vpn@firm.example"}, "password": {"vpn-pwVpnToken0000000000000000"}}, nil, 400, "invalid_grant", "ip restricted or invalid login hours"},
		{"rate limit", url.Values{"client_id": {publicID}, "username": {"limit@firm.example"}, "password": {"li-pwLiToken00000000000000000"}}, nil, 400, "rate_limit_exceeded", "number of logins exceeded"},
		{"org locked", url.Values{"client_id": {publicID}, "username": {"locked@firm.example"}, "password": {"lo-pwLoToken00000000000000000"}}, nil, 400, "inactive_org", "organization is locked, closed, or suspended"},
		{"challenge", url.Values{"client_id": {publicID}, "username": {"challenge@firm.example"}, "password": {"ch-pwChToken00000000000000000"}}, nil, 400, "invalid_grant", "authentication failure"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("grant_type", "password")
			status, m := postForm(t, s, "/services/oauth2/token", tc.form, tc.basic)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %v", status, tc.wantStatus, m)
			}
			if tc.wantErr == "" {
				if m["access_token"] == nil {
					t.Errorf("no access_token: %v", m)
				}
				return
			}
			if m["error"] != tc.wantErr || m["error_description"] != tc.wantDesc || len(m) != 2 {
				t.Errorf("got %v, want %s / %s", m, tc.wantErr, tc.wantDesc)
			}
		})
	}
}

func TestTokenEndpointMisc(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	for _, gt := range []string{"", "client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"} {
		status, m := postForm(t, s, "/services/oauth2/token", url.Values{"grant_type": {gt}, "client_id": {publicID}}, nil)
		if status != 400 || m["error"] != "unsupported_grant_type" || m["error_description"] != "grant type not supported" {
			t.Errorf("grant_type %q: %d %v", gt, status, m)
		}
	}
	status, _, body := get(t, s, "/services/oauth2/token?grant_type=password", "")
	if status != 400 || !strings.Contains(string(body), `"invalid_request"`) {
		t.Errorf("GET token: %d %s", status, body)
	}

	// Blocking the flow at org level, while running.
	s.SetUsernamePasswordFlowBlocked(true)
	if status, m := passwordGrant(t, s, publicID, "", alice, alicePass+aliceToken); status != 400 || m["error_description"] != "authentication failure" {
		t.Errorf("blocked: %d %v", status, m)
	}
	s.SetUsernamePasswordFlowBlocked(false)
	if status, _ := passwordGrant(t, s, publicID, "", alice, alicePass+aliceToken); status != 200 {
		t.Errorf("unblocked: %d", status)
	}
}

func TestTokenRequestCounting(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	passwordGrant(t, s, publicID, "", alice, alicePass+aliceToken)
	passwordGrant(t, s, publicID, "", alice, "bad")
	if n := s.Count("POST", "/services/oauth2/token"); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || reqs[0].GrantType != "password" || reqs[0].Status != 200 || reqs[1].Status != 400 {
		t.Errorf("log %+v", reqs)
	}
	s.ResetRequests()
	if n := s.Count("", "/services/oauth2/token"); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}

func refresh(t *testing.T, s *Server, clientID, secret, token string) (int, map[string]any) {
	t.Helper()
	f := url.Values{"grant_type": {"refresh_token"}, "client_id": {clientID}, "refresh_token": {token}}
	if secret != "" {
		f.Set("client_secret", secret)
	}
	return postForm(t, s, "/services/oauth2/token", f, nil)
}

func TestRefreshGrant(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice})
	expired := map[string]any{"error": "invalid_grant", "error_description": "expired access/refresh token"}
	isErr := func(m map[string]any, want map[string]any) bool {
		return m["error"] == want["error"] && m["error_description"] == want["error_description"]
	}

	// Non-rotating app: same refresh token works again; none returned.
	_, m := exchange(t, s, publicID, authCodeFor(t, s, publicID, "", ""), "", callbackURL)
	rt := m["refresh_token"].(string)
	for i := range 2 {
		status, m := refresh(t, s, publicID, "", rt)
		if status != 200 || m["refresh_token"] != nil || m["access_token"] == nil || m["signature"] == nil {
			t.Fatalf("refresh %d: %d %v", i, status, m)
		}
	}
	if status, m := refresh(t, s, confID, confSecret, rt); status != 400 || !isErr(m, expired) {
		t.Errorf("refresh token of another client: %d %v", status, m)
	}

	// Rotating app.
	_, m = exchange(t, s, rotatingID, authCodeFor(t, s, rotatingID, "", ""), "", callbackURL)
	old := m["refresh_token"].(string)
	status, m := refresh(t, s, rotatingID, "", old)
	if status != 200 || m["refresh_token"] == nil || m["refresh_token"] == old {
		t.Fatalf("rotation: %d %v", status, m)
	}
	newRT := m["refresh_token"].(string)
	if status, m := refresh(t, s, rotatingID, "", old); status != 400 || !isErr(m, expired) {
		t.Errorf("old refresh token after rotation: %d %v", status, m)
	}
	if status, _ := refresh(t, s, rotatingID, "", newRT); status != 200 {
		t.Errorf("new refresh token: %d", status)
	}

	// Confidential app needs its secret.
	_, m = exchange(t, s, confID, authCodeFor(t, s, confID, "", ""), "", callbackURL)
	crt := m["refresh_token"].(string)
	if status, m := refresh(t, s, confID, "", crt); status != 400 || m["error"] != "invalid_client" {
		t.Errorf("no secret: %d %v", status, m)
	}
	if status, _ := refresh(t, s, confID, confSecret, crt); status != 200 {
		t.Errorf("with secret: %d", status)
	}

	// Revoke endpoint: refresh token and its sessions.
	_, m = exchange(t, s, publicID, authCodeFor(t, s, publicID, "", ""), "", callbackURL)
	rt2, at2 := m["refresh_token"].(string), m["access_token"].(string)
	if status, _, _ := get(t, s, "/services/oauth2/userinfo", at2); status != 200 {
		t.Fatalf("userinfo before revoke: %d", status)
	}
	if status, m := postForm(t, s, "/services/oauth2/revoke", url.Values{"token": {rt2}}, nil); status != 200 || m != nil {
		t.Errorf("revoke: %d %v", status, m)
	}
	if status, m := refresh(t, s, publicID, "", rt2); status != 400 || !isErr(m, expired) {
		t.Errorf("refresh after revoke: %d %v", status, m)
	}
	if status, _, body := get(t, s, "/services/oauth2/userinfo", at2); status != 403 || string(body) != "Bad_OAuth_Token" {
		t.Errorf("access token after revoking its refresh token: %d %s", status, body)
	}
	if status, m := postForm(t, s, "/services/oauth2/revoke", url.Values{"token": {"nope"}}, nil); status != 400 || m["error"] != "unsupported_token_type" {
		t.Errorf("revoke unknown: %d %v", status, m)
	}
	// Revoking an access token ends only that session.
	_, m = exchange(t, s, publicID, authCodeFor(t, s, publicID, "", ""), "", callbackURL)
	if status, _ := postForm(t, s, "/services/oauth2/revoke", url.Values{"token": {m["access_token"].(string)}}, nil); status != 200 {
		t.Errorf("revoke access token: %d", status)
	}
	if status, _ := refresh(t, s, publicID, "", m["refresh_token"].(string)); status != 200 {
		t.Errorf("refresh token revoked with its access token")
	}

	// Server-side revocation of all the user's refresh tokens.
	s.RevokeRefreshTokens(alice)
	for _, tok := range []string{rt, newRT, crt} {
		id := publicID
		secret := ""
		switch tok {
		case newRT:
			id = rotatingID
		case crt:
			id, secret = confID, confSecret
		}
		if status, m := refresh(t, s, id, secret, tok); status != 400 || !isErr(m, expired) {
			t.Errorf("after RevokeRefreshTokens: %d %v", status, m)
		}
	}
	if !regexp.MustCompile(`^5Aep861[A-Za-z0-9._]+$`).MatchString(rt) {
		t.Errorf("refresh token shape %q", rt)
	}
}

func TestTokenParamsInQueryString(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	q := url.Values{"grant_type": {"password"}, "client_id": {confID}, "client_secret": {confSecret}, "username": {alice}, "password": {alicePass + aliceToken}}
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/services/oauth2/token?"+q.Encode(), nil)
	status, _, body := do(t, s, req)
	if status != 200 || !strings.Contains(string(body), `"access_token"`) {
		t.Errorf("%d %s", status, body)
	}
	if r := s.Requests(); len(r) != 1 || r[0].GrantType != "password" || strings.Contains(fmt.Sprint(r), confSecret) {
		t.Errorf("log %+v", r)
	}
}
