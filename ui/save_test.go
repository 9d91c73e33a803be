package ui

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// loginRequests counts the requests to the emulator that carry a login:
// SOAP login() or a token grant. Each counts towards Salesforce's lockout.
func loginRequests(srv *sftest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && (strings.HasPrefix(r.Path, "/services/Soap/u/") || r.Path == "/services/oauth2/token") {
			n++
		}
	}
	return n
}

// A save after a failed test logs in again for a change of any input of
// the Settings form — one login, as the test did — and not at all when
// nothing changed: the test's answer stands for exactly its inputs. Each
// row is one comparison of "re-test before save"; a row that passes
// without a new login is a comparison that went missing.
func TestSettingsSaveLogsInAgainForEveryChangedInput(t *testing.T) {
	tests := []struct {
		name string
		// before sets up the form before the failed test (after fillForm).
		before func(f *fixture, s *settingsWindow)
		// change changes one input; nil changes nothing.
		change func(f *fixture, s *settingsWindow)
		// attempts counts the attempts to log in so far (default: the
		// emulator's login requests).
		attempts func(f *fixture) int
		want     int // logins after the failed test and the save
	}{
		{name: "nothing changed", want: 1},
		{name: "changed and changed back", change: func(f *fixture, s *settingsWindow) {
			test.Type(s.form.token, "X")
			s.form.token.SetText("StaleToken0123")
		}, want: 1},
		// The environment: through a proxy that takes every connection to
		// the emulator, so the sandbox's login (whose certificate cannot
		// fit) reaches no real Salesforce; its attempt is the proxy's
		// CONNECT.
		{name: "environment",
			before: func(f *fixture, s *settingsWindow) {
				host := strings.TrimPrefix(f.srv.URL(), "https://")
				p, err := sftest.NewConnectProxy(host, false)
				if err != nil {
					f.t.Fatal(err)
				}
				f.t.Cleanup(p.Close)
				f.proxy = p
				s.form.proxy.SetText("http://" + p.Addr())
			},
			change:   func(f *fixture, s *settingsWindow) { s.form.env.SetSelected(envSandbox) },
			attempts: func(f *fixture) int { return len(f.proxy.Connects()) },
			want:     2},
		{name: "login address", change: func(f *fixture, s *settingsWindow) {
			s.form.myDomain.SetText(strings.Replace(f.srv.URL(), "127.0.0.1", "localhost", 1))
		}, want: 2},
		{name: "username", change: func(f *fixture, s *settingsWindow) { s.form.username.SetText("john@firm.example.com") }, want: 2},
		{name: "password", change: func(f *fixture, s *settingsWindow) { test.Type(s.form.password, " ") }, want: 2},
		{name: "security token", change: func(f *fixture, s *settingsWindow) { s.form.token.SetText("OtherStale0123") }, want: 2},
		{name: "sign-in method",
			before: func(f *fixture, s *settingsWindow) { s.form.clientID.SetText("3MVG9firm") },
			change: func(f *fixture, s *settingsWindow) {
				s.form.method.SetSelected(methodLabel(sfclient.MethodOAuthPassword))
			}, want: 2},
		{name: "connected app",
			before: func(f *fixture, s *settingsWindow) {
				s.form.method.SetSelected(methodLabel(sfclient.MethodOAuthPassword))
				s.form.clientID.SetText("3MVG9firm")
			},
			change: func(f *fixture, s *settingsWindow) { s.form.clientID.SetText("3MVG9other") }, want: 2},
		{name: "API version", change: func(f *fixture, s *settingsWindow) { s.form.apiVersion.SetText("63.0") }, want: 2},
		{name: "proxy", change: func(f *fixture, s *settingsWindow) {
			p, err := sftest.NewConnectProxy("", false)
			if err != nil {
				f.t.Fatal(err)
			}
			f.t.Cleanup(p.Close)
			s.form.proxy.SetText("http://" + p.Addr())
		}, want: 2},
		{name: "CA file", change: func(f *fixture, s *settingsWindow) {
			other := filepath.Join(f.t.TempDir(), "same-ca.pem")
			if err := f.srv.WriteCAFile(other); err != nil {
				f.t.Fatal(err)
			}
			s.form.caFile.SetText(other)
		}, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			s := f.openSettings()
			f.fillForm(s.form, jane, janePass, "StaleToken0123")
			if tt.before != nil {
				tt.before(f, s)
			}
			test.Tap(s.testBtn)
			f.wait()
			if s.last == nil || s.last.OK() || !s.last.Checked {
				t.Fatalf("the test did not fail with a login: %+v", s.last)
			}
			attempts := tt.attempts
			if attempts == nil {
				attempts = func(f *fixture) int { return loginRequests(f.srv) }
			}
			if n := attempts(f); n != 1 {
				t.Fatalf("%d logins after one test", n)
			}
			if tt.change != nil {
				tt.change(f, s)
			}
			test.Tap(s.saveBtn)
			f.wait()
			if n := attempts(f); n != tt.want {
				t.Errorf("%d logins after the save, want %d", n, tt.want)
			}
			// Still failing: the window asks, and nothing is saved unasked.
			if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, "Save") {
				t.Fatalf("no save-anyway question; overlay %q, result %q", txt, s.result.headline.Text)
			}
			test.Tap(findButton(t, s.win.Canvas(), "Don't save"))
			if _, err := f.store.Profile("default"); err == nil {
				t.Error("saved without the user's yes")
			}
		})
	}
}
