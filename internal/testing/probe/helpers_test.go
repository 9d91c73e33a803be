//go:build integration

package probe

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testbin"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

func TestMain(m *testing.M) { testbin.Main(m) }

// appBin is advologix-connect built from this checkout (once per run, see
// testbin), or $ADVOLOGIX_TEST_BIN.
func appBin(t *testing.T) string {
	t.Helper()
	return testbin.BuildOrEnv(t, testbin.AppBinEnv, testbin.AppPkg)
}

// requireRoot fails (never skips) when the tests cannot act as another
// user or mount: make test runs them as root.
func requireRoot(t *testing.T, tools ...string) {
	t.Helper()
	testfix.RequireSession(t, "go test -tags integration ./internal/testing/probe/")
	if os.Getuid() != 0 {
		t.Fatal("this test must run as root (as make test does): it plays another user with setpriv or mounts in a private namespace")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("this test needs %s: %v", tool, err)
		}
	}
}

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
}

// json decodes stdout as one JSON object; a failure fails t.
func (r result) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, r)
	}
	return m
}

// run runs name with args, env and stdin, and returns what it did; a
// program that cannot be started fails t.
func run(t *testing.T, env []string, stdin string, name string, args ...string) result {
	t.Helper()
	return runCmd(t, exec.Command(name, args...), env, stdin)
}

// runCmd runs cmd with env and stdin.
func runCmd(t *testing.T, cmd *exec.Cmd, env []string, stdin string) result {
	t.Helper()
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	return result{code, out.String(), errb.String()}
}
