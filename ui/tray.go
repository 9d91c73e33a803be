package ui

// This file holds the tray itself: starting and stopping it, staying in the tray
// or quitting, its menu and icon, and its checks of the default profile. Its
// notifications are in tray_notify.go, the desktop's side in tray_desktop.go.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// Tray menu labels (tests click them by name).
const (
	menuTest     = "Test connection"
	menuSettings = "Settings…"
	menuQuit     = "Quit"
)

// appName is how the tray and the notifications name the app.
const appName = "AdvoLogix Connect"

// trayStatus is the last result the tray knows of.
type trayStatus int

const (
	statusUnknown trayStatus = iota
	statusOK
	statusFailing
)

// tray is the system-tray icon: a menu to test the default profile and open
// Settings, an icon and tooltip that show the saved state (tray_state.go),
// and a background re-check that notifies once per change of state.
type tray struct {
	u    *UI
	desk desktop.App

	// resident: the app stays in the tray when its last window closes (it
	// was started in tray mode, or the wizard's Finish asked for it), even
	// if the start-in-tray preference is off.
	resident bool
	// quiet: the next result does not notify (the tray started beside a
	// window, which is where the user looks).
	quiet bool
	// asked: "Test connection" was clicked while a check ran; that check's
	// end answers it.
	asked bool

	state     connection.State // the saved state, as last read
	local     trayLocal
	view      trayView // what is shown
	menu      *fyne.Menu
	status    *fyne.MenuItem // the menu's status line
	lastKey   string         // what the last notification (or the user) saw
	lastCheck time.Time
	stop      chan struct{}
	sw        switchItem // "Switch to browser sign-in" (tray_switch.go)
	shown     string     // menuShape of the menu last handed to the tray host
}

// StartTray shows the tray icon and starts the background re-check, and
// keeps the app in the tray when its last window closes. It returns false
// when this desktop has no tray (or the app already runs without one), in
// which case the caller should show a window instead.
func (u *UI) StartTray() bool {
	if u.tray != nil {
		u.tray.resident = true
		u.tray.settingsSaved()
		return true
	}
	if !u.startTray(false) {
		return false
	}
	u.tray.resident = true
	return true
}

// AttachTray shows the tray icon beside the window about to open, so the
// app is in the tray from its first window on. Whether the app stays there
// when the window closes follows the start-in-tray preference. Its first
// check notifies nothing. It returns false without a tray.
func (u *UI) AttachTray() bool {
	if u.tray != nil {
		return true
	}
	return u.startTray(true)
}

// startTray shows the icon and runs the first check; beside a window
// (quiet) it notifies nothing and does not test a login that is not set up.
func (u *UI) startTray(quiet bool) bool {
	desk, ok := u.app.(desktop.App)
	if !ok || u.side.started || (u.opt.TrayHostAvailable != nil && !u.opt.TrayHostAvailable()) {
		return false
	}
	t := &tray{u: u, desk: desk, stop: make(chan struct{})}
	u.tray = t
	t.quiet = quiet
	t.state = connection.LoadState(u.opt.Store)
	if _, ok := t.state.Profile(""); quiet && !ok {
		// Nothing to test: the set-up wizard is about to open.
		t.refresh()
	} else {
		t.check(false)
	}
	go t.loop()
	go watch(u.watchedFiles(), t.stop, func() { u.post(func() { t.reload() }) })
	return true
}

// StopTray ends the background re-check (the icon goes with the app).
func (u *UI) StopTray() {
	if u.tray != nil {
		close(u.tray.stop)
		u.tray = nil
	}
}

// TrayRunning tells whether the tray icon is up.
func (u *UI) TrayRunning() bool { return u.tray != nil }

// keepInTray tells whether the app stays in the tray when its last window
// closes: a tray runs, and it was started for that or the user chose
// "start in the tray".
func (u *UI) keepInTray() bool {
	if u.tray == nil {
		return false
	}
	if u.tray.resident {
		return true
	}
	s, err := u.opt.Store.Load()
	return err == nil && s.Prefs.StartInTray
}

// watchWindow quits the app when w closes and nothing else is left: with
// a tray icon running, Fyne itself would keep going without windows.
func (u *UI) watchWindow(w fyne.Window) {
	w.SetOnClosed(func() { u.post(u.quitIfIdle) })
}

// quitIfIdle quits when no window of ours is open and the tray is not
// meant to stay.
func (u *UI) quitIfIdle() {
	if u.tray == nil {
		return // without a tray icon Fyne quits after the last window
	}
	if u.settings != nil || (u.wizard != nil && u.wizard.open) {
		return
	}
	if u.keepInTray() {
		if f := u.side.desktop.Release; f != nil {
			f() // back to tray-only memory
		}
		return
	}
	u.StopTray()
	u.app.Quit()
}

