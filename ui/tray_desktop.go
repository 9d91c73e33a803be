package ui

// This file holds what the UI keeps for the tray whether or not it runs: the
// desktop's hooks (Desktop), the last result of each profile, and opening
// Settings on a profile from the tray or from elsewhere.

import (
	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
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
	// profile ("" for the usual choice), showing r if not nil. It returns
	// false to have the window opened in this process.
	OpenWindow func(profile string, r *sfclient.Result) bool
	// ResultSeen, when set, hears of every result a window or the tray got.
	ResultSeen func(profile string, r sfclient.Result)
}

// traySide is what the UI keeps for the tray whether or not it runs.
type traySide struct {
	desktop Desktop
	started bool                       // the Fyne app runs: a tray can no longer start
	seen    map[string]sfclient.Result // the last result per profile, from any test
}

// SetDesktop gives the tray the desktop's notifications and tooltip.
func (u *UI) SetDesktop(d Desktop) { u.side.desktop = d }

// Started tells the UI that the Fyne app runs. Fyne starts a tray icon
// only with the app (Fyne 2.7 registers it once, in App.Run), so from now
// on StartTray cannot start one that is not running yet.
func (u *UI) Started() { u.side.started = true }

// resultSeen records the answer of a profile's login, shown again when a
// notification about it is clicked and taken over by the tray when the
// profile is saved. An outcome without a login records nothing.
func (u *UI) resultSeen(profile string, o connection.Outcome) {
	if !o.Checked {
		return
	}
	u.SeeResult(profile, o.Result)
	if f := u.side.desktop.ResultSeen; f != nil {
		f(profile, o.Result)
	}
}

// SeeResult records a result found elsewhere (in a window process).
func (u *UI) SeeResult(profile string, r sfclient.Result) {
	if u.side.seen == nil {
		u.side.seen = map[string]sfclient.Result{}
	}
	u.side.seen[profile] = r
}

// WindowGone tells the tray that a window elsewhere has closed: it takes
// over what that window tested for the default profile, without a login.
func (u *UI) WindowGone() {
	if u.tray != nil {
		u.tray.settingsSaved()
	}
}

// openSettings opens Settings on a profile from the tray: elsewhere if the
// desktop does that, else here.
func (u *UI) openSettings(profile string) {
	if f := u.side.desktop.OpenWindow; f != nil {
		var r *sfclient.Result
		if seen, ok := u.side.seen[profile]; ok && profile != "" {
			r = &seen
		}
		if f(profile, r) {
			return
		}
	}
	u.ShowProfile(profile, nil)
}

// ShowProfile opens Settings on a profile ("": the default) and shows r,
// else its last result as the tray saw it: no new login.
func (u *UI) ShowProfile(name string, r *sfclient.Result) {
	if r != nil && name != "" {
		u.SeeResult(name, *r)
	}
	u.ShowSettings()
	s := u.settings
	if s == nil || name == "" {
		return
	}
	s.switchTo(name)
	if r, ok := u.side.seen[name]; ok && s.current == name {
		s.result.show(connection.FromResult(credstore.Profile{Name: name}, r))
	}
}
