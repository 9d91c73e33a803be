package ui

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

const testClientID = "3MVG9.ui.test"

// browserFixture is a fixture whose emulator has an External Client App
// for browser sign-in, with a client id configured in the environment and
// a "browser" that signs in at once.
func browserFixture(t *testing.T, mod func(*sftest.Config)) *fixture {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	f := newFixture(t, func(c *sftest.Config) {
		c.Apps = []sftest.App{{ClientID: testClientID, RedirectURIs: []string{sfclient.CallbackURL(port)}, RequirePKCE: true, RotateRefreshTokens: true}}
		if mod != nil {
			mod(c)
		}
	})
	f.u.opt.CallbackPort = port
	f.u.opt.Getenv = func(k string) string {
		if k == "ADVOLOGIX_CLIENT_ID" {
			return testClientID
		}
		return ""
	}
	f.u.svc = newService(f.u.opt)
	f.u.opt.OpenURL = func(u *url.URL) error {
		f.opened = append(f.opened, u.String())
		// The browser follows the app's /start page to Salesforce's
		// authorization page, and its redirect back to the callback.
		go func() {
			next := u.String()
			for range 5 {
				resp, err := f.srv.Client().Get(next)
				if err != nil {
					return
				}
				resp.Body.Close()
				loc, err := resp.Location()
				if err != nil {
					return
				}
				next = loc.String()
			}
		}()
		return nil
	}
	return f
}

func TestWizardBrowserSignInFirst(t *testing.T) {
	f := browserFixture(t, plain)
	w := f.openWizard()
	f.typeMyDomain(w.form)
	test.Tap(findButton(t, w.win.Canvas(), "Sign in with browser"))
	f.wait()
	if w.step != stepDone || !strings.Contains(w.summary.Text, "Jane Doe") || !strings.Contains(w.summary.Text, "No password is stored") {
		t.Fatalf("step %d, summary %q, result %q %q", w.step, w.summary.Text, w.result.headline.Text, w.result.body.Text)
	}
	p, err := f.store.Default()
	if err != nil || p.Method != credstore.MethodOAuthBrowser || p.ClientID != testClientID || p.Username != jane {
		t.Fatalf("saved %+v %v", p, err)
	}
	if v, _ := f.kr.Lookup(credstore.Service, "default:refresh_token"); v == "" {
		t.Error("no refresh token in the keychain")
	}
	if _, ok := f.kr.Lookup(credstore.Service, "default:password"); ok {
		t.Error("a password was stored")
	}
	// The browser is opened on the app's own /start page: nothing of the
	// sign-in (state, PKCE challenge) in its command line.
	if len(f.opened) != 1 || !strings.HasSuffix(f.opened[0], sfclient.StartPath) || strings.Contains(f.opened[0], "state=") {
		t.Errorf("browser opened %q", f.opened)
	}
}

func TestWizardWithoutClientIDOffersPasswordOnly(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	if b := lookupButton(w.win.Canvas(), "Sign in with browser"); b != nil {
		t.Error("browser sign-in offered without a client id")
	}
	if b := lookupButton(w.win.Canvas(), "Next"); b == nil {
		t.Error("no way on with the password")
	}
}

func TestSettingsSwitchesToBrowserWhenSOAPIsRetired(t *testing.T) {
	f := browserFixture(t, func(c *sftest.Config) { c.MaxSOAPLoginVersion = 60 })
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	test.Tap(s.testBtn)
	f.wait()
	if s.result.headline.Text != "SOAP login is retired or switched off for this org" || !s.switchBtn.Visible() {
		t.Fatalf("result %q, switch button %v", s.result.headline.Text, s.switchBtn.Visible())
	}
	test.Tap(s.switchBtn)
	f.wait()
	p, err := f.store.Profile("default")
	if err != nil || p.Method != credstore.MethodOAuthBrowser {
		t.Fatalf("after switching: %+v %v (result %q %q)", p, err, s.result.headline.Text, s.result.body.Text)
	}
	if _, ok := f.kr.Lookup(credstore.Service, "default:password"); ok {
		t.Error("the old password stayed in the keychain")
	}
	first, _ := f.kr.Lookup(credstore.Service, "default:refresh_token")

	// Testing a browser profile goes through the store: the rotated
	// refresh token replaces the saved one, and the next test works.
	test.Tap(s.testBtn)
	f.wait()
	second, _ := f.kr.Lookup(credstore.Service, "default:refresh_token")
	if s.result.headline.Text != "Connected to Salesforce" || second == first || second == "" {
		t.Fatalf("test: %q; token rotated and kept: %v", s.result.headline.Text, second != first && second != "")
	}
	test.Tap(s.testBtn)
	f.wait()
	if s.result.headline.Text != "Connected to Salesforce" {
		t.Errorf("second test: %q", s.result.headline.Text)
	}
}

// Problem 12: no browser for the sign-in: the address to copy, and the
// sign-in still finishes when the user opens it in a browser by hand.
func TestWizardBrowserSignInWithoutBrowser(t *testing.T) {
	f := browserFixture(t, plain)
	userBrowser := f.u.opt.OpenURL // what the user will do by hand
	f.u.opt.OpenURL = func(*url.URL) error { return errors.New(`exec: "xdg-open": executable file not found in $PATH`) }
	w := f.openWizard()
	c := w.win.Canvas()
	f.typeMyDomain(w.form)
	test.Tap(findButton(t, c, "Sign in with browser"))
	deadline := time.Now().Add(10 * time.Second)
	for c.Overlays().Top() == nil {
		if time.Now().After(deadline) {
			t.Fatal("no dialog with the sign-in address")
		}
		time.Sleep(10 * time.Millisecond)
		f.mu.Lock()
		q := f.queue
		f.queue = nil
		f.mu.Unlock()
		for _, fn := range q {
			fn()
		}
	}
	if txt := overlayText(c); !strings.Contains(txt, "No web browser") || strings.Contains(txt, "exec:") {
		t.Fatalf("dialog %q", txt)
	}
	addr := dialogEntry(t, c).Text
	target, err := url.Parse(addr)
	if err != nil || !strings.HasSuffix(addr, sfclient.StartPath) || strings.Contains(addr, "state=") {
		t.Fatalf("address %q %v", addr, err)
	}
	if err := userBrowser(target); err != nil {
		t.Fatal(err)
	}
	f.wait()
	if w.step != stepDone {
		t.Fatalf("step %d, result %q %q", w.step, w.result.headline.Text, w.result.body.Text)
	}
}

// Browser sign-in with no consumer key anywhere is refused by the Service
// before a browser opens or a request is sent, and the window says what
// to enter and where, in the Service's words.
func TestSettingsSignInWithoutClientID(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	before := len(f.srv.Requests())
	s.signIn()
	f.wait()
	if s.result.headline.Text != "Browser sign-in is not set up on this computer" || !strings.Contains(s.result.body.Text, "Client ID") {
		t.Errorf("result %q / %q", s.result.headline.Text, s.result.body.Text)
	}
	if len(f.opened) != 0 || len(f.srv.Requests()) != before {
		t.Errorf("browser opened %q; %d requests sent", f.opened, len(f.srv.Requests())-before)
	}
}
