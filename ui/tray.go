package ui

// This file holds the tray itself: starting and stopping it, staying in the tray
// or quitting, its menu and icon, and its checks of the default profile. Its
// notifications are in tray_notify.go, the desktop's side in tray_desktop.go.

import (
	"context"
	"errors"
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
// Settings, an icon and tooltip that show the last result, and a background
// re-check that notifies once per change of state.
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

	status    trayStatus
	line      string // the menu's first, disabled line, and the tooltip's second
	lastKey   string // what the last notification was about
	checking  bool
	lastCheck time.Time
	stop      chan struct{}
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
	t := &tray{u: u, desk: desk, line: "Not tested yet", stop: make(chan struct{})}
	u.tray = t
	t.quiet = quiet
	if s, err := u.opt.Store.Load(); quiet && err == nil && len(s.Profiles) == 0 {
		// Nothing to test: the set-up wizard is about to open.
		t.line = "Not set up yet"
		t.refresh()
	} else {
		t.refresh()
		t.check(false)
	}
	go t.loop()
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

// tooltip is the text shown over the tray icon: the app's name and the
// status line.
func (t *tray) tooltip() string { return appName + "\n" + t.line }

// refresh rebuilds the menu, icon and tooltip from the state, as tray hosts
// want.
func (t *tray) refresh() {
	status := fyne.NewMenuItem(t.line, nil)
	status.Disabled = true
	test := fyne.NewMenuItem(menuTest, func() { t.check(true) })
	test.Disabled = t.checking
	settings := fyne.NewMenuItem(menuSettings, func() { t.u.openSettings("") })
	quit := fyne.NewMenuItem(menuQuit, t.u.app.Quit)
	quit.IsQuit = true
	// The tooltip first: setting the icon makes tray hosts read all the
	// item's properties again.
	if f := t.u.side.desktop.Tooltip; f != nil {
		f(t.tooltip())
	}
	t.desk.SetSystemTrayMenu(fyne.NewMenu(appName, status, fyne.NewMenuItemSeparator(), test, settings, fyne.NewMenuItemSeparator(), quit))
	icon := t.u.opt.Icons.TrayUnknown
	switch t.status {
	case statusOK:
		icon = t.u.opt.Icons.TrayOK
	case statusFailing:
		icon = t.u.opt.Icons.TrayFailing
	}
	if icon != nil {
		t.desk.SetSystemTrayIcon(icon)
	}
}

// check tests the default profile in the background. A check the user asked
// for always notifies; a background one only when the state changed.
func (t *tray) check(userAsked bool) {
	if t.checking {
		return
	}
	t.checking = true
	t.line = "Testing the connection…"
	t.refresh()
	background(t.u, func() connection.Outcome {
		ctx, cancel := context.WithTimeout(context.Background(), t.u.opt.Timeout+credstore.DefaultReadTimeout)
		defer cancel()
		return t.u.svc.CheckSaved(ctx, "") // a rotated token that failed to save is a warning: the result stands
	}, func(o connection.Outcome) {
		t.checking = false
		t.lastCheck = time.Now()
		if o.Profile.Name != "" {
			t.u.resultSeen(o.Profile.Name, o)
		}
		t.apply(o, userAsked)
		if f := t.u.side.desktop.Release; f != nil && t.u.settings == nil && (t.u.wizard == nil || !t.u.wizard.open) {
			f() // the check's garbage (TLS, XML) need not stay all day
		}
	})
}

// apply updates icon and menu, and notifies.
func (t *tray) apply(o connection.Outcome, userAsked bool) {
	n, key := t.describe(o)
	quiet := t.quiet
	t.quiet = false
	if !userAsked && o.Checked && o.Kind() == connection.KindConnection {
		// Offline (or just woken, before the network is back) says nothing
		// about the saved credentials: no alarm, the icon goes neutral.
		t.status = statusUnknown
		t.line = "Cannot reach Salesforce · " + time.Now().Format("15:04")
		t.refresh()
		return
	}
	t.show(o)
	// The first background result notifies only if something is wrong, and
	// not at all beside a window.
	changed := key != t.lastKey && !(t.lastKey == "" && t.status == statusOK) && !quiet
	t.lastKey = key
	if userAsked || changed {
		t.notify(n)
	}
}

// show puts an outcome into the icon, status line and tooltip.
func (t *tray) show(o connection.Outcome) {
	switch {
	case o.OK():
		t.status = statusOK
		t.line = "Connected as " + firstNonEmpty(o.Result.UserFullName, o.Result.Username) + " · " + time.Now().Format("15:04")
	case o.Code == connection.CodeProfileNotFound:
		t.status, t.line = statusUnknown, "Not set up yet"
	default:
		t.status = statusFailing
		t.line = "Not connected: " + trayHeadline(o)
	}
	t.refresh()
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

// settingsSaved takes over the result of the test that came before a save
// of the default profile, without testing again (a login more, and for a
// failing login one more towards lockout).
func (t *tray) settingsSaved() {
	p, err := t.u.opt.Store.Default()
	if err != nil {
		return
	}
	r, ok := t.u.side.seen[p.Name]
	if !ok {
		t.status, t.line = statusUnknown, "Saved · not tested yet"
		t.refresh()
		return
	}
	t.show(connection.FromResult(p, r))
	key := "ok"
	if !r.OK {
		key = string(r.Code)
	}
	t.lastKey = key // the user has just seen this result
}

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
				if t.u.opt.CheckInterval < 0 {
					return // re-checks switched off
				}
				if woke || time.Since(t.lastCheck) >= t.u.opt.CheckInterval {
					t.check(false)
				}
			})
		}
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
