package sfclient_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

func TestCheckRefreshToken(t *testing.T) {
	srv := newServer(t, nil)
	refresh := browserSignIn(t, srv)
	var rotated []string
	cfg := sfclient.Config{Method: sfclient.MethodOAuthBrowser}
	cr := sfclient.Credentials{RefreshToken: refresh, OnRefreshTokenRotated: func(s string) { rotated = append(rotated, s) }}
	r := check(t, srv, cfg, cr)
	if !r.OK || r.Username != jane {
		t.Fatalf("result = %+v", r)
	}
	if len(rotated) != 1 || rotated[0] == refresh || rotated[0] == "" {
		t.Fatalf("rotation callback got %d tokens", len(rotated))
	}
	// The old refresh token is gone after rotation; the new one works.
	if r := check(t, srv, cfg, sfclient.Credentials{RefreshToken: refresh}); r.Code != sfclient.CodeOAuthRefreshTokenExpired {
		t.Errorf("old refresh token: code %q, want OAUTH_REFRESH_TOKEN_EXPIRED", r.Code)
	}
	if r := check(t, srv, cfg, sfclient.Credentials{RefreshToken: rotated[0]}); !r.OK {
		t.Errorf("rotated refresh token: %+v", r)
	}
	srv.RevokeRefreshTokens(jane)
	r = check(t, srv, cfg, sfclient.Credentials{RefreshToken: rotated[0]})
	if r.Code != sfclient.CodeOAuthRefreshTokenExpired || !strings.Contains(r.Hint, "Sign in again") {
		t.Errorf("revoked: %q %q", r.Code, r.Hint)
	}
}

// browserSignIn gets a refresh token from the emulator the way a browser
// would: authorize (auto-approved), then the code exchange with PKCE.
func browserSignIn(t *testing.T, srv *testfix.Emulator) string {
	t.Helper()
	verifier := "a-very-long-pkce-verifier-with-enough-entropy-0123456789"
	challenge := pkceS256(verifier)
	redirect := "http://localhost:7890/OauthRedirect"
	resp, err := srv.Client().Get(srv.URL() + "/services/oauth2/authorize?response_type=code&client_id=" + clientID +
		"&redirect_uri=" + redirect + "&state=s1&code_challenge=" + challenge + "&code_challenge_method=S256")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("authorize did not redirect: %v", err)
	}
	code := loc.Query().Get("code")
	resp, err = srv.Client().PostForm(srv.URL()+"/services/oauth2/token", map[string][]string{
		"grant_type": {"authorization_code"}, "code": {code}, "client_id": {clientID},
		"redirect_uri": {redirect}, "code_verifier": {verifier}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.RefreshToken == "" {
		t.Fatalf("no refresh token: %v", err)
	}
	srv.ResetRequests()
	return tok.RefreshToken
}
