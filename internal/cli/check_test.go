package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
)

func TestCheckCommand(t *testing.T) {
	srv, ca := emulator(t, nil)
	base := []string{"check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca}
	secretEnv := map[string]string{cli.ClientSecretEnv: "s3cr3t-app"}
	tests := []struct {
		name   string
		stdin  string
		env    map[string]string
		extra  []string
		code   int
		jsonOK bool
		want   string // JSON "code" or text in human output
	}{
		{"works", pass + "\n" + token + "\n", nil, []string{"--json"}, cli.ExitOK, true, ""},
		{"CRLF lines", pass + "\r\n" + token + "\r\n", nil, []string{"--json"}, cli.ExitOK, true, ""},
		{"no token", pass + "\n", nil, []string{"--json"}, cli.ExitFail, false, "LOGIN_MUST_USE_SECURITY_TOKEN"},
		{"stale token", pass + "\nOldToken\n", nil, []string{"--json"}, cli.ExitFail, false, "INVALID_LOGIN"},
		{"oauth with env secret", pass + "\n" + token, secretEnv, []string{"--json", "--method", "oauth-password", "--client-id", "cid"}, cli.ExitOK, true, ""},
		{"oauth without secret", pass + "\n" + token, nil, []string{"--json", "--method", "oauth-password", "--client-id", "cid"}, cli.ExitFail, false, "OAUTH_INVALID_CLIENT"},
		{"human success", pass + "\n" + token, nil, nil, cli.ExitOK, false, "Connected to Salesforce as Jane Doe"},
		{"human failure", pass + "\n", nil, nil, cli.ExitFail, false, "Security token needed [LOGIN_MUST_USE_SECURITY_TOKEN]"},
		{"api version over 64", pass + "\n" + token, nil, []string{"--json", "--api-version", "66.0"}, cli.ExitOK, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, tt.env, append(append([]string{}, base...), tt.extra...)...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, secret := range []string{pass, token, "s3cr3t-app"} {
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Errorf("output shows a secret: %s %s", r.stdout, r.stderr)
				}
			}
			if !contains(tt.extra, "--json") {
				if !strings.Contains(r.stdout, tt.want) {
					t.Errorf("stdout %q lacks %q", r.stdout, tt.want)
				}
				return
			}
			var res map[string]any
			dec := json.NewDecoder(strings.NewReader(r.stdout))
			if err := dec.Decode(&res); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
			}
			if dec.More() {
				t.Errorf("more than one JSON value on stdout: %s", r.stdout)
			}
			if res["ok"] != tt.jsonOK || res["code"] != tt.want {
				t.Errorf("ok=%v code=%v, want %v %q", res["ok"], res["code"], tt.jsonOK, tt.want)
			}
			if tt.jsonOK && (res["user_full_name"] != "Jane Doe" || res["organization_name"] != "Firm LLP" || res["instance_url"] != srv.URL()) {
				t.Errorf("who and where missing: %v", res)
			}
			if !tt.jsonOK && res["hint"] == "" {
				t.Errorf("failure without hint: %v", res)
			}
		})
	}
}

func TestCheckUsageErrors(t *testing.T) {
	srv, ca := emulator(t, nil)
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"http refused", pass, []string{"check", "--login-url", "http://login.salesforce.com", "--username", user, "--password-stdin"}, "https://"},
		{"no login url", pass, []string{"check", "--username", user, "--password-stdin"}, "--login-url"},
		{"no username", pass, []string{"check", "--login-url", srv.URL(), "--password-stdin"}, "--username"},
		{"no stdin flag off a terminal", pass, []string{"check", "--login-url", srv.URL(), "--username", user}, "--password-stdin"},
		{"empty stdin", "", []string{"check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca}, "no password"},
		{"password as argument", "", []string{"check", "--login-url", srv.URL(), "--username", user, "hunter2"}, "never accepted as arguments"},
		{"unknown flag", "", []string{"check", "--password", "hunter2"}, "flag provided but not defined"},
		{"bad timeout", pass, []string{"check", "--timeout", "soon"}, "invalid value"},
		{"bad method", pass, []string{"check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--method", "ntlm"}, "method"},
		{"unknown command", "", []string{"frobnicate"}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, nil, tt.args...)
			if r.code != cli.ExitUsage {
				t.Fatalf("exit %d, want 2\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.want)
			}
			if strings.Contains(r.stderr, "hunter2") && tt.name != "password as argument" {
				t.Errorf("stderr echoes a secret: %s", r.stderr)
			}
			if srv.Count("", "/services/Soap/u/64.0") != 0 {
				t.Errorf("a usage error still sent a login")
			}
		})
	}
	t.Run("json usage error", func(t *testing.T) {
		r := runCLI(t, pass, nil, "check", "--json", "--login-url", "http://example.com", "--username", user, "--password-stdin")
		var res map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != cli.ExitUsage || res["code"] != "USAGE_ERROR" || res["ok"] != false {
			t.Errorf("exit %d stdout %q: %v", r.code, r.stdout, err)
		}
	})
}

func TestHelpAndVersion(t *testing.T) {
	r := runCLI(t, "", nil, "help")
	if r.code != 0 || !strings.Contains(r.stdout, "--password-stdin") {
		t.Errorf("help: %d %q", r.code, r.stdout)
	}
	r = runCLI(t, "", nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "advologix-connect test\nbrowser sign-in: ") {
		t.Errorf("version: %d %q", r.code, r.stdout)
	}
}
