package ui

import (
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// revealButton is the eye beside a password field: it shows or hides what
// is typed. Fyne's own (the entry's default action item) is reached only
// with the mouse; this one is a keyButton, so Tab reaches it, it shows the
// focus ring, and Return or Space presses it.
func revealButton(e *widget.Entry) *keyButton {
	var b *keyButton
	b = newKeyButton("", theme.VisibilityOffIcon(), func() {
		e.Password = !e.Password
		if e.Password {
			b.SetIcon(theme.VisibilityOffIcon())
		} else {
			b.SetIcon(theme.VisibilityIcon())
		}
		e.Refresh()
	})
	b.Importance = widget.LowImportance
	return b
}

// newSecretEntry is a password entry with a revealButton.
func newSecretEntry() *widget.Entry {
	e := widget.NewPasswordEntry()
	e.ActionItem = revealButton(e)
	return e
}
