//go:build integration

package main

import (
	"errors"
	"os/exec"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/testbin"
)

// appBin is this command as shipped (CGO_ENABLED=0, static on Linux),
// built once for the whole run with make build's compile flags
// (internal/testing/testbin); $ADVOLOGIX_TEST_BIN overrides it, to run the
// tests against another build.
func appBin(t *testing.T) string {
	t.Helper()
	return testbin.BuildOrEnv(t, testbin.AppBinEnv, testbin.AppPkg)
}

func TestMain(m *testing.M) { testbin.Main(m) }

// exitCode is cmd's exit status after Run or Output: -1 when it did not
// run to an exit (the error is reported).
func exitCode(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee) && ee.Exited():
		return ee.ExitCode()
	}
	t.Errorf("did not run to an exit: %v", err)
	return -1
}
