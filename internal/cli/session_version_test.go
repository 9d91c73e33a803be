package cli_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

// TestSessionAPIVersion: session hands out the newest API version the
// org lists that the app knows; when the list cannot be read, 64.0 with a
// warning, and the session still goes out.
func TestSessionAPIVersion(t *testing.T) {
	tests := []struct {
		name     string
		latest   float64
		broken   bool
		want     string
		warnWith string
	}{
		{"the org's newest", 66, false, "66.0", ""},
		{"an org ahead of the app", 68, false, "66.0", ""},
		{"an org behind", 65, false, "65.0", ""},
		{"no version list", 66, true, "64.0", "api_version 64.0: the API version list answered HTTP 503"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, ca := emulator(t, func(c *sftest.Config) {
				c.LatestAPIVersion = tc.latest
				if tc.broken {
					c.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
						if r.URL.Path != "/services/data/" {
							return false
						}
						w.WriteHeader(http.StatusServiceUnavailable)
						return true
					}
				}
			})
			pe := newProfileEnv(t)
			if r := pe.run(t, pass+"\n"+token+"\n", "login", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca, "--no-check"); r.code != cli.ExitOK {
				t.Fatalf("login: %d %s%s", r.code, r.stdout, r.stderr)
			}
			r := pe.run(t, "", "session", "--json")
			m := decode(t, r.stdout)
			if r.code != cli.ExitOK || m["api_version"] != tc.want || m["access_token"] == "" {
				t.Errorf("exit %d %v", r.code, m)
			}
			if tc.warnWith == "" && r.stderr != "" || !strings.Contains(r.stderr, tc.warnWith) {
				t.Errorf("stderr %q, want %q", r.stderr, tc.warnWith)
			}
			// The next program gets the session kept in the keychain,
			// described the same way.
			again := decode(t, pe.run(t, "", "session", "--json").stdout)
			for _, k := range []string{"access_token", "api_version", "id", "token_type"} {
				if again[k] != m[k] || again[k] == "" {
					t.Errorf("the cached session's %s: %v, the first's %v", k, again[k], m[k])
				}
			}
		})
	}
}
