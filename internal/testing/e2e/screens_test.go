//go:build integration

package e2e

import (
	"context"
	"strings"
	"syscall"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// saveProfile saves Jane's login as profile through the command line of
// the desk (its keyring and settings).
func (d *desk) saveProfile(t *testing.T, profile, url, ca string) {
	t.Helper()
	if code, out := d.cli(ca, janePassword+"\n"+janeToken+"\n", "login", "--profile", profile, "--login-url", url,
		"--username", janeUsername, "--password-stdin"); code != 0 {
		t.Fatalf("login: exit %d\n%s", code, out)
	}
}

// TestTrayEndToEnd: the real binary in tray mode on a desktop of its own
// with xfce4-panel as the tray host and xfce4-notifyd showing its
// notifications, against the emulator. The tray icon registers with the
// panel's watcher and is drawn in the panel; its menu is clicked through
// com.canonical.dbusmenu; every notification is read on the bus and in
// the daemon's popup (OCR).
func TestTrayEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*waitLong)
	defer cancel()
	d := newDesk(t)
	srv, ca := startEmulator(t)
	d.saveProfile(t, "default", srv.URL(), ca)

	panelBefore := d.panelShot(t, "panel-before")
	tray := d.startApp(defaultLook, ca, "tray")
	item, err := desktoptest.WaitRegisteredPID(ctx, d.Conn, tray.Pid())
	if err != nil {
		t.Fatalf("the tray did not register with xfce4-panel: %v\n%s", err, tray.Output())
	}
	d.assertTrayDrawn(t, panelBefore, "panel-with-tray")
	// The first background check passes: the status line says who.
	menu, err := desktoptest.WaitMenu(ctx, d.Conn, item, func(m desktoptest.MenuItem) bool {
		return desktoptest.HasLabels("Test connection", "Settings…", "Quit")(m) && strings.Contains(strings.Join(m.Labels(), "|"), janeFullName)
	})
	if err != nil {
		t.Fatalf("menu: %v", err)
	}
	t.Logf("tray menu: %q", menu.Labels())

	popups := d.notifydWindows(t)
	if err := tray.pickMenu(ctx, d.Conn, item, "Test connection"); err != nil {
		t.Fatal(err)
	}
	n, err := d.Notes.WaitFrom(ctx, tray.Pid(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(n.Summary, "connected") || strings.Contains(n.Summary, "not connected") ||
		!strings.Contains(n.Body, janeFullName) {
		t.Errorf("connected notification = %q / %q", n.Summary, n.Body)
	}
	tray.shows(d.newNotifydWindow(t, popups), "notification-connected", "connected", janeFullName)

	// Someone resets the token in Salesforce: the saved one is stale.
	if _, err := srv.ResetSecurityToken(janeUsername); err != nil {
		t.Fatal(err)
	}
	if _, err := desktoptest.WaitMenu(ctx, d.Conn, item, func(m desktoptest.MenuItem) bool {
		for _, it := range m.Find("Test connection") {
			return it.Enabled
		}
		return false
	}); err != nil {
		t.Fatal(err)
	}
	popups = d.notifydWindows(t)
	if err := tray.pickMenu(ctx, d.Conn, item, "Test connection"); err != nil {
		t.Fatal(err)
	}
	n, err = d.Notes.WaitFrom(ctx, tray.Pid(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(n.Summary, "not connected") || !strings.Contains(n.Body, "token") {
		t.Errorf("stale-token notification = %q / %q", n.Summary, n.Body)
	}
	tray.shows(d.newNotifydWindow(t, popups), "notification-stale-token", "not connected")

	// Settings… opens the window of the same process.
	if err := tray.pickMenu(ctx, d.Conn, item, "Settings…"); err != nil {
		t.Fatal(err)
	}
	win := tray.window("AdvoLogix Connect")
	tray.showsScrolling(win, "settings-from-tray", "Username", janeUsername, "Test connection")

	// A second launch hands over to the running instance and exits.
	second := d.startApp(defaultLook, ca)
	if code := second.wait(t, waitLong); code != 0 {
		t.Errorf("second launch: exit %d\n%s", code, second.Output())
	}
	items, err := desktoptest.RegisteredItems(ctx, d.Conn)
	if err != nil || len(items) != 1 || items[0].PID != tray.Pid() {
		t.Errorf("tray items %v (%v), want the first instance's only", items, err)
	}

	if err := tray.pickMenu(ctx, d.Conn, item, "Quit"); err != nil {
		t.Fatal(err)
	}
	if code := tray.wait(t, waitLong); code != 0 {
		t.Errorf("after Quit: exit %d", code)
	}
}

// TestScreensAsSeen photographs each screen a user meets, by its own
// window (the process under test, the exact title), in every look (scale
// 1 and 2, light and dark theme), and reads it back: the first-run
// wizard's first step; then, for a saved profile, the Settings window, a
// passing test with the user's name, a stale token's hint, and a locked
// out user. A picture of anything else fails. Each look has a desktop of
// its own, so the looks run side by side.
func TestScreensAsSeen(t *testing.T) {
	for _, l := range looks {
		t.Run(l.String(), func(t *testing.T) {
			t.Parallel()
			d := newDesk(t)
			srv, ca := startEmulator(t)

			wizard := d.startApp(l, ca)
			win := wizard.window("AdvoLogix Connect — Set up")
			wizard.shows(win, "first-run-wizard", "Where do you sign in to Salesforce?", "Production", "Sandbox", "My Domain")
			_ = wizard.cmd.Process.Signal(syscall.SIGTERM)
			wizard.wait(t, waitLong)
			d.assertClean()

			d.saveProfile(t, "default", srv.URL(), ca)
			settings := d.startApp(l, ca, "settings")
			win = settings.window("AdvoLogix Connect")
			text := settings.showsScrolling(win, "settings-window", "Profile", "Username", janeUsername, "Security token", "Test connection")
			if text.Contains("Where do you sign in") {
				t.Errorf("the Settings picture shows the wizard:\n%s", text)
			}

			settings.click(win, text, "Test connection")
			text = settings.showsScrolling(win, "settings-connected", "Connected to Salesforce", "Signed in as "+janeFullName, "Test connection")

			if _, err := srv.ResetSecurityToken(janeUsername); err != nil {
				t.Fatal(err)
			}
			settings.click(win, text, "Test connection")
			text = settings.showsScrolling(win, "settings-stale-token", "If you changed or reset your password recently", "Test connection")

			srv.SetLockoutAfter(1)
			settings.click(win, text, "Test connection")
			// The hint, black or white: the red headline reads poorly at scale 2.
			settings.showsScrolling(win, "settings-locked-out", "Too many failed logins locked your user")
		})
	}
}
