//go:build integration

package clients_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// TestJSForce runs the README's jsforce recipe (jsforce/session.js) with
// jsforce 3: identity, a query, a describe and the limits with the session
// that `advologix-connect session --json` printed; then the emulator ends
// every session of Jane's, and the next query succeeds through refreshFn,
// which runs `session --json` again.
func TestJSForce(t *testing.T) {
	w := newWorld(t)
	install := filepath.Join(clientsDir(t), "jsforce")
	script, err := filepath.Abs(filepath.Join("jsforce", "session.js"))
	if err != nil {
		t.Fatal(err)
	}
	requireClient(t, install, script)
	ctx, cancel := context.WithTimeout(context.Background(), clientWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Env = w.with("NODE_PATH=" + filepath.Join(install, "node_modules"))
	got, out := w.runWithExpiry(t, cmd)
	if id := got["identity"]; id["username"] != testfix.JaneUsername || id["organization_id"] != w.emu.OrgID() {
		t.Errorf("identity: %v", id)
	}
	if q := got["query"]; q["totalSize"] != 1.0 || q["name"] != testfix.OrgName {
		t.Errorf("query: %v", q)
	}
	if d := got["describe"]; d["name"] != "Account" || d["fields"].(float64) < 3 {
		t.Errorf("describe: %v", d)
	}
	if l, _ := got["limits"]["DailyApiRequests"].(map[string]any); l["Max"] == nil || l["Remaining"] == nil {
		t.Errorf("limits: %v", got["limits"])
	}
	r := got["refreshed"]
	names, _ := r["usernames"].([]any)
	if r["refreshes"] != 1.0 || r["newToken"] != true || !slices.Contains(names, any(testfix.JaneUsername)) {
		t.Errorf("after the session ended: %v", r)
	}
	w.assertServed(t)
	w.assertClean(t, out, install, filepath.Join(clientsDir(t), "npm-cache"))
}
