//go:build integration

package e2e

import (
	"testing"
)

// TestCommandLineOpensTheDesktop (issue 24): `advologix-connect` without a
// command, as a user types it or an old shortcut starts it, opens the
// set-up wizard of the desktop program installed beside it, in its own
// process (the command line hands over in place), on a desktop with a
// tray host and a notification daemon; the window is found by the
// process the test started and read back on screen.
func TestCommandLineOpensTheDesktop(t *testing.T) {
	d := newDesk(t)
	_, ca := startEmulator(t)
	env := append(d.Env(defaultLook.env()...), "SSL_CERT_FILE="+ca)
	a := &app{proc: startProcess(t, env, buildApp(t)), d: d, look: defaultLook}
	win := a.window(wizardTitle)
	a.shows(win, "cli-opens-wizard", "Where do you sign in to Salesforce?")
	d.assertClean(a.Pid())
}
