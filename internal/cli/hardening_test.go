package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
)

// Issue 9 item 9: credentials that cannot be right cost no login, exit 2,
// and never show the secret.
func TestCheckMalformedCredentials(t *testing.T) {
	srv, ca := emulator(t, nil)
	for _, tt := range []struct{ name, user, stdin, field string }{
		{"NUL in password", user, "Secr\x00etPass\n" + token, "password"},
		{"invalid UTF-8 in password", user, "Secr\xffetPass\n" + token, "password"},
		{"blank username", "   ", "SecretPass\n" + token, "username"},
		{"huge username", strings.Repeat("u", 128<<10), "SecretPass\n" + token, "username"},
	} {
		for _, asJSON := range []bool{true, false} {
			args := []string{"check", "--login-url", srv.URL(), "--username", tt.user, "--password-stdin", "--ca-file", ca}
			if asJSON {
				args = append(args, "--json")
			}
			srv.ResetRequests()
			r := runCLI(t, tt.stdin, nil, args...)
			if r.code != cli.ExitUsage {
				t.Errorf("%s: exit %d, want %d\n%s%s", tt.name, r.code, cli.ExitUsage, r.stdout, r.stderr)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%s: %d requests sent, want none", tt.name, n)
			}
			if strings.Contains(r.stdout+r.stderr, "Secr") || strings.Contains(r.stdout+r.stderr, "SecretPass") {
				t.Errorf("%s: secret shown: %s %s", tt.name, r.stdout, r.stderr)
			}
			if asJSON {
				var res map[string]any
				if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || res["code"] != "CREDENTIALS_MALFORMED" {
					t.Errorf("%s: JSON %v %s", tt.name, err, r.stdout)
				}
			} else if !strings.Contains(r.stdout, "[CREDENTIALS_MALFORMED]") || !strings.Contains(r.stdout, tt.field) {
				t.Errorf("%s: stdout %q", tt.name, r.stdout)
			}
		}
	}
}

// Issue 9 item 5: a login host that is not Salesforce's is named in --json.
func TestCheckJSONWarnings(t *testing.T) {
	srv, ca := emulator(t, nil)
	r := runCLI(t, pass+"\n"+token, nil, "check", "--json", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca)
	var res struct {
		OK       bool     `json:"ok"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if !res.OK || len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "not Salesforce") {
		t.Errorf("warnings = %q (ok %v)", res.Warnings, res.OK)
	}
}

// Item 9: login neither tests nor saves what cannot be a credential.
func TestLoginMalformedCredentials(t *testing.T) {
	srv, ca := emulator(t, nil)
	for _, extra := range [][]string{nil, {"--no-check"}} {
		args := append([]string{"login", "--json", "--profile", "p", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca}, extra...)
		r := runCLI(t, "Secr\x00etPass\n"+token, nil, args...)
		if r.code != cli.ExitUsage || !strings.Contains(r.stdout, `"code":"CREDENTIALS_MALFORMED"`) || strings.Contains(r.stdout+r.stderr, "Secr") {
			t.Errorf("%v: exit %d\n%s%s", extra, r.code, r.stdout, r.stderr)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%v: %d requests", extra, n)
		}
	}
}
