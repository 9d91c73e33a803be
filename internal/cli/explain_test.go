package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

// explainEnv is an emulator with Jane, a saved password profile "jane"
// (method soap) and, when withBrowser, a browser sign-in profile of hers.
func explainEnv(t *testing.T, sec credstore.Secrets, withBrowser bool) (*sftest.Server, *profileEnv, string) {
	t.Helper()
	srv, ca := emulator(t, func(c *sftest.Config) {
		c.Apps = append(c.Apps, sftest.App{ClientID: browserApp, RedirectURIs: []string{browserRedirect}, RotateRefreshTokens: true})
	})
	pe := newProfileEnv(t)
	st := pe.openStore(t)
	ctx := context.Background()
	if err := st.Save(ctx, credstore.Profile{Name: "jane", LoginURL: srv.URL(), Username: user, Method: credstore.MethodSOAP, CAFile: ca}, sec); err != nil {
		t.Fatal(err)
	}
	if withBrowser {
		saveBrowserSignIn(t, st, srv, ca, "jane-browser", credstore.Secrets{})
	}
	srv.ResetRequests()
	return srv, pe, ca
}

func TestCheckExplainSavedProfile(t *testing.T) {
	tests := []struct {
		name       string
		sec        credstore.Secrets
		browser    bool
		extra      []string
		code       string
		status     string
		hintHas    string
		queries    int
		textStatus bool
	}{
		{"stale token", credstore.Secrets{Password: pass, SecurityToken: staleToken}, true, []string{"--json"},
			"INVALID_LOGIN", "Failed: API security token required", "Reset My Security Token", 1, false},
		{"missing token", credstore.Secrets{Password: pass}, true, []string{"--json"},
			"LOGIN_MUST_USE_SECURITY_TOKEN", "Failed: API security token required", "Reset My Security Token", 1, false},
		{"wrong password", credstore.Secrets{Password: "Wr0ng", SecurityToken: token}, true, []string{"--json"},
			"INVALID_LOGIN", "Invalid Password", "Forgot your password", 1, false},
		{"text form", credstore.Secrets{Password: pass, SecurityToken: staleToken}, true, nil,
			"INVALID_LOGIN", "Failed: API security token required", "Get a fresh one via", 1, true},
		{"no browser profile", credstore.Secrets{Password: pass, SecurityToken: staleToken}, false, []string{"--json"},
			"INVALID_LOGIN", "", "If you changed or reset your password recently", 0, false},
		{"explain off", credstore.Secrets{Password: pass, SecurityToken: staleToken}, true, []string{"--json", "--explain=false"},
			"INVALID_LOGIN", "", "If you changed or reset your password recently", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, pe, _ := explainEnv(t, tt.sec, tt.browser)
			r := pe.run(t, "", append([]string{"check", "--profile", "jane"}, tt.extra...)...)
			if r.code != cli.ExitFail {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, cli.ExitFail, r.stdout, r.stderr)
			}
			if n := len(srv.HistoryQueries()); n != tt.queries {
				t.Errorf("%d Login History queries, want %d", n, tt.queries)
			}
			logins := 0
			for _, q := range srv.Requests() {
				if strings.HasPrefix(q.Path, "/services/Soap/u/") || q.GrantType == "password" {
					logins++
				}
			}
			if logins != 1 {
				t.Errorf("%d password logins, want exactly 1", logins)
			}
			if tt.textStatus {
				if !strings.Contains(r.stdout, "Login History: "+tt.status) || !strings.Contains(r.stdout, tt.hintHas) {
					t.Errorf("text output:\n%s", r.stdout)
				}
				return
			}
			m := decode(t, r.stdout)
			status, present := m["login_history_status"]
			if !present || status != tt.status || m["code"] != tt.code || !strings.Contains(m["hint"].(string), tt.hintHas) {
				t.Errorf("code %v login_history_status %v (present %v) hint %v", m["code"], status, present, m["hint"])
			}
			for _, k := range []string{"ok", "message", "method", "login_url", "username", "elapsed_ms", "password_expired"} {
				if _, ok := m[k]; !ok {
					t.Errorf("JSON lost %q", k)
				}
			}
		})
	}
}

func TestCheckExplainAdHoc(t *testing.T) {
	srv, pe, ca := explainEnv(t, credstore.Secrets{Password: pass, SecurityToken: token}, true)
	base := []string{"check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca, "--json"}

	// Ad-hoc checks do not explain unless asked.
	r := pe.run(t, "Wr0ng\n"+token+"\n", base...)
	if m := decode(t, r.stdout); r.code != cli.ExitFail || m["login_history_status"] != "" || len(srv.HistoryQueries()) != 0 {
		t.Fatalf("explained without --explain: %v, %d queries", m, len(srv.HistoryQueries()))
	}
	r = pe.run(t, "Wr0ng\n"+token+"\n", append(base, "--explain")...)
	m := decode(t, r.stdout)
	if r.code != cli.ExitFail || m["code"] != "INVALID_LOGIN" || m["login_history_status"] != "Invalid Password" || len(srv.HistoryQueries()) != 1 {
		t.Errorf("--explain: exit %d %v, %d queries\n%s", r.code, m, len(srv.HistoryQueries()), r.stderr)
	}
	// A working login needs no explaining: exit 0, no query.
	r = pe.run(t, pass+"\n"+token+"\n", append(base, "--explain")...)
	if m := decode(t, r.stdout); r.code != cli.ExitOK || m["ok"] != true || len(srv.HistoryQueries()) != 1 {
		t.Errorf("working login: exit %d %v", r.code, m)
	}
	for _, v := range pe.kr.Values() {
		if strings.Contains(v, "Invalid Password") {
			t.Errorf("history stored in the keychain")
		}
	}
}

func TestCheckExplainAdHocWithoutSessionSaysSo(t *testing.T) {
	srv, pe, ca := explainEnv(t, credstore.Secrets{Password: pass, SecurityToken: token}, false)
	r := pe.run(t, "Wr0ng\n"+token+"\n", "check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca, "--explain")
	if r.code != cli.ExitFail || !strings.Contains(r.stderr, "no browser sign-in") || strings.Contains(r.stdout, "Login History:") || len(srv.HistoryQueries()) != 0 {
		t.Errorf("exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
}
