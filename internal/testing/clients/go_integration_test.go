//go:build integration

package clients_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// TestGoClient builds and runs the README's Go recipe (go/main.go, a
// module of its own on github.com/simpleforce/simpleforce): a query, a
// retrieve of the session's user, a describe and describeGlobal; then the
// emulator ends the session, and the next query succeeds after the recipe
// asked `session --json` for a new one, once.
func TestGoClient(t *testing.T) {
	w := newWorld(t)
	bin := buildGoRecipe(t)
	ctx, cancel := context.WithTimeout(context.Background(), clientWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = w.env
	got, out := w.runWithExpiry(t, cmd)
	if q := got["query"]; q["totalSize"] != 1.0 || q["name"] != testfix.OrgName {
		t.Errorf("query: %v", q)
	}
	if r := got["retrieve"]; r["username"] != testfix.JaneUsername {
		t.Errorf("retrieve: %v", r)
	}
	if d := got["describe"]; d["name"] != "Account" || d["fields"].(float64) < 3 {
		t.Errorf("describe: %v", d)
	}
	if g := got["describeGlobal"]; g["sobjects"].(float64) < 3 {
		t.Errorf("describeGlobal: %v", g)
	}
	w.assertServed(t)
	r := got["refreshed"]
	names, _ := r["usernames"].([]any)
	if r["renewals"] != 1.0 || !slices.Contains(names, any(testfix.JaneUsername)) {
		t.Errorf("after the session ended: %v", r)
	}
	w.assertClean(t, out)
}

// buildGoRecipe builds go/ (a module of its own) into a temporary folder
// of t and returns the program's path.
func buildGoRecipe(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs("go")
	if err != nil {
		t.Fatal(err)
	}
	readRecipe(t, filepath.Join(src, "main.go"), filepath.Join(src, "go.mod"), filepath.Join(src, "go.sum"))
	bin := filepath.Join(t.TempDir(), "sessiongo")
	ctx, cancel := context.WithTimeout(context.Background(), clientWait)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = src
	build.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly -trimpath")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the Go recipe (scripts/ensure-clients.sh downloads its modules): %v\n%s", err, out)
	}
	return bin
}