// refresh derives the view from the state and rebuilds the menu, icon and
// tooltip from it, as tray hosts want.
func (t *tray) refresh() {
	t.view = deriveTray(t.state, t.local)
	if t.menu == nil {
		// One menu, changed in place: Fyne shows the menu it was first given
		// once the tray host is ready, which may come after later changes.
		t.status = fyne.NewMenuItem("", nil)
		t.status.Disabled = true
		// Never disabled: a click during a check is answered when it ends.
		test := fyne.NewMenuItem(menuTest, func() { t.check(true) })
		settings := fyne.NewMenuItem(menuSettings, func() { t.u.openSettings("") })
		quit := fyne.NewMenuItem(menuQuit, t.u.app.Quit)
		quit.IsQuit = true
		t.menu = fyne.NewMenu(appName, t.status, fyne.NewMenuItemSeparator(), test, settings, fyne.NewMenuItemSeparator(), quit)
	}
	t.status.Label = t.view.line
	t.syncSwitchItem() // tray_switch.go
	// The tooltip first: setting the icon makes tray hosts read all the
	// item's properties again.
	if f := t.u.side.desktop.Tooltip; f != nil {
		f(t.view.tooltip)
	}
	// The host is handed the menu only when it changed: every hand-over
	// renumbers the items, and a click the host sends for an old number
	// is lost ("no menu item with ID …").
	if shape := menuShape(t.menu); shape != t.shown {
		t.desk.SetSystemTrayMenu(t.menu)
		t.shown = shape
	}
	if icon := t.u.statusIcon(t.view.status); icon != nil {
		t.desk.SetSystemTrayIcon(icon)
	}
}

// reload reads the saved state again (a save or a test here or in another
// process) and shows it. What it shows is not news from the tray: no
// notification.
func (t *tray) reload() {
	if t.u.tray != t {
		return
	}
	t.state = connection.LoadState(t.u.opt.Store)
	t.refresh()
	if !t.local.checking {
		t.lastKey = t.view.key // a check in flight notifies when it ends
	}
}

// check tests the default profile in the background; its verdict goes to
// the saved state, which every face shows. A check the user asked for
// always notifies (also when asked while another check ran); a background
// one only when the state changed.
func (t *tray) check(userAsked bool) {
	if t.local.checking {
		t.asked = t.asked || userAsked
		return
	}
	t.local.checking = true
	t.refresh()
	background(t.u, func() connection.Outcome {
		ctx, cancel := context.WithTimeout(context.Background(), t.u.opt.Timeout+credstore.DefaultReadTimeout)
		defer cancel()
		return t.u.svc.CheckSaved(ctx, "") // records the verdict; a rotated token that failed to save is a warning
	}, func(o connection.Outcome) {
		userAsked = userAsked || t.asked
		t.asked = false
		t.local.checking = false
		t.lastCheck = time.Now()
		t.local.last, t.local.lastAt = nil, time.Time{}
		if !o.Checked || o.Kind() == connection.KindConnection {
			t.local.last, t.local.lastAt = &o, time.Now() // no verdict: only this tray knows
		}
		t.state = connection.LoadState(t.u.opt.Store)
		t.apply(userAsked)
		if f := t.u.side.desktop.Release; f != nil && t.u.settings == nil && (t.u.wizard == nil || !t.u.wizard.open) {
			f() // the check's garbage (TLS, XML) need not stay all day
		}
	})
}

// apply shows the state after a check, and notifies.
func (t *tray) apply(userAsked bool) {
	t.refresh()
	v := t.view
	quiet := t.quiet
	t.quiet = false
	if !userAsked && v.key == "offline" {
		return // being offline raises no alarm
	}
	// The first background result notifies only if something is wrong, and
	// not at all beside a window.
	changed := v.key != t.lastKey && !(t.lastKey == "" && v.status == statusOK) && !quiet
	t.lastKey = v.key
	if userAsked || changed {
		n := v.notice
		n.Icon = t.u.statusIcon(v.status)
		profile := v.profile
		n.Open = func() { t.u.post(func() { t.u.openSettings(profile) }) }
		t.notify(n)
	}
}

// trayHeadline is the status line's words for an outcome that is not OK:
// Salesforce's answer, or in a few words what failed on this computer.
func trayHeadline(o connection.Outcome) string {
	switch {
	case o.Checked:
		return o.Result.Headline
	case errors.As(o.Err, new(*credstore.KeychainError)):
		return "cannot read the keychain"
	case o.Code == connection.CodeSecretsMissing:
		return "some saved credentials are missing"
	}
	return "cannot test the saved login"
}

// settingsSaved shows the state after a save in this process, at once
// (the watch would find it within a second).
func (t *tray) settingsSaved() { t.reload() }

// loop re-checks every CheckInterval, and soon after the computer wakes: a
// one-minute tick that arrives much later than a minute means it slept.
func (t *tray) loop() {
	const tick = time.Minute
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	last := time.Now().Round(0) // wall clock, no monotonic reading
	for {
		select {
		case <-t.stop:
			return
		case now := <-ticker.C:
			now = now.Round(0)
			woke := now.Sub(last) > 3*tick
			last = now
			t.u.post(func() {
				if t.u.tray != t {
					return
				}
				if t.due(time.Now(), woke) {
					t.check(false)
				}
			})
		}
	}
}

// due tells whether the loop re-checks at now: never when re-checks are
// off; after the computer woke; else once CheckInterval has passed since
// the default profile was last tested, by this tray or by anyone whose
// verdict is saved (the wizard's or Settings' test, check, another
// process). A login just tested is not tested again for nothing: every
// failed attempt counts towards the user's lockout.
func (t *tray) due(now time.Time, woke bool) bool {
	if t.u.opt.CheckInterval < 0 {
		return false
	}
	last := t.lastCheck
	if p, ok := t.state.Profile(""); ok && p.Tested != connection.ChangedSinceTest && p.At.After(last) {
		last = p.At
	}
	return woke || now.Sub(last) >= t.u.opt.CheckInterval
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// menuShape is what a tray host shows of m: each item's label and state.
func menuShape(m *fyne.Menu) string {
	var b strings.Builder
	for _, it := range m.Items {
		fmt.Fprintf(&b, "%q %v %v %v|", it.Label, it.Disabled, it.Checked, it.IsSeparator)
	}
	return b.String()
}
