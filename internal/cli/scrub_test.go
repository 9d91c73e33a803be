package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

const browserSecret = "Br0wserAppS3cret-xyz"

// hostileEnv is a store with Jane's SOAP profile "jane" (a stale security
// token: every login fails) and her browser profile "jane-browser" (with
// a client secret), against an emulator that echoes what it is sent.
func hostileEnv(t *testing.T, echo sftest.Echo) (pe *profileEnv, refresh, loginURL, ca string) {
	t.Helper()
	srv, ca := emulator(t, func(c *sftest.Config) {
		c.Apps = append(c.Apps, sftest.App{ClientID: browserApp, RedirectURIs: []string{browserRedirect}})
	})
	pe = newProfileEnv(t)
	st := pe.openStore(t)
	ctx := context.Background()
	if err := st.Save(ctx, credstore.Profile{Name: "jane", LoginURL: srv.URL(), Username: user, Method: credstore.MethodSOAP, CAFile: ca},
		credstore.Secrets{Password: pass, SecurityToken: staleToken}); err != nil {
		t.Fatal(err)
	}
	refresh = saveBrowserSignIn(t, st, srv, ca, "jane-browser", credstore.Secrets{ClientSecret: browserSecret})
	srv.SetHostile(sftest.Hostile{Echo: echo})
	return pe, refresh, srv.URL(), ca
}

// Issue #23 item 2: a server that echoes the secrets it is sent, into
// every field it can, gets none of them onto the screen: every output of
// check, diagnose and session goes through the run's one scrub.
func TestHostileEchoIsScrubbed(t *testing.T) {
	soap := sftest.Echo{SOAPFault: true, HistoryStatus: true}
	token := sftest.Echo{TokenError: true}
	tests := []struct {
		name   string
		echo   sftest.Echo
		stdin  string
		args   []string
		echoed string // what proves the server's answer was shown
	}{
		{"check saved SOAP", soap, "", []string{"check", "--profile", "jane"}, "You sent: " + connection.Scrubbed},
		{"check saved SOAP --json", soap, "", []string{"check", "--profile", "jane", "--json"}, "You sent: " + connection.Scrubbed},
		{"check typed --json", soap, pass + "\n" + staleToken + "\n", []string{"check", "--json", "--username", user, "--password-stdin", "--login-url", "URL", "--ca-file", "CA"}, "You sent: " + connection.Scrubbed},
		{"diagnose --login", soap, "", []string{"diagnose", "--login"}, "(password " + connection.Scrubbed + ")"},
		{"diagnose --login --json", soap, "", []string{"diagnose", "--login", "--json"}, "(password " + connection.Scrubbed + ")"},
		{"check browser profile", token, "", []string{"check", "--profile", "jane-browser", "--json"}, "refresh_token=" + connection.Scrubbed},
		{"session error", token, "", []string{"session", "--profile", "jane-browser"}, "refresh_token=" + connection.Scrubbed},
		{"session error --json", token, "", []string{"session", "--profile", "jane-browser", "--json"}, "refresh_token=" + connection.Scrubbed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pe, refresh, loginURL, ca := hostileEnv(t, tt.echo)
			args := append([]string(nil), tt.args...)
			for i, a := range args {
				switch a {
				case "URL":
					args[i] = loginURL
				case "CA":
					args[i] = ca
				}
			}
			r := pe.run(t, tt.stdin, args...)
			all := r.stdout + r.stderr
			if !strings.Contains(all, tt.echoed) {
				t.Errorf("the server's echo is not shown (want %q):\n%s", tt.echoed, all)
			}
			for _, secret := range []string{pass, staleToken, pass + staleToken, refresh, browserSecret, "wörd"} {
				js, _ := json.Marshal(secret)
				for _, form := range []string{secret, strings.Trim(string(js), `"`)} {
					if strings.Contains(all, form) {
						t.Errorf("secret %q shown:\n%s", form, all)
					}
				}
			}
		})
	}
}
