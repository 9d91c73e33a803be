package cli_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

var sessionLineRE = regexp.MustCompile(`^(access_token|instance_url|id|token_type|api_version|organization_id|user_id|username|issued_at|expires_at|schema_version)=(\S+)$`)

func TestSessionCommand(t *testing.T) {
	srv, ca := emulator(t, func(c *sftest.Config) {
		c.Apps = append(c.Apps, sftest.App{ClientID: browserApp, RedirectURIs: []string{browserRedirect}, RotateRefreshTokens: true})
		c.Users = append(c.Users, sftest.User{Username: "old@firm.example.com", Password: pass, SecurityToken: token, PasswordExpired: true})
	})
	pe := newProfileEnv(t)
	if r := pe.run(t, pass+"\n"+token+"\n", "login", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca); r.code != cli.ExitOK {
		t.Fatalf("login: %d %s%s", r.code, r.stdout, r.stderr)
	}
	for _, p := range []struct{ name, user, token string }{{"stale", user, staleToken}, {"expired", "old@firm.example.com", token}} {
		if r := pe.run(t, pass+"\n"+p.token+"\n", "login", "--profile", p.name, "--login-url", srv.URL(), "--username", p.user, "--password-stdin", "--ca-file", ca, "--no-check"); r.code != cli.ExitOK {
			t.Fatalf("login %s: %d %s%s", p.name, r.code, r.stdout, r.stderr)
		}
	}
	st := pe.openStore(t)
	refresh := saveBrowserSignIn(t, st, srv, ca, "browser", credstore.Secrets{})

	t.Run("text", func(t *testing.T) {
		srv.ResetRequests()
		r := pe.run(t, "", "session")
		if r.code != cli.ExitOK || r.stderr != "" {
			t.Fatalf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
		}
		kv := map[string]string{}
		var keys []string
		for _, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
			m := sessionLineRE.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("not a KEY=value line: %q", l)
			}
			kv[m[1]] = m[2]
			keys = append(keys, m[1])
		}
		if strings.Join(keys, " ") != "access_token instance_url id token_type api_version organization_id user_id username issued_at expires_at schema_version" {
			t.Errorf("keys %v", keys)
		}
		issued, err1 := time.Parse(time.RFC3339, kv["issued_at"])
		expires, err2 := time.Parse(time.RFC3339, kv["expires_at"])
		if err1 != nil || err2 != nil || expires.Sub(issued) != 2*time.Hour || time.Since(issued) > time.Minute {
			t.Errorf("issued_at %q expires_at %q", kv["issued_at"], kv["expires_at"])
		}
		u, _ := srv.User(user)
		if kv["instance_url"] != srv.URL() || kv["organization_id"] != srv.OrgID() || kv["username"] != user ||
			kv["id"] != srv.URL()+"/id/"+srv.OrgID()+"/"+u.UserID || kv["token_type"] != "Bearer" ||
			kv["api_version"] != "66.0" || kv["schema_version"] != "1" {
			t.Errorf("%v", kv)
		}
		if !bearerWorks(t, srv, kv["instance_url"], kv["access_token"]) {
			t.Error("the printed session does not open the REST API")
		}
		if n := srv.Count("POST", "/services/Soap/u/64.0"); n != 1 {
			t.Errorf("%d logins, want 1", n)
		}
	})
	t.Run("json, browser profile", func(t *testing.T) {
		r := pe.run(t, "", "session", "--profile", "browser", "--json")
		m := decode(t, r.stdout)
		if r.code != cli.ExitOK || r.stderr != "" {
			t.Fatalf("exit %d %s", r.code, r.stderr)
		}
		for _, k := range []string{"access_token", "instance_url", "id", "token_type", "api_version", "organization_id", "user_id", "username", "issued_at"} {
			if s, _ := m[k].(string); s == "" {
				t.Errorf("no %s in %v", k, m)
			}
		}
		if _, ok := m["expires_at"]; ok {
			t.Errorf("expires_at given for OAuth, where Salesforce does not say: %v", m)
		}
		if tok, _ := m["access_token"].(string); !bearerWorks(t, srv, m["instance_url"].(string), tok) {
			t.Error("the access token does not open the REST API")
		}
		if v, _ := pe.kr.Lookup(credstore.Service, "browser:refresh_token"); v == refresh || v == "" {
			t.Error("the refresh token Salesforce rotated was not kept")
		}
	})
	t.Run("failed login as check reports it", func(t *testing.T) {
		for _, asJSON := range []bool{false, true} {
			args := []string{"--profile", "stale", "--explain=false"}
			sargs := []string{"session", "--profile", "stale"}
			if asJSON {
				args, sargs = append(args, "--json"), append(sargs, "--json")
			}
			c := pe.run(t, "", append([]string{"check"}, args...)...)
			s := pe.run(t, "", sargs...)
			ms := regexp.MustCompile(`[0-9]+ ms|"elapsed_ms":[0-9]+`)
			if s.code != cli.ExitFail || ms.ReplaceAllString(s.stdout, "") != ms.ReplaceAllString(c.stdout, "") || strings.Contains(s.stdout, "access_token") {
				t.Errorf("session:\n%s\ncheck:\n%s", s.stdout, c.stdout)
			}
			if !strings.Contains(s.stdout, "INVALID_LOGIN") {
				t.Errorf("%s", s.stdout)
			}
		}
	})
	t.Run("password expired hands out no session", func(t *testing.T) {
		r := pe.run(t, "", "session", "--profile", "expired", "--json")
		if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "PASSWORD_EXPIRED" || m["access_token"] != nil {
			t.Errorf("exit %d %v", r.code, m)
		}
	})
	t.Run("unknown profile", func(t *testing.T) {
		r := pe.run(t, "", "session", "--profile", "nope", "--json")
		if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "PROFILE_NOT_FOUND" {
			t.Errorf("exit %d %v", r.code, m)
		}
	})
	t.Run("usage", func(t *testing.T) {
		r := pe.run(t, "", "session", "extra")
		if r.code != cli.ExitUsage || r.stdout != "" {
			t.Errorf("exit %d %q", r.code, r.stdout)
		}
	})
}

func TestSessionAndDiagnoseFollowThePolicy(t *testing.T) {
	srv, ca := emulator(t, nil)
	pe := newProfileEnv(t)
	if r := pe.run(t, pass+"\n"+token+"\n", "login", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca); r.code != cli.ExitOK {
		t.Fatalf("login: %d %s%s", r.code, r.stdout, r.stderr)
	}
	pol := credstore.Policy{Sources: []string{"HKLM\\SOFTWARE\\Policies\\AdvoLogix\\Connect"}, Methods: []string{credstore.MethodOAuthBrowser},
		Locked: []string{credstore.PolicyMethods}}
	withPol := *pe
	withPol.policy = func(context.Context) (credstore.Policy, error) { return pol, nil }
	runPol := func(args ...string) run { return withPol.run(t, "", args...) }
	srv.ResetRequests()
	r := runPol("session", "--json")
	if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "POLICY_VIOLATION" || len(srv.Requests()) != 0 {
		t.Errorf("session against the policy: exit %d %v, %d requests", r.code, m, len(srv.Requests()))
	}
	r = runPol("diagnose")
	// The names' column is as wide as the longest ("password:default").
	if !regexp.MustCompile(`\[ OK \] policy +from HKLM\\SOFTWARE\\Policies\\AdvoLogix\\Connect: methods=oauth-browser \(locked\)`).MatchString(r.stdout) ||
		!strings.Contains(r.stdout, "[FAIL] profile ") || !strings.Contains(r.stdout, "POLICY_VIOLATION") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}
