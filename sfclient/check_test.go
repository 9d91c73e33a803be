package sfclient_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

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
