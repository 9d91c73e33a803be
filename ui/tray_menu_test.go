package ui

import (
	"testing"

	"github.com/advologix/advologix-connect/credstore"
)

// The tray host gets the menu again only when what it shows changed: each
// hand-over renumbers the items, and a click on an old number is lost (seen
// in e2e: "systray error: no menu item with ID 17" after a reload that
// changed nothing).
func TestTrayMenuHandedOverOnlyWhenChanged(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.startTray()
	sets := func() int {
		f.app.mu.Lock()
		defer f.app.mu.Unlock()
		return f.app.menuSets
	}
	before := sets()
	f.u.tray.reload() // the same saved state, read again
	f.u.tray.reload()
	if got := sets(); got != before {
		t.Errorf("reloads that changed nothing handed the menu over %d more times", got-before)
	}
	f.u.tray.local.checking = true // a check starts: the status line says so
	f.u.tray.refresh()
	if got := sets(); got != before+1 {
		t.Errorf("a changed status line: %d hand-overs, want 1", got-before)
	}
}
