package ui

// This file holds the tray's "Switch to browser sign-in": while the default
// profile logs in with a password, the menu offers to move it to browser
// sign-in (connection.Service.SwitchToBrowser), and a notification says
// how it went.

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/internal/connection"
)

// menuSwitchNotSetUp is the switch's menu item when no client id is
// configured: shown, off, saying why.
const menuSwitchNotSetUp = switchLabel + " (not set up on this computer)"

// switchItem is the tray's switch menu item and its state.
type switchItem struct {
	item      *fyne.MenuItem
	switching bool // a switch is in flight
}

// syncSwitchItem puts the switch in the menu, after Test connection, while
// the default profile logs in with a password, and takes it out otherwise.
func (t *tray) syncSwitchItem() {
	if t.sw.item == nil {
		t.sw.item = fyne.NewMenuItem(switchLabel, t.switchDefault)
	}
	items := slices.DeleteFunc(slices.Clone(t.menu.Items), func(i *fyne.MenuItem) bool { return i == t.sw.item })
	ps, ok := t.state.Profile("")
	if ok && t.state.Err == nil {
		if can, ready := t.u.switchable(ps.Profile); can {
			t.sw.item.Label = switchLabel
			if !ready {
				t.sw.item.Label = menuSwitchNotSetUp
			}
			t.sw.item.Disabled = !ready || t.sw.switching
			at := slices.IndexFunc(items, func(i *fyne.MenuItem) bool { return i.Label == menuTest }) + 1
			items = slices.Insert(items, at, t.sw.item)
		}
	}
	t.menu.Items = items
}

// switchDefault moves the default profile to browser sign-in: the browser
// opens, and a notification says the outcome (a click opens Settings on
// the profile).
func (t *tray) switchDefault() {
	ps, ok := t.state.Profile("")
	if t.sw.switching || !ok {
		return
	}
	name := ps.Profile.Name
	t.sw.switching = true
	t.refresh()
	t.u.switchProfile(context.Background(), nil, name, func(o connection.SignInResult) {
		t.sw.switching = false
		if t.u.tray != t {
			return
		}
		t.reload()
		n := Notice{Title: appName + ": switched to browser sign-in", Body: shorten(o.Headline, 120), Timeout: noticeTimeoutOK}
		if !o.Saved {
			n = Notice{Title: appName + ": not switched", Body: shorten(o.Headline+"\n"+firstNonEmpty(o.Message, o.Hint), 120), Failing: true, Timeout: noticeTimeoutFailing}
		}
		n.Open = func() { t.u.post(func() { t.u.openSettings(name) }) }
		t.notify(n)
	})
}
