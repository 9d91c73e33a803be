package cli_test

import (
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/connection"
)

// version names the build and says whether it has a built-in client id
// for browser sign-in (make dist passes one; a development build has none).
func TestVersionSaysTheBuiltInClientID(t *testing.T) {
	defer func(old string) { connection.BuiltInClientID = old }(connection.BuiltInClientID)
	for _, tc := range []struct{ builtIn, want string }{
		{"", "browser sign-in: no built-in client id (development build)"},
		{"3MVG9release", "browser sign-in: built-in client id 3MVG9release"},
	} {
		connection.BuiltInClientID = tc.builtIn
		r := runCLI(t, "", nil, "version")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != cli.ExitOK || len(lines) != 2 || lines[0] != "advologix-connect test" || !strings.HasPrefix(lines[1], tc.want) {
			t.Errorf("built-in %q: exit %d\n%s", tc.builtIn, r.code, r.stdout)
		}
	}
}
