package testbin

import "os"

// The environment variables that point the tests at another build of a
// command instead of building it from this checkout.
const (
	AppBinEnv     = "ADVOLOGIX_TEST_BIN"
	DesktopBinEnv = "ADVOLOGIX_TEST_DESKTOP_BIN"
)

// BuildOrEnv is the program the environment variable env names, when it
// is set (to run the tests against another build), else [Build] of pkg.
func BuildOrEnv(tb TB, env, pkg string) string {
	tb.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	return Build(tb, pkg)
}
