//go:build integration

package probe

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

// staleToken is a security token Salesforce no longer takes: every SOAP
// login with it fails, and the hostile server echoes what it was sent.
const staleToken = "OldTokenOldTokenOldToken"

// followerBrowser writes a $BROWSER that signs in at once: it follows the
// redirects from the address it is given to the app's callback.
func followerBrowser(t *testing.T, ca string) string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "browser.sh")
	body := `#!/bin/sh
cb=$1
while case $cb in http://*/OauthRedirect[?]*) false;; *) true;; esac; do
	cb=$(curl -sS --noproxy '*' --cacert "` + ca + `" -o /dev/null -w '%{redirect_url}' "$cb")
	[ -n "$cb" ] || exit 1
done
curl -sS --noproxy '*' -o /dev/null "$cb"
`
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return script
}

// keychainSecret reads one of a profile's secrets from the session's
// keychain.
func keychainSecret(t *testing.T, profile, kind string) string {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", "advologix-connect", "username", profile+":"+kind).Output()
	if err != nil || len(out) == 0 {
		t.Fatalf("no %s of %s in the keychain: %v", kind, profile, err)
	}
	return string(out)
}

// Issue #23 broken item 2, through the real binary: a login server that
// echoes the password, the security token, password+token and the
// refresh token into its SOAP faults, its Login History Status and its
// OAuth errors gets its answer shown (scrubbed) but none of the secrets
// into check, check --json, diagnose, diagnose --out's file, session or
// anything on standard error.
func TestHostileEchoThroughTheBinary(t *testing.T) {
	requireRoot(t, "secret-tool", "curl")
	app := appBin(t)
	const browserApp = "3MVG9.AdvoLogixConnect.echo"
	e := testfix.StartEmulator(t, func(c *sftest.Config) {
		c.Apps = []sftest.App{{ClientID: browserApp, RedirectURIs: []string{sfclient.CallbackURL(sfclient.DefaultCallbackPort)},
			AnyLoopbackPort: true, RequirePKCE: true}}
	})
	home := t.TempDir()
	env := append(testfix.AppEnv(t, home), "BROWSER="+followerBrowser(t, e.CAFile))
	soap, browser := "probe-echo", "probe-echo-browser"
	t.Cleanup(func() {
		run(t, env, "", app, "logout", "--profile", soap)
		run(t, env, "", app, "logout", "--profile", browser)
	})
	if r := run(t, env, "", app, "login", "--json", "--profile", browser, "--login-url", e.URL(), "--browser",
		"--client-id", browserApp, "--callback-port", "0", "--ca-file", e.CAFile); r.code != 0 {
		t.Fatalf("login --browser:\n%s", r)
	}
	if r := run(t, env, testfix.JanePassword+"\n"+staleToken+"\n", app, "login", "--no-check", "--default", "--profile", soap,
		"--login-url", e.URL(), "--username", testfix.JaneUsername, "--password-stdin", "--ca-file", e.CAFile); r.code != 0 {
		t.Fatalf("login --no-check:\n%s", r)
	}
	secrets := []string{testfix.JanePassword, staleToken, testfix.JanePassword + staleToken, keychainSecret(t, browser, "refresh_token")}
	out := filepath.Join(t.TempDir(), "report.txt")
	soapEcho := sftest.Echo{SOAPFault: true, HistoryStatus: true}
	tests := []struct {
		name   string
		echo   sftest.Echo
		stdin  string
		args   []string
		file   string // a file the command writes, read as its output too
		echoed string // what proves the server's answer was shown
	}{
		{"check", soapEcho, "", []string{"check", "--profile", soap}, "", "You sent: " + connection.Scrubbed},
		{"check --json", soapEcho, "", []string{"check", "--profile", soap, "--json"}, "", "You sent: " + connection.Scrubbed},
		{"check typed", soapEcho, testfix.JanePassword + "\n" + staleToken + "\n", []string{"check", "--login-url", e.URL(),
			"--username", testfix.JaneUsername, "--password-stdin", "--ca-file", e.CAFile}, "", "You sent: " + connection.Scrubbed},
		{"diagnose --login", soapEcho, "", []string{"diagnose", "--login"}, "", "(password " + connection.Scrubbed + ")"},
		{"diagnose --login --json", soapEcho, "", []string{"diagnose", "--login", "--json"}, "", "(password " + connection.Scrubbed + ")"},
		{"diagnose --login --out", soapEcho, "", []string{"diagnose", "--login", "--out", out}, out, "(password " + connection.Scrubbed + ")"},
		{"check browser profile", sftest.Echo{TokenError: true}, "", []string{"check", "--profile", browser, "--json"}, "", "refresh_token=" + connection.Scrubbed},
		{"session", sftest.Echo{TokenError: true}, "", []string{"session", "--profile", browser}, "", "refresh_token=" + connection.Scrubbed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.SetHostile(sftest.Hostile{Echo: tt.echo})
			defer e.SetHostile(sftest.Hostile{})
			r := run(t, env, tt.stdin, app, tt.args...)
			all := r.stdout + r.stderr
			if tt.file != "" {
				b, err := os.ReadFile(tt.file)
				if err != nil {
					t.Fatalf("%v\n%s", err, r)
				}
				all += string(b)
			}
			if !strings.Contains(all, tt.echoed) {
				t.Errorf("the server's echo is not shown (want %q):\n%s", tt.echoed, all)
			}
			for _, secret := range secrets {
				js, _ := json.Marshal(secret)
				for i, form := range []string{secret, strings.Trim(string(js), `"`)} {
					if (i == 0 || form != secret) && strings.Contains(all, form) {
						t.Errorf("secret %q shown:\n%s", form, all)
					}
				}
			}
		})
	}
}
