package sfclient_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

const (
	jane      = testfix.JaneUsername
	janePass  = testfix.JanePassword
	janeToken = testfix.JaneToken
	clientID  = "3MVG9.advologix.connect"
)

// newServer starts an emulator of testfix's org with, besides Jane (who
// needs a token), an office user (trusted network), an IP-ranges user (no
// token), and a public client app.
func newServer(t *testing.T, mod func(*sftest.Config)) *testfix.Emulator {
	t.Helper()
	return testfix.StartEmulator(t, func(cfg *sftest.Config) {
		cfg.Users = append(cfg.Users,
			sftest.User{Username: "office@firm.example.com", Password: "office-pass", SecurityToken: "OfficeToken0123456789abc", TrustedNetwork: true, FullName: "Office User"},
			sftest.User{Username: "ipranges@firm.example.com", Password: "ipr-pass", FullName: "Range User"})
		cfg.Apps = []sftest.App{{ClientID: clientID, AllowPasswordFlow: true, RotateRefreshTokens: true,
			RedirectURIs: []string{"http://localhost:7890/OauthRedirect"}}}
		if mod != nil {
			mod(cfg)
		}
	})
}

func newChecker(t *testing.T, srv *testfix.Emulator, cfg sfclient.Config) *sfclient.Checker {
	t.Helper()
	if cfg.LoginURL == "" {
		cfg.LoginURL = srv.URL()
	}
	if cfg.CAFile == "" && strings.HasPrefix(cfg.LoginURL, "https:") {
		cfg.CAFile = srv.CAFile
	}
	if cfg.Method != sfclient.MethodSOAP && cfg.Method != "" && cfg.ClientID == "" {
		cfg.ClientID = clientID
	}
	c, err := sfclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func check(t *testing.T, srv *testfix.Emulator, cfg sfclient.Config, cr sfclient.Credentials) sfclient.Result {
	t.Helper()
	return newChecker(t, srv, cfg).Check(context.Background(), cr)
}

// loginRequests counts the requests that could count as a failed login.
func loginRequests(srv *testfix.Emulator) int {
	n := srv.Count(http.MethodPost, "/services/oauth2/token")
	for _, r := range srv.Requests() {
		if strings.HasPrefix(r.Path, "/services/Soap/u/") {
			n++
		}
	}
	return n
}

func TestCheckSOAPSuccess(t *testing.T) {
	srv := newServer(t, nil)
	r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: " " + janeToken + "\n"})
	if !r.OK || r.Code != "" {
		t.Fatalf("result = %+v", r)
	}
	want := sfclient.Result{OK: true, Method: sfclient.MethodSOAP, LoginURL: srv.URL(), InstanceURL: srv.URL(),
		Username: jane, UserFullName: "Jane Doe", OrganizationName: "Firm & Partners LLP"}
	if r.Method != want.Method || r.LoginURL != want.LoginURL || r.InstanceURL != want.InstanceURL ||
		r.Username != want.Username || r.UserFullName != want.UserFullName || r.OrganizationName != want.OrganizationName {
		t.Errorf("result = %+v\nwant like %+v", r, want)
	}
	if !strings.HasPrefix(r.UserID, "005") || !strings.HasPrefix(r.OrganizationID, "00D") || r.Sandbox || r.PasswordExpired {
		t.Errorf("ids/flags = %q %q sandbox=%v expired=%v", r.UserID, r.OrganizationID, r.Sandbox, r.PasswordExpired)
	}
	if r.SessionSecondsValid <= 0 || r.UserEmail == "" || r.Headline != "Connected" {
		t.Errorf("session seconds %d, email %q, headline %q", r.SessionSecondsValid, r.UserEmail, r.Headline)
	}
	if n := loginRequests(srv); n != 1 {
		t.Errorf("login requests = %d, want 1", n)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("a good SOAP login cost %d requests, want 1 (no pre-flight on the common path)", n)
	}
}

