package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
)

// Issue 23 item 3: a policy file someone other than an administrator
// could have written (here: below /tmp, which everyone may write) stops
// every command with POLICY_INSECURE before any request.
func TestInsecurePolicyStopsBeforeAnyRequest(t *testing.T) {
	srv, ca := emulator(t, nil)
	path := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(path, []byte(`{"login_url":"`+srv.URL()+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	pe := newProfileEnv(t)
	pe.policy = func(ctx context.Context) (credstore.Policy, error) { return credstore.ReadPolicyFileContext(ctx, path) }
	secrets := pass + "\n" + token + "\n"
	for _, args := range [][]string{
		{"check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca, "--json"},
		{"check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca},
		{"session", "--json"},
	} {
		srv.ResetRequests()
		r := pe.run(t, secrets, args...)
		asJSON := args[len(args)-1] == "--json"
		if r.code != cli.ExitFail || asJSON && decode(t, r.stdout)["code"] != "POLICY_INSECURE" || !asJSON && !strings.Contains(r.stderr, "not used") {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout+r.stderr, path) || !strings.Contains(r.stdout+r.stderr, "chown root:root") {
			t.Errorf("%v: the message names neither the path nor the fix:\n%s%s", args, r.stdout, r.stderr)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%v: %d requests sent", args, n)
		}
	}
}
