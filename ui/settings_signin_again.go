package ui

import (
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/internal/connection"
)

// noteSignInAgain shows that saved profile name's browser sign-in no
// longer works, when the saved state says so (as the tray and status do):
// until the user signs in again.
func (s *settingsWindow) noteSignInAgain(name string) {
	ps, ok := connection.LoadState(s.u.opt.Store).Profile(name)
	if ok && ps.SignInAgain() {
		s.result.note(theme.ErrorIcon(), "Sign in again: "+ps.Result.Headline, connection.SignInAgainHint(ps.Profile), widget.DangerImportance)
	}
}
