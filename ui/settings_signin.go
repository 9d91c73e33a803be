package ui

// This file holds the sign-in rows of the Settings window: the rows of the chosen
// method, and browser sign-in.

import (
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// browserMethod tells whether the form is set to browser sign-in.
func (s *settingsWindow) browserMethod() bool {
	return methodFromLabel(s.form.v.method) == sfclient.MethodOAuthBrowser
}

// syncSignIn shows the rows of the chosen method: the sign-in button for
// browser profiles, password and token for the others, and for a saved
// password profile the switch to browser sign-in (settings_switch.go).
func (s *settingsWindow) syncSignIn() {
	if s.mainForm == nil {
		return
	}
	s.updateOffer()
	want := [3]bool{s.browserMethod(), s.advancedOpen, s.offering}
	browser := want[0]
	if s.formShows == nil || *s.formShows != want {
		// Fyne's Form renders a changed Items list only where it grew
		// (the inputs at the positions it had stay drawn): empty it first,
		// so that every row is drawn again.
		s.mainForm.Items = nil
		s.mainForm.Refresh()
		s.mainForm.Items = s.formItems(want[0], want[1], want[2])
		s.mainForm.Refresh()
		s.formShows = &want
		if s.scroll != nil {
			s.scroll.Refresh() // the scroll range follows the new rows
		}
	}
	if browser {
		s.noteClientID()
		if s.loaded.RefreshToken != "" {
			s.signInBtn.SetText("Sign in again…")
		} else {
			s.signInBtn.SetText("Sign in with browser…")
		}
	}
}

// switchToBrowser moves a profile whose password login Salesforce no longer
// takes to browser sign-in, and starts it: a saved one as it is saved
// (switchSaved), a changed or new one as typed.
func (s *settingsWindow) switchToBrowser() {
	if _, ok := s.savedPassword(); ok {
		s.switchSaved(s.current) // same user only; the password goes
		return
	}
	s.form.method.SetSelected(methodLabel(sfclient.MethodOAuthBrowser))
	if s.form.v.clientID == "" {
		s.form.clientID.SetText(s.u.defaultClientID())
	}
	s.signIn()
}

// signIn runs browser sign-in for the form's profile and saves it.
func (s *settingsWindow) signIn() {
	if s.busy {
		return
	}
	if s.keychainErr != nil {
		s.result.note(theme.WarningIcon(), "Browser sign-in needs the keychain", "It keeps you signed in with a token saved in the keychain, which cannot be used now.", widget.WarningImportance)
		return
	}
	p, err := s.form.profile(s.current)
	if err != nil {
		s.result.note(theme.WarningIcon(), "Not ready to sign in", err.Error(), widget.WarningImportance)
		return
	}
	ctx, attempt := s.startTesting()
	s.result.busy(signInWait(s.u.opt.SignInTimeout))
	s.u.signIn(ctx, s.win, p, func(o connection.SignInResult) {
		if !s.endTesting(attempt) {
			return // cancelled
		}
		showSignIn(s.result, o)
		if !o.Saved {
			return
		}
		s.form.loading = true
		s.form.username.SetText(o.Profile.Username)
		s.form.clientID.SetText(o.Profile.ClientID)
		s.form.loading = false
		s.saved(o.Profile.Name, credstore.Secrets{})
		s.reloadProfilesKeepResult(o.Profile.Name)
		if s.u.tray != nil {
			s.u.tray.settingsSaved()
		}
		// The refresh token is in the keychain now (the outcome holds no
		// secret): "Sign in again", Test and Save use it from there.
		name := o.Profile.Name
		s.readSecrets(name, func(ls loadedSecrets) {
			if s.current == name && ls.err == nil {
				s.loaded = ls.sec
			}
			s.syncSignIn()
		})
	})
}
