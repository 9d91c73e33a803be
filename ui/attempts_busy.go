package ui

import (
	"context"

	"fyne.io/fyne/v2"
)

// startIn begins an attempt shown in win: show puts the face in its busy
// state with Cancel. Nothing keeps the focus, so a second Return does not
// type or test, Escape cancels and Tab reaches Cancel.
func (a *attempts) startIn(win fyne.Window, show func()) (context.Context, int) {
	ctx, n := a.start()
	show()
	win.Canvas().Unfocus()
	return ctx, n
}

// endWith ends attempt n and calls hide to leave the busy state; false,
// without hide, when it was cancelled (its answer is stale and must not
// be shown or reused).
func (a *attempts) endWith(n int, hide func()) bool {
	if !a.end(n) {
		return false
	}
	hide()
	return true
}
