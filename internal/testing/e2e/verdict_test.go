//go:build integration

package e2e

import (
	"fmt"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// TestVerdictInView: Settings on a saved profile whose token Salesforce
// has since reset; Test connection; the stale-token verdict is read off
// the window's picture as it is, without scrolling, on a 1366×768 and an
// 800×600 screen (400×300 points at scale 2), at scale 1 and 2, light and
// dark, and once with Advanced open. The window is the app's own (its
// process, its exact title) and fits the screen.
func TestVerdictInView(t *testing.T) {
	for _, c := range []struct {
		width, height int
		look          look
		advanced      bool
	}{
		{1366, 768, look{"1", "dark"}, false},
		{1366, 768, look{"2", "light"}, false},
		{1366, 768, look{"1", "light"}, true},
		{800, 600, look{"1", "dark"}, false},
		{800, 600, look{"1", "light"}, false},
		{800, 600, look{"2", "dark"}, false},
		{800, 600, look{"2", "light"}, false},
	} {
		name := fmt.Sprintf("%dx%d-%s", c.width, c.height, c.look)
		if c.advanced {
			name += "-advanced"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := newDeskSized(t, c.width, c.height)
			srv, ca := startEmulator(t)
			d.saveProfile(t, "default", srv.URL(), ca)
			if _, err := srv.ResetSecurityToken(janeUsername); err != nil {
				t.Fatal(err)
			}
			settings := d.startApp(c.look, ca, "settings")
			win := settings.window("AdvoLogix Connect")
			// The window is centred on the whole monitor and the window
			// manager then adds its title bar, which can push the bottom a
			// few pixels past the screen: what may go is the padding under
			// the button row (2 × 4 points), never the buttons.
			slack := 8
			if c.look.Scale == "2" {
				slack = 16
			}
			if win.X < 0 || win.Y < 0 || win.X+win.Width > c.width || win.Y+win.Height > c.height+slack {
				t.Errorf("the window, %d×%d px at %d,%d, is off a %d×%d screen", win.Width, win.Height, win.X, win.Y, c.width, c.height)
			}
			text := settings.shows(win, "before-test", "Test connection")
			if c.advanced {
				// Below the sign-in rows: the user scrolls down to it,
				// opens it, and reads it (scrolling on).
				d.wheel(win, 5, 20)
				settings.clickSettled(win, "before-advanced", "Advanced")
				text = settings.showsScrolling(win, "advanced-open", "Password and security token", "Test connection")
			}
			settings.click(win, text, "Test connection")
			settings.shows(win, "stale-token-verdict", "If you changed or reset your password recently", "Test connection")
		})
	}
}

// clickSettled clicks label once two readings of win in a row find it at
// the same place: the scroll that brought it has come to rest.
func (a *app) clickSettled(win desktoptest.Window, name, label string) {
	a.d.t.Helper()
	var last desktoptest.Word
	for range 10 {
		text := a.shows(win, name, label)
		if w, _ := findControl(text, label); w == last {
			a.click(win, text, label)
			return
		}
		last, _ = findControl(text, label)
	}
	a.d.t.Fatalf("%q kept moving on %v", label, win)
}
