package cli_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
)

func policyJSON(t *testing.T, v map[string]any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Each locked field: a flag that contradicts it exits 2, names the policy
// and the field, and sends nothing; left out, the policy's value is used.
func TestPolicyLockedFlags(t *testing.T) {
	srv, ca := emulator(t, nil)
	secrets := pass + "\n" + token + "\n"
	adhoc := []string{"check", "--username", user, "--password-stdin"}
	tests := []struct {
		name   string
		policy map[string]any
		args   []string
		code   int
		want   string // in the message (stderr) or the JSON code
	}{
		{"login_url locked, other flag", map[string]any{"login_url": srv.URL(), "ca_file": ca, "locked": []string{"login_url"}},
			append(adhoc, "--login-url", "https://login.salesforce.com"), cli.ExitUsage, "login_url is locked to " + srv.URL()},
		{"login_url locked, same flag", map[string]any{"login_url": srv.URL(), "ca_file": ca, "locked": []string{"login_url"}},
			append(adhoc, "--login-url", srv.URL()+"/"), cli.ExitOK, "Connected to Salesforce"},
		{"login_url locked, no flag", map[string]any{"login_url": srv.URL(), "ca_file": ca, "locked": []string{"login_url"}},
			adhoc, cli.ExitOK, "Connected to Salesforce"},
		{"login_url preset, not locked", map[string]any{"login_url": "https://login.salesforce.com", "ca_file": ca},
			append(adhoc, "--login-url", srv.URL()), cli.ExitOK, "Connected to Salesforce"},
		{"allowed_login_hosts", map[string]any{"allowed_login_hosts": []string{"*.my.salesforce.com"}},
			append(adhoc, "--login-url", srv.URL()), cli.ExitUsage, "allowed_login_hosts allows only *.my.salesforce.com"},
		{"client_id locked", map[string]any{"client_id": "cid", "locked": []string{"client_id"}},
			append(adhoc, "--login-url", srv.URL(), "--ca-file", ca, "--method", "oauth-password", "--client-id", "other"), cli.ExitUsage, "client_id is locked to cid"},
		{"proxy locked", map[string]any{"proxy": "http://127.0.0.1:9", "locked": []string{"proxy"}},
			append(adhoc, "--login-url", srv.URL(), "--ca-file", ca, "--proxy", "http://127.0.0.1:8"), cli.ExitUsage, "proxy is locked to http://127.0.0.1:9"},
		{"ca_file locked, other flag", map[string]any{"ca_file": ca, "locked": []string{"ca_file"}},
			append(adhoc, "--login-url", srv.URL(), "--ca-file", "/etc/ssl/other.pem"), cli.ExitUsage, "ca_file is locked to " + ca},
		{"ca_file locked, no flag", map[string]any{"ca_file": ca, "locked": []string{"ca_file"}},
			append(adhoc, "--login-url", srv.URL()), cli.ExitOK, "Connected to Salesforce"},
		{"methods", map[string]any{"methods": []string{"oauth-browser"}},
			append(adhoc, "--login-url", srv.URL(), "--ca-file", ca, "--method", "soap"), cli.ExitUsage, "methods allows only oauth-browser"},
		{"methods, default not allowed", map[string]any{"methods": []string{"oauth-browser"}},
			append(adhoc, "--login-url", srv.URL(), "--ca-file", ca), cli.ExitUsage, "allows only browser sign-in"},
		{"login --browser, methods", map[string]any{"methods": []string{"soap"}},
			[]string{"login", "--browser", "--login-url", srv.URL(), "--client-id", "cid"}, cli.ExitUsage, "--browser contradicts"},
		{"login, locked login_url", map[string]any{"login_url": srv.URL(), "locked": []string{"login_url"}},
			[]string{"login", "--login-url", "https://test.salesforce.com", "--username", user, "--password-stdin"}, cli.ExitUsage, "login_url is locked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pe := newPolicyEnv(t, policyJSON(t, tt.policy))
			srv.ResetRequests()
			r := pe.run(t, secrets, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tt.want, r.stdout, r.stderr)
			}
			if tt.code == cli.ExitUsage {
				if !strings.Contains(r.stderr, pe.policyPath) {
					t.Errorf("the message does not name the policy %s: %s", pe.policyPath, r.stderr)
				}
				if n := len(srv.Requests()); n != 0 {
					t.Errorf("a refused flag sent %d requests", n)
				}
			}
			// The same refusal as JSON carries its own code.
			if tt.code == cli.ExitUsage {
				r := pe.run(t, secrets, append(tt.args, "--json")...)
				if m := decode(t, r.stdout); m["code"] != "POLICY_LOCKED" && m["code"] != "USAGE_ERROR" || r.code != cli.ExitUsage {
					t.Errorf("--json: exit %d, %v", r.code, m)
				}
			}
		})
	}
}

