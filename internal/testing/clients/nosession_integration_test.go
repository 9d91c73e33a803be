//go:build integration

package clients_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// TestRecipesWithoutASession: when the saved profile no longer logs in
// (Jane's security token was reset), every recipe stops with a non-zero
// exit and says why (Salesforce's code), after exactly one login attempt (failed logins count
// towards lockout) and without a single request that needs a session; the
// Salesforce CLI is never started.
func TestRecipesWithoutASession(t *testing.T) {
	w := newWorld(t)
	if _, err := w.emu.ResetSecurityToken(testfix.JaneUsername); err != nil {
		t.Fatal(err)
	}
	dir := clientsDir(t)
	jsforce, sf := filepath.Join(dir, "jsforce"), filepath.Join(dir, "sf")
	script := func(name string) string {
		p, err := filepath.Abs(name)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	jsScript, sfScript := script("jsforce/session.js"), script("sf/query.sh")
	requireClient(t, jsforce, jsScript)
	requireClient(t, sf, sfScript)
	goBin := buildGoRecipe(t)
	tests := []struct {
		name string
		argv []string
		env  []string
		want string // in what the recipe printed
	}{
		{"jsforce", []string{"node", jsScript}, []string{"NODE_PATH=" + filepath.Join(jsforce, "node_modules")}, "jsforce recipe: advologix-connect session: INVALID_LOGIN: "},
		{"sf", []string{"sh", sfScript}, []string{w.pathWith(filepath.Join(sf, "node_modules", ".bin"))}, "[INVALID_LOGIN]"},
		{"go", []string{goBin}, nil, "go recipe: advologix-connect session: INVALID_LOGIN: "},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(w.emu.Requests())
			ctx, cancel := context.WithTimeout(context.Background(), clientWait)
			defer cancel()
			cmd := exec.CommandContext(ctx, tc.argv[0], tc.argv[1:]...)
			cmd.Env = w.with(tc.env...)
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), tc.want) {
				t.Errorf("exit %v, want a failure saying %q:\n%s", err, tc.want, out)
			}
			if n := w.emu.FailedLogins(testfix.JaneUsername); n != i+1 {
				t.Errorf("%d failed logins after %d recipes, want one each", n, i+1)
			}
			for _, r := range w.emu.Requests()[before:] {
				if !strings.HasPrefix(r.Path, "/services/Soap/") {
					t.Errorf("%s %s after a failed login", r.Method, r.Path)
				}
			}
			w.assertClean(t, out)
		})
	}
}
