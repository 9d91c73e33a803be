//go:build integration

package e2e

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testbin"
)

// crashAfterEnv is credstore.CrashAfterEnv, which exists only in builds
// with the crashtest tag.
const crashAfterEnv = "ADVOLOGIX_CRASH_AFTER"

// TestSwitchSurvivesKill9 (issue 19 item 2): `login --browser --profile
// NAME` moves a saved password profile to browser sign-in. The real binary,
// built with the crashtest tag, kills itself with SIGKILL right after each
// step of the move (the new refresh token in the keychain; the settings
// naming the retired password and token; each of them deleted), on the
// real keychain. After every one a login works — the password one before
// the settings changed, the browser one after — and the next check or
// switch finishes the move: no password or security token is left.
func TestSwitchSurvivesKill9(t *testing.T) {
	requireTools(t, "secret-tool", "curl")
	app := buildApp(t)
	crashing, err := testbin.BuildErr(testbin.AppPkg, testbin.CrashTestFlag)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		after         string
		stillPassword bool // the settings had not changed yet
	}{
		{"switch:secret:refresh_token", true},
		{"switch:settings", false},
		{"switch:delete:password", false},
		{"switch:delete:security_token", false},
	}
	for i, st := range steps {
		t.Run(st.after, func(t *testing.T) {
			srv, ca := browserEmulator(t, false)
			env := append(appEnv(t), "BROWSER="+browserScript(t, ca, false))
			profile := fmt.Sprintf("e2e-switch-%d", i)
			t.Cleanup(func() {
				c := exec.Command(app, "logout", "--profile", profile)
				c.Env = env
				_ = c.Run()
			})
			login := exec.Command(app, "login", "--profile", profile, "--login-url", srv.URL(), "--username", janeUsername, "--password-stdin", "--ca-file", ca)
			login.Env, login.Stdin = env, strings.NewReader(janePassword+"\n"+janeToken+"\n")
			if out, err := login.CombinedOutput(); err != nil {
				t.Fatalf("password login: %v\n%s", err, out)
			}

			sw := exec.Command(crashing, "login", "--browser", "--profile", profile, "--client-id", browserClientID, "--callback-port", "0")
			sw.Env = append(env, crashAfterEnv+"="+st.after)
			out, err := sw.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the switch was to be killed after %s: %v\n%s", st.after, err, out)
			}

			// A login works as it stands, whichever it is.
			_, m := runJSON(t, app, env, "status", "--json")
			method := profileField(t, m, profile, "method")
			if want := "oauth-browser"; st.stillPassword == (method == want) {
				t.Errorf("method after a kill after %s: %q", st.after, method)
			}
			if code, m := runJSON(t, app, env, "check", "--json", "--profile", profile); code != 0 || m["ok"] != true {
				t.Fatalf("check after a kill after %s: exit %d %v", st.after, code, m)
			}
			if st.stillPassword {
				// The user switches again; this time nothing stops it.
				if code, m := runJSON(t, app, env, "login", "--json", "--browser", "--profile", profile, "--client-id", browserClientID, "--callback-port", "0"); code != 0 || m["ok"] != true {
					t.Fatalf("switching again: exit %d %v", code, m)
				}
			}
			// The move is finished: browser sign-in, and neither the
			// password nor the token is left in the keychain.
			if _, m = runJSON(t, app, env, "status", "--json"); profileField(t, m, profile, "method") != "oauth-browser" {
				t.Errorf("method at the end: %v", m)
			}
			for _, kind := range []string{"password", "security_token"} {
				if _, found := secretLookup(profile, kind); found {
					t.Errorf("the %s is still in the keychain", kind)
				}
			}
			if _, found := secretLookup(profile, "refresh_token"); !found {
				t.Error("no refresh token in the keychain")
			}
		})
	}
}

// profileField is field of profile name in status --json's answer m.
func profileField(t *testing.T, m map[string]any, name, field string) string {
	t.Helper()
	ps, _ := m["profiles"].([]any)
	for _, p := range ps {
		if pm, _ := p.(map[string]any); pm["name"] == name {
			s, _ := pm[field].(string)
			return s
		}
	}
	t.Fatalf("status --json has no profile %q: %v", name, m)
	return ""
}
