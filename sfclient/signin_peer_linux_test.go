//go:build linux

package sfclient_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/sfclient"
)

// nobody runs curl on rawURL as uid 65534, another user of this computer,
// and returns the HTTP status it got ("000" when it got none).
func nobody(t *testing.T, rawURL string) string {
	t.Helper()
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
		"curl", "-s", "--noproxy", "*", "-m", "5", "-w", "\n%{http_code}", rawURL)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, _ := cmd.Output() // curl's status says what happened
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// Issue #23: another local user who follows the sign-in's start address,
// or even the real callback with its code and state, gets 403 and does not
// end the sign-in; the user's own browser then finishes it.
func TestSignInRefusesOtherUsers(t *testing.T) {
	if os.Getuid() != 0 {
		t.Fatal("this test must run as root (as make test does): it plays another user of the computer as uid 65534")
	}
	for _, tool := range []string{"setpriv", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("this test needs %s to act as another user: %v", tool, err)
		}
	}
	tests := []struct {
		name string
		at   func(startURL string, callback *url.URL) string // what the other user follows
	}{
		{"start address", func(s string, _ *url.URL) string { return s }},
		{"callback with the real code and state", func(_ string, cb *url.URL) string { return cb.String() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := signInServer(t, nil)
			c := newChecker(t, srv, sfclient.Config{Method: sfclient.MethodOAuthBrowser})
			page := make(chan string, 1)
			got := make(chan string, 1)
			open := func(startURL string) error {
				if u, err := url.Parse(startURL); err != nil || u.RawQuery != "" || u.Path != sfclient.StartPath {
					t.Errorf("browser opened on %q, want the bare start address", startURL)
				}
				tamper := func(cb *url.URL) { got <- nobody(t, tt.at(startURL, cb)) }
				if tt.name == "start address" {
					got <- nobody(t, startURL)
					tamper = nil
				}
				return srv.Browser(tamper, page)(startURL)
			}
			res, err := c.SignIn(context.Background(), sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 20 * time.Second, Open: open})
			if status := <-got; status != "403" {
				t.Errorf("another user following the %s got %s, want 403", tt.name, status)
			}
			p := <-page
			if err != nil || !res.Result.OK || res.Result.Username != jane {
				t.Fatalf("the user's own browser did not finish the sign-in: %v %+v (page %q)", err, res.Result, p)
			}
			if !strings.Contains(p, "You are signed in") {
				t.Errorf("page = %q", p)
			}
		})
	}
}
