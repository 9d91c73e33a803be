package sfclient_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

// signInServer is the emulator with a PKCE app whose callback may be on
// any loopback port: the sign-ins of these tests listen on a port the
// system chooses (sfclient.AnyPort), so no test depends on a port being
// free by luck.
func signInServer(t *testing.T, mod func(*sftest.Config)) *testfix.Emulator {
	return newServer(t, func(c *sftest.Config) {
		c.Apps[0].RedirectURIs = []string{sfclient.CallbackURL(sfclient.DefaultCallbackPort)}
		c.Apps[0].AnyLoopbackPort = true
		c.Apps[0].RequirePKCE = true
		if mod != nil {
			mod(c)
		}
	})
}

func TestSignIn(t *testing.T) {
	srv := signInServer(t, nil)
	c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
	page := make(chan string, 1)
	var shown, opened, authURL string
	var told sfclient.Result
	res, err := c.SignIn(context.Background(), sfclient.SignInOptions{
		Port: sfclient.AnyPort, Timeout: 20 * time.Second,
		Open: func(u string) error {
			opened, authURL = u, mustAuthorize(t, u)
			return srv.Browser(nil, page)(authURL)
		},
		Waiting:  func(u string) { shown = u },
		SignedIn: func(r sfclient.Result) { told = r },
	})
	if err != nil {
		t.Fatalf("sign-in: %v (%s)", err, <-page)
	}
	if !res.Result.OK || res.Result.UserFullName != "Jane Doe" || res.Result.OrganizationName != "Firm & Partners LLP" || res.RefreshToken == "" {
		t.Fatalf("result = %+v", res.Result)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %#v", res, res, res), res.RefreshToken) {
		t.Error("the refresh token shows in the SignIn's printed form")
	}
	port := callbackPort(t, authURL)
	q, _ := url.Parse(authURL)
	if port == sfclient.DefaultCallbackPort || q.Query().Get("code_challenge_method") != "S256" || q.Query().Get("code_challenge") == "" || q.Query().Get("state") == "" ||
		q.Query().Get("redirect_uri") != sfclient.CallbackURL(port) {
		t.Errorf("authorization URL = %s", authURL)
	}
	// The browser is opened on the listener's /start, which carries no
	// secret: no state, challenge or code in any program's arguments.
	if want := sfclient.StartURL(port); opened != want || shown != want {
		t.Errorf("opened %q, shown %q; want %q", opened, shown, want)
	}
	if told.Username != res.Result.Username || told.OrganizationName != testfix.OrgName {
		t.Errorf("SignedIn told %+v", told)
	}
	if p := <-page; !strings.Contains(p, "You are signed in") || !strings.Contains(p, "close this tab") {
		t.Errorf("callback page = %q", p)
	}
	// The refresh token it left behind logs in.
	if r := c.Check(context.Background(), sfclient.Credentials{RefreshToken: res.RefreshToken}); !r.OK {
		t.Errorf("check with the new refresh token: %+v", r)
	}
	assertPortFree(t, port)
}

