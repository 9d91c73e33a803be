//go:build integration

package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// settingsTitle is the Settings window's title.
const settingsTitle = "AdvoLogix Connect"

// followWithin is how soon the tray must show a save made elsewhere, and a
// window process must end after its last window closed.
const followWithin = 2 * time.Second

// TestTrayFollowsASaveInItsWindow: the tray on a saved profile whose
// token went stale is red; Settings opened from the tray, the token fixed
// and saved with the window still open: the tray's status line (read over
// dbusmenu) and icon say connected within 2 s, with no login of the
// tray's; the window closed, its process is gone within 2 s; Quit exits 0
// with nothing printed.
func TestTrayFollowsASaveInItsWindow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*waitLong)
	defer cancel()
	d := newDesk(t)
	srv, ca := startEmulator(t)
	stdin := janePassword + "\n" + janeToken + "\n"
	if code, out := d.cli(ca, stdin, "login", "--profile", "default", "--login-url", srv.URL(), "--username", janeUsername, "--password-stdin", "--ca-file", ca); code != 0 {
		t.Fatalf("login: exit %d\n%s", code, out)
	}
	newToken, err := srv.ResetSecurityToken(janeUsername)
	if err != nil {
		t.Fatal(err)
	}

	tray := d.startApp(defaultLook, ca, "tray")
	item, err := desktoptest.WaitRegisteredPID(ctx, d.Conn, tray.Pid())
	if err != nil {
		t.Fatalf("%v\n%s", err, tray.Output())
	}
	tray.waitTray(ctx, item, "Not connected:", "red")

	if err := tray.pickMenu(ctx, d.Conn, item, "Settings…"); err != nil {
		t.Fatal(err)
	}
	settings := tray.windowProcess(ctx)
	win := settings.window(settingsTitle)
	d.focus(win)
	text := settings.shows(win, "settings", "Security token", "Test connection")
	label, ok := text.Find("Security token")
	if !ok {
		t.Fatalf("no Security token label:\n%s", text)
	}
	// The token field is right of its label, on the same row.
	y := label.Y + label.Height/2
	if _, err := d.Xdotool("mousemove", "--window", win.ID, fmt.Sprint(label.X+label.Width*3+80), fmt.Sprint(y), "click", "1"); err != nil {
		t.Fatal(err)
	}
	d.keys("ctrl+a", "BackSpace")
	d.typeText(newToken)
	// Save is enabled (and readable) only once something changed.
	settings.click(win, settings.shows(win, "settings-edited", "Save"), "Save")

	// The save (a login with the new token, then settings and verdict
	// written) lands; from then on the tray has followWithin, and logs in
	// no more (the save's own login is done by then: count from there).
	deadline := time.Now().Add(waitLong)
	for d.testedStatus("default") != "connected" {
		if time.Now().After(deadline) {
			t.Fatalf("status --json never said connected after Save\n%s", tray.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	saved := time.Now()
	logins := srv.Count("", "/services/Soap/u/64.0")
	fctx, fcancel := context.WithTimeout(ctx, followWithin)
	line := tray.waitTray(fctx, item, "Connected as "+janeFullName, "green")
	fcancel()
	t.Logf("the tray says %q %v after the save", line, time.Since(saved).Round(10*time.Millisecond))
	if n := srv.Count("", "/services/Soap/u/64.0") - logins; n != 0 {
		t.Errorf("%d logins after the save, want none (the tray takes the save's verdict)", n)
	}

	d.focus(win)
	d.keys("alt+F4")
	waitGone(t, settings.Pid(), followWithin, "the Settings window's process")

	quitTray(ctx, t, tray, item)
}

// quitTray clicks Quit in the tray menu and asserts a clean exit: status
// 0, nothing printed, no process of the app left.
func quitTray(ctx context.Context, t *testing.T, tray *app, item desktoptest.Item) {
	t.Helper()
	if err := tray.pickMenu(ctx, tray.d.Conn, item, "Quit"); err != nil {
		t.Fatal(err)
	}
	if code := tray.wait(t, waitLong); code != 0 {
		t.Errorf("Quit: exit %d\n%s", code, tray.Output())
	}
	if out := tray.cleanOutput(); out != "" {
		t.Errorf("the tray and its windows printed:\n%s", out)
	}
}

// TestTrayFirstRunWindowProcessEnds: `tray` with no settings; Settings…
// opens the wizard in a window process. However the wizard ends — Finish,
// "Leave set-up", or the window manager's close on the last step — its
// process is gone, the tray says what is saved (connected, or not set up
// yet), and Quit from the tray exits 0 with nothing printed.
func TestTrayFirstRunWindowProcessEnds(t *testing.T) {
	for _, how := range []string{"finish", "leave", "wm-close"} {
		t.Run(how, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 8*waitLong)
			defer cancel()
			d := newDesk(t)
			srv, ca := startEmulator(t)
			tray := d.startApp(defaultLook, ca, "tray")
			item, err := desktoptest.WaitRegisteredPID(ctx, d.Conn, tray.Pid())
			if err != nil {
				t.Fatalf("%v\n%s", err, tray.Output())
			}
			tray.waitTray(ctx, item, "Not set up yet", "grey")
			if err := tray.pickMenu(ctx, d.Conn, item, "Settings…"); err != nil {
				t.Fatal(err)
			}
			wizard := tray.windowProcess(ctx)
			switch how {
			case "leave":
				win := wizard.window(wizardTitle)
				d.focus(win)
				wizard.shows(win, "1-where", "Where do you sign in to Salesforce?")
				d.keys("alt+F4")
				wizard.shows(win, "leave-dialog", "Leave set-up?", "Leave", "Stay")
				d.keys("shift+Tab", "Return") // from Stay (the safe choice) to Leave
				waitGone(t, wizard.Pid(), followWithin, "the wizard's process after Leave")
				tray.waitTray(ctx, item, "Not set up yet", "grey")
			default:
				wizardByKeys(t, wizard, srv.URL())
				if how == "finish" {
					d.keys("Return") // Finish
				} else {
					d.keys("alt+F4") // the window manager's close
				}
				waitGone(t, wizard.Pid(), followWithin, "the wizard's process after "+how)
				fctx, fcancel := context.WithTimeout(ctx, followWithin)
				tray.waitTray(fctx, item, "Connected as "+janeFullName, "green")
				fcancel()
			}
			quitTray(ctx, t, tray, item)
		})
	}
}
