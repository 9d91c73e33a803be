//go:build integration

package clients_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// Sam is the dotnet world's second user, saved as namedProfile: a name
// with a space, which the recipe passes as `--profile "…"`.
const (
	namedProfile = "Sam at Firm"
	samUsername  = "sam@firm.example.com"
	samPassword  = "S4m-Pa55word!"
	samToken     = "SamToken0123456789abcdEF"
)

// TestDotNetClient runs the README's .NET / VSTO recipe
// (dotnet/SessionCaller.cs, compiled by Mono's mcs, a .NET Framework 4.x)
// as an add-in would: Process starts `advologix-connect session --json`,
// DataContractJsonSerializer parses it, HttpWebRequest sends the token as
// a bearer token to a SOQL query on Organization and to the identity URL;
// then the emulator ends the session and the next query works after the
// recipe asked `session` for a new one, once. Mono trusts the emulator's
// CA through its user store in the world's HOME (cert-sync --user), as
// Windows trusts a company CA: nothing in the recipe names the emulator.
func TestDotNetClient(t *testing.T) {
	w := newDotNetWorld(t)
	w.login(t, samUsername, samPassword, samToken, "--profile", namedProfile)
	exe := dotNetRecipe(t)
	tests := []struct {
		name string
		args []string
		user string
	}{
		{"default profile", nil, testfix.JaneUsername},
		{"named profile", []string{"--profile", namedProfile}, samUsername},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), clientWait)
			defer cancel()
			cmd := exec.CommandContext(ctx, "mono", append([]string{exe}, tc.args...)...)
			cmd.Env = w.env
			got, out := w.runWithExpiryOf(t, cmd, tc.user)
			if s := got["session"]; s["schema_version"] != 1.0 || s["token_type"] != "Bearer" || s["username"] != tc.user {
				t.Errorf("session: %v", s)
			}
			q := got["query"]
			if q["totalSize"] != 1.0 || q["name"] != testfix.OrgName || !strings.HasPrefix(q["id"].(string), "00D") {
				t.Errorf("query: %v", q)
			}
			if id := got["identity"]; id["username"] != tc.user || id["organization_id"] != q["id"] ||
				!strings.HasPrefix(id["user_id"].(string), "005") {
				t.Errorf("identity: %v (query: %v)", id, q)
			}
			if r := got["refreshed"]; r["renewals"] != 1.0 || r["name"] != testfix.OrgName {
				t.Errorf("after the session ended: %v", r)
			}
			w.assertServed(t)
			w.assertClean(t, out)
			w.assertNoSam(t, out)
		})
	}
}

// TestDotNetClientWithoutASession: when `session` hands out no session,
// the recipe exits non-zero with the code `session` gave, and sends no
// request that needs a session: for a profile that does not exist, no
// request at all; once Jane's security token is reset, exactly one login
// attempt (failed logins count towards lockout).
func TestDotNetClientWithoutASession(t *testing.T) {
	w := newDotNetWorld(t)
	exe := dotNetRecipe(t)
	tests := []struct {
		name   string
		before func(t *testing.T)
		args   []string
		want   string // in what the recipe printed
		logins int    // failed logins of Jane's after the case
	}{
		{"no such profile", nil, []string{"--profile", "nobody"},
			".NET recipe: advologix-connect session: PROFILE_NOT_FOUND: ", 0},
		{"security token reset", func(t *testing.T) {
			if _, err := w.emu.ResetSecurityToken(testfix.JaneUsername); err != nil {
				t.Fatal(err)
			}
		}, nil, ".NET recipe: advologix-connect session: INVALID_LOGIN: ", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.before != nil {
				tc.before(t)
			}
			before := len(w.emu.Requests())
			ctx, cancel := context.WithTimeout(context.Background(), clientWait)
			defer cancel()
			cmd := exec.CommandContext(ctx, "mono", append([]string{exe}, tc.args...)...)
			cmd.Env = w.env
			out, err := cmd.CombinedOutput()
			if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(string(out), tc.want) {
				t.Errorf("exit %d (%v), want 1 and a failure saying %q:\n%s", code, err, tc.want, out)
			}
			if n := w.emu.FailedLogins(testfix.JaneUsername); n != tc.logins {
				t.Errorf("%d failed logins, want %d", n, tc.logins)
			}
			for _, r := range w.emu.Requests()[before:] {
				if !strings.HasPrefix(r.Path, "/services/Soap/") {
					t.Errorf("%s %s without a session", r.Method, r.Path)
				}
			}
			w.assertClean(t, out)
		})
	}
}

// newDotNetWorld is a world whose emulator is reached as localhost (Mono's
// TLS matches an IP address only against the certificate's DNS names, and
// Salesforce is always reached by name), with the emulator's CA in Mono's
// user store under the world's HOME.
func newDotNetWorld(t *testing.T) *world {
	t.Helper()
	w := newWorldWith(t, func(c *sftest.Config) {
		c.Host = "localhost"
		c.Users = append(c.Users, sftest.User{Username: samUsername, Password: samPassword, SecurityToken: samToken})
	})
	sync := exec.Command("cert-sync", "--quiet", "--user", w.emu.CAFile)
	sync.Env = w.env
	if out, err := sync.CombinedOutput(); err != nil {
		t.Fatalf("cert-sync --user (make test installs Mono: scripts/ensure-deps.sh runtime-test): %v\n%s", err, out)
	}
	return w
}

// assertNoSam is assertClean for Sam's password and security token.
func (w *world) assertNoSam(t *testing.T, output []byte) {
	t.Helper()
	if strings.Contains(string(output), samPassword) || strings.Contains(string(output), samToken) {
		t.Error("the recipe printed Sam's password or security token")
	}
	testfix.AssertNoSecretsInDir(t, w.home, samPassword, samToken)
}

// dotNetRecipe is the path of the recipe that scripts/ensure-clients.sh
// compiled into the clients' folder; it fails t unless that was compiled
// from dotnet/SessionCaller.cs as it is now.
func dotNetRecipe(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("dotnet/SessionCaller.cs")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(clientsDir(t), "dotnet")
	stamp, err := os.ReadFile(filepath.Join(dir, ".installed"))
	sum := sha256.Sum256(src)
	if err != nil || strings.TrimSpace(string(stamp)) != hex.EncodeToString(sum[:]) {
		t.Fatalf("%s was not compiled from dotnet/SessionCaller.cs as it is: run scripts/ensure-clients.sh (make test runs it; it needs Mono's mcs)", dir)
	}
	return filepath.Join(dir, "SessionCaller.exe")
}