// TestCheckCodes drives each outcome the emulator can produce through the
// SOAP and OAuth doors and checks the code, the input blamed and the hint.
func TestCheckCodes(t *testing.T) {
	type tc struct {
		name    string
		server  func(*sftest.Config)
		cfg     sfclient.Config
		creds   sfclient.Credentials
		code    sfclient.Code
		suspect sfclient.Field
		hintHas []string
		expired bool
	}
	withFault := func(code string) func(*sftest.Config) {
		return func(c *sftest.Config) { c.Users[0].Fault = code }
	}
	good := sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken}
	oauth := sfclient.Config{Method: sfclient.MethodOAuthPassword}
	tests := []tc{
		{name: "stale token after a password change", creds: sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: "OldToken0123456789abcdef"},
			code: sfclient.CodeInvalidLogin, suspect: sfclient.FieldToken, hintHas: []string{"security token was reset", "Reset My Security Token"}},
		{name: "wrong password without a token", creds: sfclient.Credentials{Username: jane, Password: "nope"},
			code: sfclient.CodeInvalidLogin, suspect: sfclient.FieldPassword, hintHas: []string{"may need your security token"}},
		{name: "token missing outside the trusted network", creds: sfclient.Credentials{Username: jane, Password: janePass},
			code: sfclient.CodeMustUseSecurityToken, suspect: sfclient.FieldToken, hintHas: []string{"trusted network", "Security token field"}},
		{name: "trusted network needs no token", creds: sfclient.Credentials{Username: "office@firm.example.com", Password: "office-pass"}},
		{name: "trusted network with token", creds: sfclient.Credentials{Username: "office@firm.example.com", Password: "office-pass", SecurityToken: "OfficeToken0123456789abc"}},
		{name: "IP ranges user without token", creds: sfclient.Credentials{Username: "ipranges@firm.example.com", Password: "ipr-pass"}},
		{name: "password expired", server: func(c *sftest.Config) { c.Users[0].PasswordExpired = true }, creds: good,
			code: sfclient.CodePasswordExpired, suspect: sfclient.FieldPassword, hintHas: []string{"set a new password", "resets your security token"}, expired: true},
		{name: "lockout", server: withFault("PASSWORD_LOCKOUT"), creds: good, code: sfclient.CodePasswordLockout, suspect: sfclient.FieldAccount, hintHas: []string{"unlock"}},
		{name: "login hours", server: withFault("LOGIN_DURING_RESTRICTED_TIME"), creds: good, code: sfclient.CodeRestrictedTime, suspect: sfclient.FieldAccount, hintHas: []string{"login hours"}},
		{name: "login IP ranges", server: withFault("LOGIN_DURING_RESTRICTED_DOMAIN"), creds: good, code: sfclient.CodeRestrictedDomain, suspect: sfclient.FieldNetwork, hintHas: []string{"VPN", "Login IP Ranges"}},
		{name: "computer activation", server: withFault("LOGIN_CHALLENGE_ISSUED"), creds: good, code: sfclient.CodeChallengeIssued, suspect: sfclient.FieldToken, hintHas: []string{"verification code"}},
		{name: "API disabled", server: withFault("API_DISABLED_FOR_ORG"), creds: good, code: sfclient.CodeAPIDisabledForOrg, suspect: sfclient.FieldAccount, hintHas: []string{"API Enabled"}},
		{name: "API temporarily off", server: withFault("API_CURRENTLY_DISABLED"), creds: good, code: sfclient.CodeAPICurrentlyDisabled, hintHas: []string{"status.salesforce.com"}},
		{name: "request limit", server: withFault("REQUEST_LIMIT_EXCEEDED"), creds: good, code: sfclient.CodeRequestLimitExceeded, suspect: sfclient.FieldAccount, hintHas: []string{"Wait"}},
		{name: "org locked", server: withFault("ORG_LOCKED"), creds: good, code: sfclient.CodeOrgLocked, suspect: sfclient.FieldAccount, hintHas: []string{"admin"}},
		{name: "SOAP login retired", server: func(c *sftest.Config) { c.MaxSOAPLoginVersion = 60 }, creds: good,
			code: sfclient.CodeUnsupportedAPIVersion, suspect: sfclient.FieldAdvanced, hintHas: []string{"browser sign-in", "Summer ’27"}},
		{name: "SOAP login switched off", server: func(c *sftest.Config) { c.SOAPLoginDisabled = true }, creds: good,
			code: sfclient.CodeInsufficientAccess, suspect: sfclient.FieldAdvanced, hintHas: []string{"browser sign-in", "Winter ’26"}},
		{name: "inactive user", server: func(c *sftest.Config) { c.Users[0].Inactive = true }, creds: good, code: sfclient.CodeInvalidLogin, suspect: sfclient.FieldToken},
		{name: "password with stray spaces", creds: sfclient.Credentials{Username: jane, Password: janePass + " ", SecurityToken: janeToken},
			code: sfclient.CodeInvalidLogin, suspect: sfclient.FieldToken, hintHas: []string{"ends with a space"}},

		{name: "oauth ok", cfg: oauth, creds: good},
		{name: "oauth stale token", cfg: oauth, creds: sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: "Old"},
			code: sfclient.CodeOAuthInvalidGrant, suspect: sfclient.FieldToken, hintHas: []string{"security token was reset", "Summer ’23"}},
		{name: "oauth flow blocked", cfg: oauth, server: func(c *sftest.Config) { c.UsernamePasswordFlowBlocked = true }, creds: good,
			code: sfclient.CodeOAuthInvalidGrant, suspect: sfclient.FieldToken, hintHas: []string{"blocks the OAuth username-password flow", "browser sign-in"}},
		{name: "oauth unknown client id", cfg: sfclient.Config{Method: sfclient.MethodOAuthPassword, ClientID: "nope"}, creds: good,
			code: sfclient.CodeOAuthInvalidClientID, suspect: sfclient.FieldAdvanced, hintHas: []string{"consumer key"}},
		{name: "oauth secret required", cfg: oauth, creds: good,
			server: func(c *sftest.Config) { c.Apps[0].ClientSecret = "app-secret" },
			code:   sfclient.CodeOAuthInvalidClient, suspect: sfclient.FieldAdvanced, hintHas: []string{"ADVOLOGIX_CLIENT_SECRET"}},
		{name: "oauth with secret", cfg: oauth, creds: sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken, ClientSecret: "app-secret"},
			server: func(c *sftest.Config) { c.Apps[0].ClientSecret = "app-secret" }},
		{name: "oauth inactive user", cfg: oauth, server: func(c *sftest.Config) { c.Users[0].Inactive = true }, creds: good,
			code: sfclient.CodeOAuthInactiveUser, suspect: sfclient.FieldUsername},
		{name: "oauth inactive org", cfg: oauth, server: withFault("ORG_LOCKED"), creds: good, code: sfclient.CodeOAuthInactiveOrg, suspect: sfclient.FieldAccount},
		{name: "oauth rate limit", cfg: oauth, server: withFault("REQUEST_LIMIT_EXCEEDED"), creds: good, code: sfclient.CodeOAuthRateLimitExceeded, suspect: sfclient.FieldAccount},
		{name: "oauth login hours", cfg: oauth, server: withFault("LOGIN_DURING_RESTRICTED_TIME"), creds: good,
			code: sfclient.CodeOAuthInvalidGrant, suspect: sfclient.FieldNetwork, hintHas: []string{"hours"}},
	}
	for _, faultStyle := range []sftest.FaultStyle{sftest.FaultNoDetail, sftest.FaultNS1Prefix, sftest.FaultNoPrefix} {
		fs := faultStyle
		tests = append(tests, tc{name: "fault style " + fs.String(), server: func(c *sftest.Config) { c.FaultStyle = fs },
			creds: sfclient.Credentials{Username: jane, Password: janePass}, code: sfclient.CodeMustUseSecurityToken, suspect: sfclient.FieldToken})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.server)
			r := check(t, srv, tt.cfg, tt.creds)
			if r.Code != tt.code || r.OK != (tt.code == "") {
				t.Fatalf("code = %q ok=%v (%s: %s), want %q", r.Code, r.OK, r.Headline, r.Message, tt.code)
			}
			if r.Suspect != tt.suspect {
				t.Errorf("suspect = %q, want %q", r.Suspect, tt.suspect)
			}
			for _, s := range tt.hintHas {
				if !strings.Contains(r.Hint, s) {
					t.Errorf("hint %q lacks %q", r.Hint, s)
				}
			}
			if r.PasswordExpired != tt.expired {
				t.Errorf("password_expired = %v, want %v", r.PasswordExpired, tt.expired)
			}
			if !r.OK && (r.Headline == "" || r.Hint == "") {
				t.Errorf("failure without headline or hint: %+v", r)
			}
			if r.OK && (r.UserFullName == "" || r.OrganizationID == "" || r.InstanceURL != srv.URL()) {
				t.Errorf("success without who and where: %+v", r)
			}
			if tt.expired && r.UserFullName == "" {
				t.Errorf("expired password should still say who: %+v", r)
			}
			if n := loginRequests(srv); n != 1 {
				t.Errorf("login requests = %d, want exactly 1", n)
			}
		})
	}
}

