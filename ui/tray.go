package ui

import (
	"context"
	"errors"

	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// Tray menu labels (tests click them by name).
const (
	menuTest     = "Test connection"
	menuSettings = "Settings…"
	menuQuit     = "Quit"
)

// trayStatus is the last result the tray knows of.
type trayStatus int

const (
	statusUnknown trayStatus = iota
	statusOK
	statusFailing
)

// tray is the system-tray icon: a menu to test the default profile and open
// Settings, an icon that shows the last result, and a background re-check
// that notifies once per change of state.
type tray struct {
	u    *UI
	desk desktop.App

	status    trayStatus
	line      string // the menu's first, disabled line
	lastKey   string // what the last notification was about
	checking  bool
	lastCheck time.Time
	stop      chan struct{}
}

// StartTray shows the tray icon and starts the background re-check. It
// returns false when this desktop has no tray, in which case the caller
// should show a window instead.
func (u *UI) StartTray() bool {
	if u.tray != nil {
		return true
	}
	desk, ok := u.app.(desktop.App)
	if !ok || (u.opt.TrayHostAvailable != nil && !u.opt.TrayHostAvailable()) {
		return false
	}
	t := &tray{u: u, desk: desk, line: "Not tested yet", stop: make(chan struct{})}
	u.tray = t
	t.refresh()
	t.check(false)
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

// refresh rebuilds the menu and icon from the state, as tray hosts want.
func (t *tray) refresh() {
	status := fyne.NewMenuItem(t.line, nil)
	status.Disabled = true
	test := fyne.NewMenuItem(menuTest, func() { t.check(true) })
	test.Disabled = t.checking
	settings := fyne.NewMenuItem(menuSettings, t.u.ShowSettings)
	quit := fyne.NewMenuItem(menuQuit, t.u.app.Quit)
	quit.IsQuit = true
	t.desk.SetSystemTrayMenu(fyne.NewMenu("AdvoLogix Connect", status, fyne.NewMenuItemSeparator(), test, settings, fyne.NewMenuItemSeparator(), quit))
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

// trayOutcome is what one check of the default profile found.
type trayOutcome struct {
	result  sfclient.Result
	err     error // keychain, missing profile or secrets, unusable settings
	profile string
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
	background(t.u, func() trayOutcome {
		return t.runCheck()
	}, func(o trayOutcome) {
		t.checking = false
		t.lastCheck = time.Now()
		t.apply(o, userAsked)
	})
}

func (t *tray) runCheck() trayOutcome {
	p, err := t.u.opt.Store.Default()
	if err != nil {
		return trayOutcome{err: err}
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.u.opt.Timeout+credstore.DefaultReadTimeout)
	defer cancel()
	if p, err = connection.ApplyPolicy(p, t.u.opt.Policy); err != nil {
		return trayOutcome{err: err, profile: p.Name}
	}
	r, err := connection.CheckSaved(ctx, t.u.opt.Store, p, t.u.opt.Timeout)
	if err != nil && r.Method != "" {
		err = nil // the result stands; a rotated token that failed to save shows next time
	}
	return trayOutcome{result: r, err: err, profile: p.Name}
}

// apply updates icon and menu, and notifies.
func (t *tray) apply(o trayOutcome, userAsked bool) {
	title, body, key := t.describe(o)
	if !userAsked && o.err == nil && o.result.Kind() == sfclient.KindConnection {
		// Offline (or just woken, before the network is back) says nothing
		// about the saved credentials: no alarm, the icon goes neutral.
		t.status = statusUnknown
		t.line = "Cannot reach Salesforce · " + time.Now().Format("15:04")
		t.refresh()
		return
	}
	if o.err == nil && o.result.OK {
		t.status = statusOK
	} else {
		t.status = statusFailing
	}
	t.line = title
	if o.err == nil && o.result.OK {
		t.line = "Connected as " + firstNonEmpty(o.result.UserFullName, o.result.Username) + " · " + time.Now().Format("15:04")
	} else if o.err == nil {
		t.line = "Not connected: " + o.result.Headline
	}
	t.refresh()
	// The first background result notifies only if something is wrong.
	changed := key != t.lastKey && !(t.lastKey == "" && t.status == statusOK)
	t.lastKey = key
	if userAsked || changed {
		t.u.app.SendNotification(fyne.NewNotification(title, body))
	}
}

// describe writes the notification: title connected / not connected, body
// who-and-where or the hint. key identifies the state, for "notify once
// per change".
func (t *tray) describe(o trayOutcome) (title, body, key string) {
	if o.err != nil {
		var ke *credstore.KeychainError
		var me *connection.MissingError
		switch {
		case errors.Is(o.err, credstore.ErrNotFound) && !errors.As(o.err, &me):
			return "AdvoLogix Connect: not set up", "No Salesforce login is saved yet. Open Settings to set one up.", "no-profile"
		case errors.As(o.err, &ke):
			return "AdvoLogix Connect: cannot read the keychain", o.err.Error(), ke.Code()
		case errors.As(o.err, &me):
			return "AdvoLogix Connect: not connected", me.Hint(), me.Code()
		}
		return "AdvoLogix Connect: not connected", o.err.Error(), "error"
	}
	r := o.result
	if r.OK {
		return "AdvoLogix Connect: connected", strings.ReplaceAll(whoAndWhere(r), "\n", " · "), "ok"
	}
	return "AdvoLogix Connect: not connected", r.Headline + ". " + r.Hint, string(r.Code)
}

// settingsSaved re-checks after the user saved new credentials.
func (t *tray) settingsSaved() { t.check(false) }

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
