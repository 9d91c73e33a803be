package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// One render for every outcome: Salesforce's verdict as check --json
// (the Result's fields), anything else as errorJSON; exit 0, 1 or 2.
func TestRender(t *testing.T) {
	okResult := sfclient.Result{OK: true, Method: sfclient.MethodSOAP, Username: "jane@firm.example.com", Headline: "Connected"}
	refused := sfclient.Result{Code: sfclient.CodeInvalidLogin, Method: sfclient.MethodSOAP, Headline: "Wrong password", Hint: "Type it again."}
	malformed := sfclient.Result{Code: sfclient.CodeCredentialsMalformed, Headline: "This cannot be a Salesforce credential", Hint: "Enter it again."}
	keychain := connection.Failed(credstore.Profile{Name: "jane"}, &credstore.KeychainError{Kind: credstore.KeychainLocked, Op: "save"})
	keychain.Checked, keychain.Result = true, okResult // the login worked, the save did not
	tests := []struct {
		name    string
		out     connection.Outcome
		exit    int
		code    string // the JSON "code"
		verdict bool   // rendered as check renders a login
	}{
		{"worked", connection.Outcome{Checked: true, Result: okResult, Warnings: []string{"a note"}}, ExitOK, "", true},
		{"refused", connection.Outcome{Code: refused.Code, Checked: true, Result: refused}, ExitFail, "INVALID_LOGIN", true},
		{"malformed, checked", connection.Outcome{Code: malformed.Code, Checked: true, Result: malformed}, ExitUsage, "CREDENTIALS_MALFORMED", true},
		{"malformed, not sent", connection.Failed(credstore.Profile{}, &sfclient.InputError{Field: sfclient.FieldPassword, Reason: "is empty"}), ExitUsage, "CREDENTIALS_MALFORMED", false},
		{"usage", usagef("--username is required"), ExitUsage, "USAGE_ERROR", false},
		{"policy locked", *lockedf("--proxy x contradicts the IT policy"), ExitUsage, "POLICY_LOCKED", false},
		{"typed settings unusable", asUsage(connection.Failed(credstore.Profile{}, &sfclient.ConfigError{Field: "ca-file", Reason: "cannot be read"})), ExitUsage, "USAGE_ERROR", false},
		{"saved settings unusable", connection.Failed(credstore.Profile{Name: "jane"}, &sfclient.ConfigError{Field: "ca-file", Reason: "cannot be read"}), ExitFail, "INVALID_PROFILE", false},
		{"saved after a login, then the keychain failed", keychain, ExitFail, "KEYCHAIN_LOCKED", false},
		{"no profile", connection.Failed(credstore.Profile{}, connection.NoProfile("")), ExitFail, "PROFILE_NOT_FOUND", false},
		{"anything else", connection.Failed(credstore.Profile{}, errors.New("boom")), ExitFail, "ERROR", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			env := Env{Stdout: &out, Stderr: &errb}
			if code := render(env, true, tt.out); code != tt.exit {
				t.Errorf("exit %d, want %d", code, tt.exit)
			}
			var m map[string]any
			if err := json.Unmarshal(out.Bytes(), &m); err != nil {
				t.Fatalf("%v: %s", err, out.Bytes())
			}
			if m["ok"] != tt.out.OK() || (tt.code != "" || m["code"] != nil) && m["code"] != tt.code {
				t.Errorf("ok %v code %v, want %v %q", m["ok"], m["code"], tt.out.OK(), tt.code)
			}
			_, hasMethod := m["method"]
			if hasMethod != tt.verdict {
				t.Errorf("rendered as a login verdict: %v, want %v: %s", hasMethod, tt.verdict, out.Bytes())
			}
			if !tt.verdict && (m["message"] == "" || len(m) != 4) {
				t.Errorf("not errorJSON {ok,code,message,hint}: %s", out.Bytes())
			}
			if tt.verdict && len(tt.out.Warnings) > 0 && m["warnings"] == nil {
				t.Errorf("warnings dropped: %s", out.Bytes())
			}

			// The text form: a verdict on standard output, any other
			// failure on standard error, with the usage line for exit 2.
			out.Reset()
			errb.Reset()
			render(env, false, tt.out)
			switch {
			case tt.verdict && !strings.Contains(out.String(), tt.out.Result.Headline):
				t.Errorf("stdout %q lacks the headline", out.String())
			case !tt.verdict && (out.Len() != 0 || !strings.HasPrefix(errb.String(), "advologix-connect: ")):
				t.Errorf("stdout %q stderr %q", out.String(), errb.String())
			case !tt.verdict && strings.Contains(errb.String(), "Run 'advologix-connect help'") != (tt.exit == ExitUsage):
				t.Errorf("usage line on exit %d: %q", tt.exit, errb.String())
			}
		})
	}
}