func TestCheckOAuthFillsOrganization(t *testing.T) {
	srv := newServer(t, func(c *sftest.Config) { c.Sandbox = true })
	r := check(t, srv, sfclient.Config{Method: sfclient.MethodOAuthPassword}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
	if !r.OK || r.OrganizationName != "Firm & Partners LLP" || !r.Sandbox || r.Username != jane || r.UserFullName != "Jane Doe" {
		t.Fatalf("result = %+v", r)
	}
	if srv.Count(http.MethodPost, "/services/oauth2/token") != 1 || srv.Count(http.MethodGet, "/services/oauth2/userinfo") != 1 {
		t.Errorf("requests = %+v", srv.Requests())
	}
}

func TestCheckAPIVersionCappedForSOAP(t *testing.T) {
	srv := newServer(t, nil)
	r := check(t, srv, sfclient.Config{APIVersion: "66.0"}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
	if !r.OK {
		t.Fatalf("result = %+v", r)
	}
	if srv.Count(http.MethodPost, "/services/Soap/u/64.0") != 1 {
		t.Errorf("login() not sent to 64.0: %+v", srv.Requests())
	}
	if !containsAny(r.Warnings, "64.0") {
		t.Errorf("warnings = %q, want a note on the lowered version", r.Warnings)
	}
}

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
	if r := check(t, srv, cfg, sfclient.Credentials{RefreshToken: refresh}); r.Code != sfclient.CodeOAuthInvalidGrant {
		t.Errorf("old refresh token: code %q, want OAUTH_INVALID_GRANT", r.Code)
	}
	if r := check(t, srv, cfg, sfclient.Credentials{RefreshToken: rotated[0]}); !r.OK {
		t.Errorf("rotated refresh token: %+v", r)
	}
	srv.RevokeRefreshTokens(jane)
	r = check(t, srv, cfg, sfclient.Credentials{RefreshToken: rotated[0]})
	if r.Code != sfclient.CodeOAuthInvalidGrant || !strings.Contains(r.Hint, "Sign in again") {
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

func TestCheckTokenResetElsewhere(t *testing.T) {
	srv := newServer(t, nil)
	cr := sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken}
	if r := check(t, srv, sfclient.Config{}, cr); !r.OK {
		t.Fatalf("first check: %+v", r)
	}
	newToken, err := srv.ChangePassword(jane, "N3w-Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	cr.Password = "N3w-Passw0rd!"
	r := check(t, srv, sfclient.Config{}, cr)
	if r.Code != sfclient.CodeInvalidLogin || r.Suspect != sfclient.FieldToken {
		t.Fatalf("old token after password change: %q suspect %q", r.Code, r.Suspect)
	}
	cr.SecurityToken = newToken
	if r := check(t, srv, sfclient.Config{}, cr); !r.OK {
		t.Errorf("new token: %+v", r)
	}
}

func TestCheckSpecialCharacters(t *testing.T) {
	for _, cred := range []struct{ user, pass string }{
		{`o'brien+law&co@firm.example.com`, `<&>"'` + "]]>"},
		{"zoë@firm.example.com", "pässwörd-中文-🙂"},
		{"tab@firm.example.com", "with\ttab and  spaces"},
	} {
		t.Run(cred.user, func(t *testing.T) {
			srv := newServer(t, func(c *sftest.Config) {
				c.Users = append(c.Users, sftest.User{Username: cred.user, Password: cred.pass, SecurityToken: "Tok3n"})
			})
			for _, m := range []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword} {
				r := check(t, srv, sfclient.Config{Method: m}, sfclient.Credentials{Username: cred.user, Password: cred.pass, SecurityToken: "Tok3n"})
				if !r.OK {
					t.Errorf("%s: %s %s", m, r.Code, r.Message)
				}
			}
		})
	}
}

func TestCheckPlainHTTPLoopback(t *testing.T) {
	srv := newServer(t, func(c *sftest.Config) { c.PlainHTTP = true })
	r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
	if !r.OK || !strings.HasPrefix(r.LoginURL, "http://127.0.0.1:") {
		t.Fatalf("result = %+v", r)
	}
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	srv := newServer(t, func(c *sftest.Config) { c.LockoutAfter = 3 })
	c := newChecker(t, srv, sfclient.Config{})
	bad := sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: "stale"}
	for i := 0; i < 3; i++ {
		if r := c.Check(context.Background(), bad); r.Code != sfclient.CodeInvalidLogin {
			t.Fatalf("attempt %d: %q", i, r.Code)
		}
	}
	if got := srv.FailedLogins(jane); got != 3 {
		t.Fatalf("server counted %d failed logins for 3 attempts; the client must not retry", got)
	}
	r := c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
	if r.Code != sfclient.CodePasswordLockout || !strings.Contains(r.Hint, "unlock") {
		t.Errorf("after lockout: %q %q", r.Code, r.Hint)
	}
}

// TestBadAnswers covers what is not a Salesforce verdict: malformed,
// oversized, slow, HTML, server errors, redirects. Each stays within its
// time limit and sends one login request.
func TestBadAnswers(t *testing.T) {
	soapOnly := func(h http.HandlerFunc) func(*sftest.Config) {
		return func(c *sftest.Config) {
			c.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasPrefix(r.URL.Path, "/services/Soap/") && r.URL.Path != "/services/oauth2/token" {
					return false
				}
				h(w, r)
				return true
			}
		}
	}
	everything := func(h http.HandlerFunc) func(*sftest.Config) {
		return func(c *sftest.Config) {
			c.Intercept = func(w http.ResponseWriter, r *http.Request) bool { h(w, r); return true }
		}
	}
	portal := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>Hotel Guest Wi-Fi</title></head><body>Accept the terms</body></html>")
	}
	tests := []struct {
		name      string
		server    func(*sftest.Config)
		method    sfclient.Method
		timeout   time.Duration
		code      sfclient.Code
		msgHas    string
		hintHas   string
		reachable string // "yes", "no" or "" (no probe)
	}{
		{name: "malformed XML", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, "<soapenv:Envelope><soapenv:Body><loginResponse><result>")
		}), code: sfclient.CodeUnexpectedResponse, hintHas: "Salesforce itself is reachable", reachable: "yes"},
		{name: "oversized", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			chunk := strings.Repeat("x", 64<<10)
			for i := 0; i < 40; i++ {
				if _, err := fmt.Fprint(w, chunk); err != nil {
					return
				}
			}
		}), code: sfclient.CodeUnexpectedResponse, msgHas: "larger than 1024 KiB", reachable: "yes"},
		{name: "captive portal", server: everything(portal), code: sfclient.CodeUnexpectedResponse,
			msgHas: "Hotel Guest Wi-Fi", hintHas: "Wi-Fi sign-in page", reachable: "no"},
		{name: "oauth captive portal", method: sfclient.MethodOAuthPassword, server: everything(portal), code: sfclient.CodeUnexpectedResponse, reachable: "no"},
		{name: "503 page", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, "<html><title>Down for maintenance</title></html>")
		}), code: sfclient.CodeServerUnavailable, msgHas: "Down for maintenance", reachable: "yes"},
		{name: "oauth 502", method: sfclient.MethodOAuthPassword, server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}), code: sfclient.CodeServerUnavailable, reachable: "yes"},
		{name: "fault with status 200", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<Envelope><Body><Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: bad</faultstring></Fault></Body></Envelope>`)
		}), code: sfclient.CodeInvalidLogin},
		{name: "slow headers", timeout: 300 * time.Millisecond, server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}), code: sfclient.CodeTimeout, hintHas: "300ms"},
		{name: "trickling body", timeout: 400 * time.Millisecond, server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			for i := 0; i < 100; i++ {
				if _, err := fmt.Fprint(w, "<"); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				time.Sleep(50 * time.Millisecond)
			}
		}), code: sfclient.CodeTimeout},
		{name: "redirect to another host", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://evil.example/collect?u=1", http.StatusTemporaryRedirect)
		}), code: sfclient.CodeLoginRedirected, msgHas: "redirect to https://evil.example;", hintHas: "not a Salesforce login address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.server)
			start := time.Now()
			r := check(t, srv, sfclient.Config{Method: tt.method, Timeout: tt.timeout}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
			if r.Code != tt.code {
				t.Fatalf("code = %q (%s), want %q", r.Code, r.Message, tt.code)
			}
			if tt.timeout > 0 && time.Since(start) > tt.timeout+3*time.Second {
				t.Errorf("a %v time limit took %v", tt.timeout, time.Since(start))
			}
			if !strings.Contains(r.Message, tt.msgHas) || !strings.Contains(r.Hint, tt.hintHas) {
				t.Errorf("message %q / hint %q, want %q / %q", r.Message, r.Hint, tt.msgHas, tt.hintHas)
			}
			switch {
			case tt.reachable == "" && r.Reachable != nil:
				t.Errorf("probed although the failure needed no explanation")
			case tt.reachable != "" && (r.Reachable == nil || *r.Reachable != (tt.reachable == "yes")):
				t.Errorf("reachable = %v, want %s", r.Reachable, tt.reachable)
			}
			if n := loginRequests(srv); n != 1 {
				t.Errorf("login requests = %d, want 1", n)
			}
		})
	}
}

func TestNoRedirectToOtherHost(t *testing.T) {
	var hits atomic.Int32
	other := newServer(t, func(c *sftest.Config) {
		c.Intercept = func(w http.ResponseWriter, r *http.Request) bool { hits.Add(1); return false }
	})
	srv := newServer(t, func(c *sftest.Config) {
		c.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
			http.Redirect(w, r, other.URL()+r.URL.Path, http.StatusPermanentRedirect)
			return true
		}
	})
	for _, m := range []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword} {
		r := check(t, srv, sfclient.Config{Method: m}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
		if r.OK {
			t.Fatalf("%s: followed a redirect to another host", m)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the other host got %d requests with credentials", hits.Load())
	}
}

func TestTransportFailures(t *testing.T) {
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := newServer(t, nil)
		c, err := sfclient.New(sfclient.Config{LoginURL: srv.URL()})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeTLS || !strings.Contains(r.Hint, "extra CA file") || !strings.Contains(r.Message, "sftest") {
			t.Errorf("got %q %q / %q", r.Code, r.Message, r.Hint)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests reached the server over an untrusted connection", n)
		}
	})
	t.Run("extra CA of another server", func(t *testing.T) {
		srv := newServer(t, nil)
		other := newServer(t, nil)
		r := check(t, srv, sfclient.Config{CAFile: other.CAFile}, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeTLS || r.Suspect != sfclient.FieldAdvanced {
			t.Errorf("got %q %q suspect %q", r.Code, r.Message, r.Suspect)
		}
	})
	t.Run("extra CA, certificate for another address", func(t *testing.T) {
		// The emulator's certificate names 127.0.0.1, not 127.0.0.2: the
		// extra roots must not switch off the host name check.
		srv := newServer(t, func(c *sftest.Config) { c.Addr = "127.0.0.2:0" })
		r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeTLS || !strings.Contains(r.Message, "127.0.0.2") {
			t.Errorf("got %q %q", r.Code, r.Message)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests reached a server whose certificate names another host", n)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, err := sfclient.New(sfclient.Config{LoginURL: "https://" + addr})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeNetwork || !strings.Contains(r.Message, "refused") || r.Suspect != sfclient.FieldNetwork {
			t.Errorf("got %q %q suspect %q", r.Code, r.Message, r.Suspect)
		}
	})
	t.Run("proxy wants a sign-in", func(t *testing.T) {
		proxy := httpServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusProxyAuthRequired)
		}))
		srv := newServer(t, nil)
		r := check(t, srv, sfclient.Config{Proxy: proxy}, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeProxy || !strings.Contains(r.Hint, "407") {
			t.Errorf("got %q %q / %q", r.Code, r.Message, r.Hint)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests passed the refusing proxy", n)
		}
	})
	t.Run("proxy down", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		srv := newServer(t, nil)
		r := check(t, srv, sfclient.Config{Proxy: "http://" + addr}, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeProxy {
			t.Errorf("got %q %q", r.Code, r.Message)
		}
	})
	t.Run("plain http server on https", func(t *testing.T) {
		plain := newServer(t, func(c *sftest.Config) { c.PlainHTTP = true })
		u := strings.Replace(plain.URL(), "http://", "https://", 1)
		c, err := sfclient.New(sfclient.Config{LoginURL: u})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeTLS {
			t.Errorf("got %q %q", r.Code, r.Message)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		srv := newServer(t, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := newChecker(t, srv, sfclient.Config{}).Check(ctx, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeCanceled {
			t.Errorf("got %q", r.Code)
		}
	})
}

// httpServer serves h on a loopback port and returns its URL.
func httpServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &http.Server{Handler: h}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return "http://" + ln.Addr().String()
}

// TestSecretsNeverInResult: no password, token, session id or client
// secret in a Result, its JSON, or its %+v form, success or failure.
func TestSecretsNeverInResult(t *testing.T) {
	srv := newServer(t, func(c *sftest.Config) { c.Apps[0].ClientSecret = "app-secret-xyz" })
	secrets := []string{janePass, janeToken, "app-secret-xyz", "Wr0ngPassw0rd"}
	for _, m := range []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword} {
		for _, cr := range []sfclient.Credentials{
			{Username: jane, Password: janePass, SecurityToken: janeToken, ClientSecret: "app-secret-xyz"},
			{Username: jane, Password: "Wr0ngPassw0rd", SecurityToken: janeToken, ClientSecret: "app-secret-xyz"},
		} {
			r := check(t, srv, sfclient.Config{Method: m}, cr)
			js, _ := json.Marshal(r)
			for _, text := range []string{string(js), fmt.Sprintf("%+v", r), fmt.Sprintf("%#v", r), fmt.Sprint(cr), fmt.Sprintf("%#v", cr)} {
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("%s: secret %q appears in %.80q…", m, s, text)
					}
				}
				if strings.Contains(text, "!AQ") {
					t.Errorf("%s: a session id appears in the result", m)
				}
			}
		}
	}
}

func TestResultJSONContract(t *testing.T) {
	srv := newServer(t, nil)
	r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: "bad"})
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"ok", "code", "message", "hint", "method", "login_url", "instance_url", "username", "user_id",
		"user_full_name", "organization_id", "organization_name", "sandbox", "password_expired", "elapsed_ms", "login_history_status"}
	if len(m) != len(want) {
		t.Errorf("JSON has %d keys, want %d: %s", len(m), len(want), js)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, js)
		}
	}
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestMain(m *testing.M) {
	// Keep a developer's proxy settings out of the loopback tests.
	for _, v := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}
