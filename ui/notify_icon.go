package ui

import "fyne.io/fyne/v2"

// statusIcon is the tray's picture of a status: green for connected, red
// for not connected, grey for not set up or not known. The tray icon and
// the notifications both take it from the one trayView, so a notice tells
// at a glance what the tray icon shows.
func (u *UI) statusIcon(s trayStatus) fyne.Resource {
	switch s {
	case statusOK:
		return u.opt.Icons.TrayOK
	case statusFailing:
		return u.opt.Icons.TrayFailing
	}
	return u.opt.Icons.TrayUnknown
}
