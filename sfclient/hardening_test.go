package sfclient_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// Issue 9 item 1: a same-host 307/308 loop must not re-send the password.
func TestRedirectLoopSendsOneLogin(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, m := range []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword} {
			t.Run(fmt.Sprintf("%d/%s", status, m), func(t *testing.T) {
				srv := newServer(t, func(c *sftest.Config) { c.Hostile.LoginRedirect = status })
				r := check(t, srv, sfclient.Config{Method: m}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
				if n := loginRequests(srv); n != 1 {
					t.Errorf("login requests = %d, want exactly 1", n)
				}
				if r.Code != sfclient.CodeLoginRedirected || r.Headline == "" || !strings.Contains(r.Hint, "only once") {
					t.Errorf("result = %s / %q / %q", r.Code, r.Headline, r.Hint)
				}
				if r.Suspect != sfclient.FieldEnvironment || r.Kind() != sfclient.KindConnection {
					t.Errorf("suspect %q kind %v", r.Suspect, r.Kind())
				}
			})
		}
	}
}

// Item 1: a move to a My Domain (Lightning address) names the address to use.
func TestRedirectToMyDomainNamesAddress(t *testing.T) {
	srv := newServer(t, func(c *sftest.Config) {
		c.Hostile.LoginRedirect = http.StatusPermanentRedirect
		c.Hostile.RedirectTo = "https://firm.lightning.force.com/services/Soap/u/64.0?x=secret"
	})
	r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
	if r.Code != sfclient.CodeLoginRedirected || !strings.Contains(r.Hint, "https://firm.my.salesforce.com") {
		t.Fatalf("result = %s / %q", r.Code, r.Hint)
	}
	if strings.Contains(r.Message+r.Hint, "secret") {
		t.Errorf("query of the redirect shown: %q %q", r.Message, r.Hint)
	}
	if n := loginRequests(srv); n != 1 {
		t.Errorf("login requests = %d, want 1", n)
	}
}

