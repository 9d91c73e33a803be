package ui

import "fyne.io/fyne/v2"

// noticeIcon is the icon of a tray notification about state key: the
// tray's own icon for that state — green for connected, red for not
// connected, grey for not set up — so that a notice tells at a glance what
// the tray icon shows.
func (u *UI) noticeIcon(key string, failing bool) fyne.Resource {
	switch {
	case key == "no-profile":
		return u.opt.Icons.TrayUnknown
	case failing:
		return u.opt.Icons.TrayFailing
	}
	return u.opt.Icons.TrayOK
}
