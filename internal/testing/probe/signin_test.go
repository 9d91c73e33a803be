//go:build integration

package probe

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

const browserClientID = "3MVG9.AdvoLogixConnect.probe"

// attackerBrowser writes a $BROWSER for the victim's login --browser that
// lets another local user (uid 65534, through setpriv) have every go at
// the sign-in before the victim's own browser finishes it: read every
// process's argv (ps) for the authorization's state, follow the start
// address the browser was given, and deliver the real callback, code and
// state included (the worst case: a leak we do not know of). The
// browser follows the redirects from the address it was given to the
// callback. What the
// other user got is written to dir: ps, start, callback (curl's HTTP
// status). Then the victim's browser delivers the same callback.
func attackerBrowser(t *testing.T, ca, dir string) string {
	t.Helper()
	script := filepath.Join(t.TempDir(), "browser.sh")
	body := fmt.Sprintf(`#!/bin/sh
set -u
dir=%q
as_other() { setpriv --reuid=65534 --regid=65534 --clear-groups -- env -i PATH=/usr/bin:/bin "$@"; }
status() { as_other curl -s --noproxy '*' -m 10 -o /dev/null -w '%%{http_code}' "$1"; }
as_other ps -eo args >"$dir/ps"
status "$1" >"$dir/start"
cb=$1
while case $cb in http://*/OauthRedirect[?]*) false;; *) true;; esac; do
	cb=$(curl -sS --noproxy '*' --cacert %q -o /dev/null -w '%%{redirect_url}' "$cb")
	[ -n "$cb" ] || exit 1
done
printf %%s "$cb" >"$dir/callback-url"
status "$cb" >"$dir/callback"
curl -sS --noproxy '*' -o /dev/null "$cb"
`, dir, ca)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return script
}

// Issue #23 broken item 1: another local user can neither read the
// sign-in's state from a process's argv nor finish the sign-in at the
// loopback listener, with the start address or with the real callback;
// the code is spent once, by the user's own browser, and the profile
// saved is the one the user signed in to.
func TestOtherUserCannotFinishBrowserSignIn(t *testing.T) {
	requireRoot(t, "setpriv", "curl", "ps")
	app := appBin(t)
	e := testfix.StartEmulator(t, func(c *sftest.Config) {
		c.Apps = []sftest.App{{ClientID: browserClientID, RedirectURIs: []string{sfclient.CallbackURL(sfclient.DefaultCallbackPort)},
			AnyLoopbackPort: true, RequirePKCE: true, RotateRefreshTokens: true}}
	})
	dir := t.TempDir()
	env := append(testfix.AppEnv(t, t.TempDir()), "BROWSER="+attackerBrowser(t, e.CAFile, dir))
	const profile = "probe-signin"
	t.Cleanup(func() { run(t, env, "", app, "logout", "--profile", profile) })

	r := run(t, env, "", app, "login", "--json", "--profile", profile, "--login-url", e.URL(), "--browser",
		"--client-id", browserClientID, "--callback-port", "0", "--ca-file", e.CAFile, "--browser-timeout", "30s")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("the browser script did not get that far (%v):\n%s", err, r)
		}
		return strings.TrimSpace(string(b))
	}
	cb := read("callback-url")
	if !strings.Contains(cb, "state=") || !strings.Contains(cb, "code=") {
		t.Fatalf("the callback the script followed has no code and state: %q", cb)
	}
	for _, line := range strings.Split(read("ps"), "\n") {
		if strings.Contains(line, "state=") || strings.Contains(line, "code_challenge") {
			t.Errorf("another user reads the authorization from a process's argv: %s", line)
		}
	}
	for _, name := range []string{"start", "callback"} {
		if got := read(name); got != "403" {
			t.Errorf("another user following the %s address got HTTP %s, want 403", name, got)
		}
	}
	m := r.json(t)
	if r.code != 0 || m["saved"] != true || m["username"] != testfix.JaneUsername {
		t.Fatalf("the user's own browser did not finish the sign-in:\n%s", r)
	}
	if n := e.Count("POST", "/services/oauth2/token"); n != 1 {
		t.Errorf("token requests = %d, want 1: the code spent once, by the user's own browser", n)
	}
}