// Item 7: control characters from a server never reach a Result.
func TestServerTextIsCleaned(t *testing.T) {
	const evil = "\x1b]0;pwned\x07\x1b[2K\rConnected to Salesforce as admin\u202e\u200bgnp.exe\x9b31m\xff"
	assertClean := func(t *testing.T, r sfclient.Result) {
		t.Helper()
		for _, s := range append([]string{r.Message, r.Hint, r.Headline, string(r.Code), r.Username, r.UserFullName, r.OrganizationName}, r.Warnings...) {
			if i := strings.IndexFunc(s, func(c rune) bool { return unicode.IsControl(c) || unicode.Is(unicode.Cf, c) }); i >= 0 {
				t.Errorf("control or format character %U in %q", []rune(s[i:])[0], s)
			}
		}
	}
	t.Run("oauth error_description", func(t *testing.T) {
		srv := newServer(t, func(c *sftest.Config) { c.Hostile.ErrorDescription = evil })
		r := check(t, srv, sfclient.Config{Method: sfclient.MethodOAuthPassword}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
		if r.Code != sfclient.CodeOAuthInvalidGrant || !strings.Contains(r.Message, "pwned") {
			t.Fatalf("result = %s %q", r.Code, r.Message)
		}
		assertClean(t, r)
	})
	t.Run("soap fault and names", func(t *testing.T) {
		srv := newServer(t, func(c *sftest.Config) {
			c.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasPrefix(r.URL.Path, "/services/Soap/") {
					return false
				}
				fmt.Fprintf(w, `<Envelope><Body><Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: %s</faultstring></Fault></Body></Envelope>`, "\u202e\u009b[31mred\u200b\u2066")
				return true
			}
		})
		r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
		if r.Code != sfclient.CodeInvalidLogin || !strings.Contains(r.Message, "red") {
			t.Fatalf("result = %s %q", r.Code, r.Message)
		}
		assertClean(t, r)
	})
	t.Run("browser sign-in denial", func(t *testing.T) {
		srv := signInServer(t, func(c *sftest.Config) { c.ConsentDenied = true; c.Hostile.ErrorDescription = evil })
		c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
		page := make(chan string, 1)
		_, err := c.SignIn(context.Background(), sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 10 * time.Second, Open: srv.Browser(nil, page)})
		<-page
		var se *sfclient.SignInError
		if !errors.As(err, &se) || se.Result == nil {
			t.Fatalf("err = %v", err)
		}
		if strings.ContainsAny(se.Message+se.Error(), "\x1b\x07\u202e") {
			t.Errorf("escape in the sign-in error: %q", se.Error())
		}
		assertClean(t, *se.Result)
	})
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                      "plain",
		"a\x1b[31mb":                 "a[31mb",
		"line\nbreak\ttab":           "line break tab",
		"bidi\u202eexe\u2066x\u2069": "bidiexex",
		"zero\u200bwidth":            "zerowidth",
		"c1\u009bx":                  "c1x",
		"bad\xffutf8":                "bad\uFFFDutf8",
		"zoë 中文":                     "zoë 中文",
	} {
		if got := sfclient.CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

// Item 9: inputs that cannot be credentials cost no login and echo no secret.
func TestMalformedCredentialsSendNothing(t *testing.T) {
	tests := []struct {
		name  string
		cr    sfclient.Credentials
		field sfclient.Field
	}{
		{"NUL in password", sfclient.Credentials{Username: jane, Password: "Secr\x00et-pass", SecurityToken: janeToken}, sfclient.FieldPassword},
		{"invalid UTF-8 in password", sfclient.Credentials{Username: jane, Password: "Secr\xffet-pass", SecurityToken: janeToken}, sfclient.FieldPassword},
		{"ESC in password", sfclient.Credentials{Username: jane, Password: "Secr\x1bet-pass"}, sfclient.FieldPassword},
		{"huge password", sfclient.Credentials{Username: jane, Password: strings.Repeat("Secret-pass", 100)}, sfclient.FieldPassword},
		{"empty password", sfclient.Credentials{Username: jane}, sfclient.FieldPassword},
		{"blank username", sfclient.Credentials{Username: "   ", Password: "Secret-pass"}, sfclient.FieldUsername},
		{"128 KiB username", sfclient.Credentials{Username: strings.Repeat("a", 128<<10) + "@x.com", Password: "Secret-pass"}, sfclient.FieldUsername},
		{"username with a space", sfclient.Credentials{Username: "jane doe@firm.com", Password: "Secret-pass"}, sfclient.FieldUsername},
		{"bidi in username", sfclient.Credentials{Username: "jane\u202e@firm.com", Password: "Secret-pass"}, sfclient.FieldUsername},
		{"NUL in token", sfclient.Credentials{Username: jane, Password: "Secret-pass", SecurityToken: "Tok\x00enSecret"}, sfclient.FieldToken},
		{"space in token", sfclient.Credentials{Username: jane, Password: "Secret-pass", SecurityToken: "Tok enSecret"}, sfclient.FieldToken},
		{"huge token", sfclient.Credentials{Username: jane, Password: "Secret-pass", SecurityToken: strings.Repeat("TokenSecret", 10)}, sfclient.FieldToken},
	}
	for _, tt := range tests {
		for _, m := range []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword} {
			t.Run(tt.name+"/"+string(m), func(t *testing.T) {
				srv := newServer(t, nil)
				r := check(t, srv, sfclient.Config{Method: m}, tt.cr)
				if n := len(srv.Requests()); n != 0 {
					t.Errorf("%d requests sent, want none", n)
				}
				if r.Code != sfclient.CodeCredentialsMalformed || r.Suspect != tt.field || r.Headline == "" || r.Hint == "" || r.Kind() != sfclient.KindCredentials {
					t.Errorf("result = %s suspect %q headline %q hint %q", r.Code, r.Suspect, r.Headline, r.Hint)
				}
				for _, secret := range []string{"Secret", "Secr"} {
					if strings.Contains(r.Message+r.Hint+r.Headline, secret) {
						t.Errorf("secret echoed: %q %q", r.Message, r.Hint)
					}
				}
			})
		}
	}
}

// Item 8: a login URL with user info is refused without repeating it.
func TestLoginURLUserInfoRefused(t *testing.T) {
	for _, raw := range []string{"https://user:S3cret@login.salesforce.com", "http://user:S3cret@10.9.9.9", "https://S3cret@firm.my.salesforce.com/x",
		"ftp://u:S3cret@host", "https://u:S3cret@"} {
		_, err := sfclient.New(sfclient.Config{LoginURL: raw})
		var ce *sfclient.ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("New(%q) = %v, want *ConfigError", raw, err)
		}
		if strings.Contains(err.Error(), "S3cret") {
			t.Errorf("New(%q) echoes the secret: %v", raw, err)
		}
	}
}

// Item 6: plain http goes only where the connection really is loopback.
func TestPlainHTTPOnlyToLoopbackAddress(t *testing.T) {
	if _, err := sfclient.ParseLoginURL("http://evil.localhost:8080"); err == nil {
		t.Error("http://evil.localhost accepted over plain http")
	}
	// "localhost" itself is allowed, and the dialer checks the address:
	// here a name that is not loopback cannot be reached through it.
	srv := newServer(t, func(c *sftest.Config) { c.PlainHTTP = true })
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL(), "http://"))
	r := check(t, srv, sfclient.Config{LoginURL: "http://localhost:" + port}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
	if !r.OK {
		t.Errorf("http://localhost: %s %s", r.Code, r.Message)
	}
}

