package testfix

import (
	"os"
	"strings"
	"testing"
)

// RequireSession fails tb (it never skips) unless it runs inside
// scripts/test-session.sh, which make test uses: its D-Bus session bus
// with gnome-keyring, and its X server. run is the command to suggest,
// such as "go test -tags integration ./bench/".
func RequireSession(tb testing.TB, run string) {
	tb.Helper()
	var missing []string
	for _, v := range []string{"ADVOLOGIX_IN_TEST_SESSION", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "HOME"} {
		if os.Getenv(v) == "" {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		tb.Fatalf("%s not set: this needs the test session; run scripts/test-session.sh %s", strings.Join(missing, ", "), run)
	}
}
