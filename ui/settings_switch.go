package ui

// This file holds the Settings window's offer to move a saved password
// profile to browser sign-in: a "Switch to browser sign-in" row with when
// the password login stops working, and the move itself
// (connection.Service.SwitchToBrowser: same user and org only; the password
// and security token are deleted only then).

import (
	"slices"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// savedPassword is the profile the window shows when it is saved, unchanged
// and logs in with a password: the one a switch moves.
func (s *settingsWindow) savedPassword() (credstore.Profile, bool) {
	if s.isNew || s.dirty || s.current == "" {
		return credstore.Profile{}, false
	}
	p, err := s.u.opt.Store.Profile(s.current)
	if err != nil || !connection.UsesPassword(p) {
		return credstore.Profile{}, false
	}
	return p, true
}

// updateOffer decides whether the form offers a saved password profile's
// switch to browser sign-in (its row, after the password's), with the date
// its login stops working; without a client id the button is off and the
// note says what is missing.
func (s *settingsWindow) updateOffer() {
	p, saved := s.savedPassword()
	ok, ready := false, false
	if saved {
		ok, ready = s.u.switchable(p)
	}
	s.offering = ok
	if !ok {
		return
	}
	note := passwordEnds(p) + " Switch now: you sign in once in your browser, as " + p.Username + "; the password and security token are then deleted from this computer."
	if ready {
		s.moveBtn.Enable()
	} else {
		s.moveBtn.Disable()
		note = passwordEndsShort(p) + " " + switchNotReady
	}
	s.switchNote.SetText(note)
}

// switchSaved moves saved profile name to browser sign-in and shows the
// profile as it is then; someone else signing in changes nothing and
// says so.
func (s *settingsWindow) switchSaved(name string) {
	if s.busy {
		return
	}
	if s.keychainErr != nil {
		s.result.note(theme.WarningIcon(), "Browser sign-in needs the keychain", "It keeps you signed in with a token saved in the keychain, which cannot be used now.", widget.WarningImportance)
		return
	}
	ctx, attempt := s.startTesting()
	s.result.busy(signInWait(s.u.opt.SignInTimeout))
	s.u.switchProfile(ctx, s.win, name, func(o connection.SignInResult) {
		if !s.endTesting(attempt) {
			return // cancelled: nothing changed
		}
		showSignIn(s.result, o)
		if !o.Saved || s.current != name {
			return
		}
		s.form.load(o.Profile, credstore.Secrets{})
		s.saved(name, credstore.Secrets{})
		s.reloadProfilesKeepResult(name)
		s.result.headline.SetText(o.Headline)
		if s.u.tray != nil {
			s.u.tray.settingsSaved()
		}
		s.readSecrets(name, func(ls loadedSecrets) {
			if s.current == name && ls.err == nil {
				s.loaded = ls.sec
			}
			s.syncSignIn()
		})
	})
}

// signInNoteText is what the sign-in row says under its button.
const signInNoteText = "No password or security token to keep up to date: Salesforce keeps you signed in."

// browserFirst lists browser sign-in first among the methods when a client
// id is configured: it is the first choice then.
func (s *settingsWindow) browserFirst() {
	if s.u.defaultClientID() == "" {
		return
	}
	first := methodLabel(credstore.MethodOAuthBrowser)
	opts := s.form.method.Options
	if i := slices.Index(opts, first); i > 0 {
		s.form.method.Options = append([]string{first}, slices.Delete(slices.Clone(opts), i, i+1)...)
		s.form.method.Refresh()
	}
}

// newMethod is the method a new profile starts with: browser sign-in when
// a client id is configured, else the password.
func (s *settingsWindow) newMethod() string {
	if s.u.defaultClientID() != "" {
		return credstore.MethodOAuthBrowser
	}
	return ""
}

// noteClientID says under the sign-in button what browser sign-in lacks
// when no client id is typed or configured.
func (s *settingsWindow) noteClientID() {
	text, imp := signInNoteText, widget.MediumImportance
	if s.form.v.clientID == "" && s.u.defaultClientID() == "" {
		text, imp = browserMissingSettings, widget.WarningImportance
	}
	if s.signInNote.Text != text {
		s.signInNote.Importance = imp
		s.signInNote.SetText(text)
	}
}