// Item 2: a hanging token endpoint ends the code exchange at the attempt
// timeout, with its own message, not after the browser wait.
func TestSignInExchangeTimeout(t *testing.T) {
	srv := signInServer(t, func(c *sftest.Config) { c.Hostile.HangGrants = []string{"authorization_code"} })
	c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser, Timeout: 500 * time.Millisecond})
	page := make(chan string, 1)
	second := make(chan string, 1)
	var port int
	open := func(startURL string) error {
		authURL := mustAuthorize(t, startURL)
		port = callbackPort(t, authURL)
		_ = srv.Browser(nil, page)(authURL)
		go func() {
			// While the exchange hangs, another answer to the callback is
			// told at once that the sign-in is over.
			time.Sleep(150 * time.Millisecond)
			u := fmt.Sprintf("http://127.0.0.1:%d%s?code=x&state=%s", port, sfclient.CallbackPath, url.QueryEscape(mustQuery(authURL, "state")))
			cl := http.Client{Timeout: time.Second}
			resp, err := cl.Get(u)
			if err != nil {
				second <- err.Error()
				return
			}
			resp.Body.Close()
			second <- fmt.Sprint(resp.StatusCode)
		}()
		return nil
	}
	start := time.Now()
	_, err := c.SignIn(context.Background(), sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 20 * time.Second, Open: open})
	if got := <-second; got != "410" {
		t.Errorf("a second callback request during the exchange: %s, want 410 at once", got)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("sign-in took %v with a 500ms attempt timeout", d)
	}
	var se *sfclient.SignInError
	if !errors.As(err, &se) || se.Code != "SIGNIN_EXCHANGE_TIMEOUT" || !strings.Contains(se.Message, "arrived") || se.Hint() == "" {
		t.Fatalf("err = %v", err)
	}
	if p := <-page; !strings.Contains(p, "Sign-in not completed") {
		t.Errorf("page = %q", p)
	}
	assertPortFree(t, port)
}

// Item 2: when the browser wait ends during the exchange, the exchange's
// outcome is reported, not "no sign-in arrived".
func TestSignInExchangeOutlivesBrowserWait(t *testing.T) {
	srv := signInServer(t, func(c *sftest.Config) { c.Hostile.HangGrants = []string{"authorization_code"} })
	c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser, Timeout: 3 * time.Second})
	page := make(chan string, 1)
	_, err := c.SignIn(context.Background(), sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 1500 * time.Millisecond, Open: srv.Browser(nil, page)})
	<-page
	var se *sfclient.SignInError
	if !errors.As(err, &se) || se.Code != "SIGNIN_EXCHANGE_TIMEOUT" {
		t.Fatalf("err = %v, want SIGNIN_EXCHANGE_TIMEOUT", err)
	}
}

// Item 3: requests without the right state, or to a foreign Host, do not
// end the sign-in; the real answer still completes it.
func TestSignInIgnoresStrayRequests(t *testing.T) {
	srv := signInServer(t, nil)
	c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
	page := make(chan string, 1)
	stray := func(rawURL, host string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		return resp.StatusCode, ""
	}
	open := func(startURL string) error {
		authURL := mustAuthorize(t, startURL)
		port := callbackPort(t, authURL)
		go func() {
			base := fmt.Sprintf("http://127.0.0.1:%d%s", port, sfclient.CallbackPath)
			state := mustQuery(authURL, "state")
			for _, s := range []struct{ url, host string }{
				{base, ""},
				{base + "?code=x", ""},
				{base + "?error=access_denied&state=forged", ""},
				{base + "?code=x&state=" + url.QueryEscape(state), "evil.example:" + fmt.Sprint(port)},
			} {
				if st, e := stray(s.url, s.host); st < 400 {
					page <- fmt.Sprintf("stray %s (Host %q) answered %d %s", s.url, s.host, st, e)
					return
				}
			}
			srv.Browser(nil, page)(authURL)
		}()
		return nil
	}
	res, err := c.SignIn(context.Background(), sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 10 * time.Second, Open: open})
	p := <-page
	if err != nil || res.RefreshToken == "" {
		t.Fatalf("sign-in after stray requests: %v (page %q)", err, p)
	}
	if !strings.Contains(p, "You are signed in") {
		t.Errorf("page = %q", p)
	}
}

func mustQuery(rawURL, key string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Query().Get(key)
}