func TestSignInFailures(t *testing.T) {
	tests := []struct {
		name    string
		server  func(*sftest.Config)
		tamper  func(*url.URL)
		open    bool // false: the browser never comes back
		code    sfclient.Code
		hintHas string
		pageHas string
	}{
		{name: "denied consent", server: func(c *sftest.Config) { c.ConsentDenied = true }, open: true,
			code: "OAUTH_ACCESS_DENIED", hintHas: "Allow", pageHas: "Sign-in not completed"},
		{name: "code replayed elsewhere", open: true, tamper: func(u *url.URL) {
			q := u.Query()
			q.Set("code", "not-a-code")
			u.RawQuery = q.Encode()
		}, code: "OAUTH_INVALID_GRANT", pageHas: "Sign-in not completed"},
		{name: "timeout", open: false, code: "SIGNIN_TIMEOUT", hintHas: "callback URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := signInServer(t, tt.server)
			c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
			page := make(chan string, 1)
			var shown string
			o := sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 10 * time.Second, Waiting: func(u string) { shown = u }}
			if tt.open {
				o.Open = srv.Browser(tt.tamper, page)
			} else {
				o.Timeout = 300 * time.Millisecond
			}
			res, err := c.SignIn(context.Background(), o)
			var se *sfclient.SignInError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (result %+v)", err, res.Result)
			}
			if se.Code != tt.code || !strings.Contains(se.Hint(), tt.hintHas) {
				t.Errorf("code %q hint %q, want %q / %q", se.Code, se.Hint(), tt.code, tt.hintHas)
			}
			if res.RefreshToken != "" {
				t.Error("a failed sign-in returned a refresh token")
			}
			if tt.open {
				if p := <-page; !strings.Contains(p, tt.pageHas) {
					t.Errorf("page = %q", p)
				}
			}
			assertPortFree(t, callbackPort(t, shown))
		})
	}
}

// A squatter on the callback port, on 127.0.0.1 or (hardening item 4) on
// [::1], makes the sign-in fail before the browser opens, not go
// half-deaf, and leaves nothing listening on the port.
func TestSignInPortInUse(t *testing.T) {
	for _, tt := range []struct {
		addr string
		says func(se *sfclient.SignInError) bool
	}{
		{"127.0.0.1:0", func(se *sfclient.SignInError) bool { return strings.Contains(se.Hint(), "--callback-port") }},
		{"[::1]:0", func(se *sfclient.SignInError) bool { return strings.Contains(se.Message, "[::1]") }},
	} {
		t.Run(tt.addr, func(t *testing.T) {
			ln, err := net.Listen("tcp", tt.addr)
			if err != nil {
				t.Fatalf("this test needs a loopback on %s: %v", tt.addr, err)
			}
			defer ln.Close()
			port := ln.Addr().(*net.TCPAddr).Port
			srv := signInServer(t, nil)
			c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
			_, err = c.SignIn(context.Background(), sfclient.SignInOptions{Port: port, Open: func(string) error {
				t.Errorf("opened the browser although %s is held by someone else", tt.addr)
				return nil
			}})
			var se *sfclient.SignInError
			if !errors.As(err, &se) || se.Code != "SIGNIN_PORT_IN_USE" || !tt.says(se) {
				t.Errorf("err = %v", err)
			}
			ln.Close() // the squatter's socket is this process's too
			assertPortFree(t, port)
		})
	}
}

// mustAuthorize follows a sign-in's start address to its authorization
// URL, as a browser does; /start answers once.
func mustAuthorize(t *testing.T, startURL string) string {
	t.Helper()
	authURL, err := testfix.Authorization(startURL)
	if err != nil {
		t.Fatal(err)
	}
	return authURL
}

// callbackPort is the port of the redirect_uri in an authorization URL,
// or of a start address.
func callbackPort(t *testing.T, authURL string) int {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatalf("authorization URL %q: %v", authURL, err)
	}
	if u.Path == sfclient.StartPath {
		port, err := strconv.Atoi(u.Port())
		if err != nil {
			t.Fatalf("start address %q has no port", authURL)
		}
		return port
	}
	r, err := url.Parse(u.Query().Get("redirect_uri"))
	if err != nil {
		t.Fatalf("redirect_uri of %q: %v", authURL, err)
	}
	port, err := strconv.Atoi(r.Port())
	if err != nil || port <= 0 {
		t.Fatalf("redirect_uri %q has no port", r)
	}
	return port
}

// assertPortFree proves the callback listener closed: this process holds
// no listening socket on port any more (testfix.Listening reads the
// kernel's socket table, so another program taking the port in between
// cannot make the test fail or pass).
func assertPortFree(t *testing.T, port int) {
	t.Helper()
	if testfix.Listening(t, port) {
		t.Fatalf("callback port %d still held by this process after the sign-in", port)
	}
}
