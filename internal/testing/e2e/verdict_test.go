//go:build integration

package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// newDeskSized is newDesk on a screen of width×height.
func newDeskSized(t *testing.T, width, height int) *desk {
	t.Helper()
	requireTools(t, append(desktoptest.SessionTools, desktoptest.OCRTools...)...)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	s, err := desktoptest.StartSession(ctx, shortTempDir(t), desktoptest.SessionOptions{Width: width, Height: height, Env: []string{"LANG=en_US.UTF-8"}, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("desktop logs:\n%s", s.Logs())
		}
		if err := s.Close(); err != nil {
			t.Errorf("desktop session: %v", err)
		}
	})
	mon, err := desktoptest.StartNotifyMonitor(s.Bus, s.Conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mon.Close() })
	d := &desk{Session: s, Notes: mon, t: t}
	d.assertClean()
	return d
}

// TestVerdictInView: Settings on a saved profile whose token Salesforce
// has since reset; Test connection; the stale-token verdict is read off
// the window's picture as it is, without scrolling, on a 1366×768 and an
// 800×600 screen, at scale 1 and 2. The window is the app's own (its
// process, its exact title) and fits the screen.
func TestVerdictInView(t *testing.T) {
	for _, size := range [][2]int{{1366, 768}, {800, 600}} {
		for _, l := range []look{{"1", "dark"}, {"2", "light"}} {
			t.Run(fmt.Sprintf("%dx%d-%s", size[0], size[1], l), func(t *testing.T) {
				if size[0] == 800 && l.Scale == "2" {
					// 400×300 points: the pinned hint and the buttons
					// alone are taller, and the form wider (issue #22,
					// left: a bounded, scrolling hint; a wrapping button
					// row).
					t.Skip("Settings does not fit an 800×600 screen at scale 2 yet")
				}
				t.Parallel()
				d := newDeskSized(t, size[0], size[1])
				srv, ca := startEmulator(t)
				d.saveProfile(t, "default", srv.URL(), ca)
				if _, err := srv.ResetSecurityToken(janeUsername); err != nil {
					t.Fatal(err)
				}
				settings := d.startApp(l, ca, "settings")
				win := settings.window("AdvoLogix Connect")
				if win.Height > size[1] {
					t.Errorf("the window is %d px high on a %d px screen", win.Height, size[1])
				}
				text := settings.shows(win, "before-test", "Test connection")
				settings.click(win, text, "Test connection")
				settings.shows(win, "stale-token-verdict", "If you changed or reset your password recently", "Test connection")
			})
		}
	}
}
