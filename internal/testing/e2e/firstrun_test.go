//go:build integration

package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// wizardTitle is the set-up wizard's window title.
const wizardTitle = "AdvoLogix Connect — Set up"

// wizardByKeys goes through the first-run wizard of a, from its first
// step to the last, with key events only (Tab, space, Return, typing),
// checking each step on screen; it stops with Finish focused on the
// success step, start-in-tray ticked as it comes.
func wizardByKeys(t *testing.T, a *app, url string) desktoptest.Window {
	t.Helper()
	d := a.d
	win := a.window(wizardTitle)
	d.focus(win)
	a.shows(win, "1-where", "Where do you sign in to Salesforce?", "Production", "Sandbox", "My Domain")
	// Production, Sandbox, My Domain; Space chooses; the address field.
	d.keys("Tab", "Tab", "Tab", "space", "Tab")
	d.typeText(url)
	a.shows(win, "1-where-my-domain", "My Domain", strings.TrimPrefix(url, "https://"))
	d.keys("Tab", "Return") // Next

	a.shows(win, "2-who", "Your Salesforce username and password", "Username", "Password")
	// Closing the window asks; Return keeps the safe choice (stay).
	d.keys("alt+F4")
	a.shows(win, "2-who-leave-dialog", "Leave set-up?", "Stay")
	d.keys("Return")
	a.shows(win, "2-who-stayed", "Your Salesforce username and password")
	if text := a.shows(win, "2-who-no-dialog"); text.Contains("Leave set-up?") {
		t.Fatalf("the leave dialog is still open after Return:\n%s", text)
	}
	// The username field has the focus when the step opens.
	d.typeText(janeUsername)
	d.keys("Tab")
	d.typeText(janePassword)
	a.shows(win, "2-who-typed", janeUsername)
	d.keys("Tab", "Tab", "Tab", "Return") // the password's eye, Back, Next: Next

	a.shows(win, "3-token", "Your security token", "Security token", "Test connection")
	d.typeText(janeToken)
	d.keys("Tab", "Tab", "Tab", "Tab", "Return") // the token's eye, Back, I don't have one, Test connection

	a.shows(win, "4-test-passed", "Connected to Salesforce", "Signed in as "+janeFullName, "Save")
	d.keys("Return") // Save has the focus

	a.shows(win, "5-connected", "You're connected", janeFullName, "Start AdvoLogix Connect in the tray", "Finish")
	return win
}

// TestKeyboardOnlyFirstRun: a user without a mouse sets up the app: the
// wizard from its first step to the saved profile, and its leave dialog,
// by key events alone. The saved profile is read back from the keychain
// (secret-tool) and the command line's status.
func TestKeyboardOnlyFirstRun(t *testing.T) {
	d := newDesk(t)
	srv, ca := startEmulator(t)
	wizard := d.startApp(defaultLook, ca)
	wizardByKeys(t, wizard, srv.URL())
	d.keys("Return") // Finish
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	if err := d.WaitNoWindow(ctx, wizard.Pid()); err != nil {
		t.Errorf("after Finish: %v", err)
	}

	for kind, want := range map[string]string{"password": janePassword, "security_token": janeToken} {
		out, err := d.Command("secret-tool", "lookup", "service", "advologix-connect", "username", "default:"+kind).Output()
		if err != nil || string(out) != want {
			t.Errorf("secret-tool lookup %s: %v (right value: %v)", kind, err, string(out) == want)
		}
	}
	code, out := d.cli("", "", "status", "--json")
	var st struct {
		Default  string `json:"default"`
		Profiles []struct {
			Name     string `json:"name"`
			Username string `json:"username"`
			LoginURL string `json:"login_url"`
			Complete bool   `json:"complete"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 {
		t.Fatalf("status --json: exit %d, %v\n%s", code, err, out)
	}
	if len(st.Profiles) != 1 || st.Profiles[0].Name != "default" || st.Profiles[0].Username != janeUsername ||
		st.Profiles[0].LoginURL != srv.URL() || !st.Profiles[0].Complete || st.Default != "default" {
		t.Errorf("status after the wizard: %s", out)
	}
	if n := srv.Count("", "/services/Soap/u/64.0"); n != 1 {
		t.Errorf("%d logins for one test and one save, want 1 (the save reuses the test's result)", n)
	}
}

// TestFullFirstRun: the most common first run, end to end on a real
// desktop: the wizard with "start in the tray" ticked → Finish → the
// window goes and the tray icon is registered with xfce4-panel's watcher
// and drawn in the panel → "Test connection" from the tray menu
// (com.canonical.dbusmenu) → the notification shown by xfce4-notifyd, read
// off the screen.
func TestFullFirstRun(t *testing.T) {
	d := newDesk(t)
	srv, ca := startEmulator(t)
	panelBefore := d.panelShot(t, "panel-before")
	app := d.startApp(defaultLook, ca)
	wizardByKeys(t, app, srv.URL())
	d.keys("Return") // Finish, with start-in-tray ticked
	// What follows Finish has its own bound: the wizard's steps take as
	// long as a loaded machine makes them.
	ctx, cancel := context.WithTimeout(context.Background(), 3*waitLong)
	defer cancel()

	if err := d.WaitNoWindow(ctx, app.Pid()); err != nil {
		t.Errorf("after Finish: %v", err)
	}
	item, err := desktoptest.WaitRegisteredPID(ctx, d.Conn, app.Pid())
	if err != nil {
		t.Fatalf("after Finish no tray icon (issue 8 problem 1): %v\n%s", err, app.Output())
	}
	t.Logf("tray item on xfce4-panel's watcher: %s", item)
	d.assertTrayDrawn(t, panelBefore, "panel-after-finish")
	d.assertClean(app.Pid())

	if _, err := desktoptest.WaitMenu(ctx, d.Conn, item, desktoptest.HasLabels("Test connection", "Settings…", "Quit")); err != nil {
		t.Fatal(err)
	}
	popups := d.notifydWindows(t)
	seen := len(d.Notes.All())
	if err := app.pickMenu(ctx, d.Conn, item, "Test connection"); err != nil {
		t.Fatal(err)
	}
	var n desktoptest.Notification
	for i := 0; ; i++ {
		if n, err = d.Notes.WaitFrom(ctx, app.Pid(), i); err != nil {
			t.Fatalf("%v (notifications seen before the click: %d)", err, seen)
		}
		if strings.Contains(n.Body, janeFullName) {
			break
		}
	}
	if !strings.Contains(n.Summary, "connected") || strings.Contains(n.Summary, "not connected") {
		t.Errorf("notification = %q / %q", n.Summary, n.Body)
	}
	app.shows(d.newNotifydWindow(t, popups), "notification", "connected", janeFullName)
	d.shows(desktoptest.Window{ID: "root"}, "screen", []int{app.Pid()}, "connected")
}
