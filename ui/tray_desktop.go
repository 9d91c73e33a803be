package ui

// This file holds what the UI keeps for the tray whether or not it runs: the
// desktop's hooks (Desktop), and opening Settings on a profile from the tray
// or from elsewhere.

import (
	"github.com/advologix/advologix-connect/internal/connection"
)

// Desktop is what the tray uses of the desktop beyond Fyne's API. Nil
// fields fall back to Fyne (notifications without a timeout or action) or
// to nothing (no tooltip).
type Desktop struct {
	// Notify shows a notice; Open may be called later from any goroutine.
	Notify func(Notice) error
	// Tooltip sets the tray icon's tooltip.
	Tooltip func(string)
	// Release is called when the last window has closed and the app stays
	// in the tray, and after each check of a tray without windows: the
	// moments to give memory back.
	Release func()
	// OpenWindow, when set, opens a window somewhere else (a window process
	// of the tray, which gives all its memory back when it ends) on a
	// profile ("" for the usual choice). It returns false to have the
	// window opened in this process.
	OpenWindow func(profile string) bool
}

// traySide is what the UI keeps for the tray whether or not it runs.
type traySide struct {
	desktop Desktop
	started bool // the Fyne app runs: a tray can no longer start
}

// SetDesktop gives the tray the desktop's notifications and tooltip.
func (u *UI) SetDesktop(d Desktop) { u.side.desktop = d }

// Started tells the UI that the Fyne app runs. Fyne starts a tray icon
// only with the app (Fyne 2.7 registers it once, in App.Run), so from now
// on StartTray cannot start one that is not running yet.
func (u *UI) Started() { u.side.started = true }

// WindowGone tells the tray that a window elsewhere has closed: it shows
// the saved state again at once.
func (u *UI) WindowGone() {
	if u.tray != nil {
		u.tray.reload()
	}
}

// openSettings opens Settings on a profile from the tray: elsewhere if the
// desktop does that, else here.
func (u *UI) openSettings(profile string) {
	if f := u.side.desktop.OpenWindow; f != nil && f(profile) {
		return
	}
	u.ShowProfile(profile)
}

// ShowProfile opens Settings on a profile ("": the default) and shows the
// verdict of its last test as saved, when there is one: no new login.
func (u *UI) ShowProfile(name string) {
	u.ShowSettings()
	s := u.settings
	if s == nil || name == "" {
		return
	}
	s.switchTo(name)
	ps, ok := connection.LoadState(u.opt.Store).Profile(name)
	if ok && s.current == name && (ps.Tested == connection.Connected || ps.Tested == connection.Failing) {
		s.result.show(connection.FromResult(ps.Profile, ps.Result))
	}
}