// A saved profile runs as the policy says: a locked value replaces the
// saved one, a method the policy forbids is refused before any request.
func TestPolicySavedProfile(t *testing.T) {
	srv, ca := emulator(t, nil)
	_, otherCA := emulator(t, nil)
	pe := newPolicyEnv(t, `{}`)
	if r := pe.run(t, pass+"\n"+token+"\n", "login", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", otherCA, "--no-check"); r.code != cli.ExitOK {
		t.Fatalf("login: %+v", r)
	}
	// The saved CA file is another server's: the check fails, until the
	// policy locks the right one.
	if r := pe.run(t, "", "check", "--json"); r.code != cli.ExitFail || decode(t, r.stdout)["code"] != "TLS_ERROR" {
		t.Fatalf("check with the wrong CA file: %+v", r)
	}
	if err := os.WriteFile(pe.policyPath, []byte(policyJSON(t, map[string]any{"ca_file": ca, "locked": []string{"ca_file"}})), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := pe.run(t, "", "check"); r.code != cli.ExitOK {
		t.Fatalf("check with the locked CA file: %+v", r)
	}
	if err := os.WriteFile(pe.policyPath, []byte(`{"methods":["oauth-browser"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	r := pe.run(t, "", "check", "--json")
	if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "POLICY_VIOLATION" || !strings.Contains(m["message"].(string), pe.policyPath) {
		t.Errorf("a forbidden method: exit %d, %v", r.code, m)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("a forbidden method sent %d requests", n)
	}
}

func TestPolicyInStatus(t *testing.T) {
	srv, _ := emulator(t, nil)
	pe := newPolicyEnv(t, `{"login_url":"`+srv.URL()+`","proxy":"http://proxy.firm.example:8080","start_in_tray":true,"locked":["login_url","start_in_tray","client_id"]}`)
	if r := pe.run(t, pass+"\n"+token+"\n", "login", "--username", user, "--password-stdin", "--no-check"); r.code != cli.ExitOK {
		t.Fatalf("login with the policy's login URL: %+v", r)
	}
	r := pe.run(t, "", "status", "--json")
	var st struct {
		Profiles []struct {
			LoginURL string `json:"login_url"`
		} `json:"profiles"`
		Policy struct {
			Applied bool     `json:"applied"`
			Sources []string `json:"sources"`
			Locked  []string `json:"locked"`
			Values  struct {
				LoginURL    string `json:"login_url"`
				Proxy       string `json:"proxy"`
				StartInTray *bool  `json:"start_in_tray"`
			} `json:"values"`
		} `json:"policy"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	p := st.Policy
	if !p.Applied || len(p.Sources) != 1 || p.Sources[0] != pe.policyPath || p.Values.LoginURL != srv.URL() ||
		p.Values.Proxy != "http://proxy.firm.example:8080" || p.Values.StartInTray == nil || !*p.Values.StartInTray {
		t.Errorf("policy in status: %+v", p)
	}
	// client_id is listed as locked but not set: it locks nothing.
	if strings.Join(p.Locked, ",") != "login_url,start_in_tray" {
		t.Errorf("locked = %v", p.Locked)
	}
	if len(st.Profiles) != 1 || st.Profiles[0].LoginURL != srv.URL() {
		t.Errorf("the saved profile did not take the policy's login URL: %+v", st.Profiles)
	}
	r = pe.run(t, "", "status")
	if !strings.Contains(r.stdout, "IT policy from "+pe.policyPath+"; locked: login_url, start_in_tray") {
		t.Errorf("human status: %s", r.stdout)
	}

	// No policy: status says none applied.
	if err := os.Remove(pe.policyPath); err != nil {
		t.Fatal(err)
	}
	r = pe.run(t, "", "status", "--json")
	if m := decode(t, r.stdout); m["policy"].(map[string]any)["applied"] != false {
		t.Errorf("without a policy: %v", m["policy"])
	}
}

func TestPolicyInvalid(t *testing.T) {
	for _, doc := range []string{`{"login_url":`, `{"locked":["username"]}`, `{"methods":["ntlm"]}`, `{"loginurl":"https://x"}`, `{"check_interval":"soon"}`} {
		pe := newPolicyEnv(t, doc)
		r := pe.run(t, "", "check", "--login-url", "https://login.salesforce.com", "--username", user, "--password-stdin", "--json")
		m := decode(t, r.stdout)
		if r.code != cli.ExitFail || m["code"] != "POLICY_INVALID" || !strings.Contains(m["message"].(string), pe.policyPath) {
			t.Errorf("%s: exit %d, %v", doc, r.code, m)
		}
		r = pe.run(t, "", "status", "--json")
		if m := decode(t, r.stdout); r.code != cli.ExitFail || m["code"] != "POLICY_INVALID" {
			t.Errorf("status with %s: exit %d, %v", doc, r.code, m)
		}
	}
}
