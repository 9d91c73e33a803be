package ui

// This file holds the actions of the Settings window: Test connection, Cancel,
// Save and Save anyway, and what their outcomes show.

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// secretsToSave are the typed secrets plus those the form does not show (a
// browser sign-in's refresh token, a client secret).
func (s *settingsWindow) secretsToSave(p credstore.Profile) credstore.Secrets {
	return s.secrets(p, s.form.secrets())
}

// startTesting begins a test or sign-in: busy, with Cancel shown.
func (s *settingsWindow) startTesting() (context.Context, int) {
	return s.startIn(s.win, func() {
		s.setBusy(true)
		s.switchBtn.Hide()
	})
}

// endTesting ends attempt; false when it was cancelled (its answer is
// stale and must not be shown or reused).
func (s *settingsWindow) endTesting(attempt int) bool {
	return s.endWith(attempt, func() { s.setBusy(false) })
}

// cancelTest stops the test or sign-in in flight at once; the form is
// usable again straight away.
func (s *settingsWindow) cancelTest() {
	if !s.testing {
		return
	}
	s.abandon()
	s.setBusy(false)
	s.result.note(theme.InfoIcon(), "Test cancelled", "Nothing was saved. Test again when you are ready.", widget.MediumImportance)
}

// run does one attempt (a test, or a test and save) in the background and
// hands its outcome to done, unless it was cancelled meanwhile.
func (s *settingsWindow) run(what string, work func(context.Context) connection.Outcome, done func(connection.Outcome)) {
	ctx, attempt := s.startTesting()
	s.result.busy(what)
	background(s.u, func() connection.Outcome { return work(ctx) }, func(o connection.Outcome) {
		if !s.endTesting(attempt) {
			return // cancelled: the user moved on
		}
		done(o)
	})
}

// test checks the form's values in the background: a password profile as
// typed, a browser profile with its saved sign-in.
func (s *settingsWindow) test() {
	if s.busy {
		return
	}
	p, err := s.form.profile(s.current)
	if err != nil {
		s.result.note(theme.WarningIcon(), "Not ready to test", err.Error(), widget.WarningImportance)
		return
	}
	sec := s.secretsToSave(p)
	if p.Method != credstore.MethodOAuthBrowser {
		s.run("Testing the connection to "+p.LoginURL+"…", func(ctx context.Context) connection.Outcome {
			return s.u.svc.Test(ctx, p, sec)
		}, func(o connection.Outcome) { s.tested(p, o, true) })
		return
	}
	if !s.hasSignIn() {
		s.result.note(theme.InfoIcon(), "Sign in with the browser first", "A browser profile is tested with the sign-in Salesforce keeps; there is none yet.", widget.MediumImportance)
		return
	}
	s.run("Testing the connection to "+p.LoginURL+"…", func(ctx context.Context) connection.Outcome {
		// Through the store: a refresh token Salesforce rotates is kept.
		saved, err := s.u.opt.Store.Profile(p.Name)
		if err != nil {
			return connection.Failed(p, err)
		}
		return s.u.checkSaved(ctx, saved)
	}, func(o connection.Outcome) { s.tested(p, o, false) })
}

// tested shows the outcome of a test; typed tells a test of typed inputs,
// whose outcome a save may reuse.
func (s *settingsWindow) tested(p credstore.Profile, o connection.Outcome, typed bool) {
	if o.Code == sfclient.CodeCanceled {
		s.result.clear()
		return
	}
	s.result.show(o)
	if typed {
		s.last = &o
	}
	// The focus stays off the Test button: a Return meant for something
	// else must not send the same (perhaps failing) login again.
	if !o.OK() && pointsToBrowser(o) && (s.form.v.clientID != "" || s.u.defaultClientID() != "") {
		s.switchBtn.Show()
		s.resultChanged()
	}
}

// save stores the profile: after a passing test, or after the user chose
// to save anyway. The use-case layer tests first unless the last test was
// of exactly these inputs: a failed login counts towards lockout.
func (s *settingsWindow) save() {
	if s.busy || s.keychainErr != nil {
		return
	}
	p, err := s.form.profile(s.current)
	if err != nil {
		s.result.note(theme.WarningIcon(), "Not ready to save", err.Error(), widget.WarningImportance)
		return
	}
	sec := s.secretsToSave(p)
	if p.Method == credstore.MethodOAuthBrowser {
		// The sign-in is the test; settings changes keep the saved sign-in.
		if sec.RefreshToken == "" {
			s.signIn()
			return
		}
		s.store(p, sec, nil)
		return
	}
	what := "Testing the connection to " + p.LoginURL + "…"
	if s.last != nil && s.u.svc.TestedWith(*s.last, p, sec) {
		what = "Saving to the keychain…"
	}
	s.run(what, func(ctx context.Context) connection.Outcome {
		return s.u.svc.TestAndSave(ctx, p, sec, connection.SaveOptions{Tested: s.last})
	}, func(o connection.Outcome) {
		switch {
		case o.Saved:
			s.tested(p, o, true)
			s.stored(p.Name, sec)
		case o.Checked && !o.Result.OK:
			s.tested(p, o, true)
			if o.Code == sfclient.CodeCanceled {
				return
			}
			question := "The test failed: " + o.Headline + ". Save these credentials anyway?"
			if o.Kind() == connection.KindConnection {
				question = "Salesforce could not be reached (" + o.Headline + "), so the credentials are untested. Save them anyway?"
			}
			ask(s.win, "Save anyway?", question, []choice{
				{label: "Don't save", imp: widget.HighImportance},
				{label: "Save anyway", do: func() { s.store(p, sec, &o) }},
			}, 0, 0)
		case storeFailure(o):
			s.saveFailed(o)
		default:
			s.result.show(o) // an unusable setting, a policy: nothing was sent
		}
	})
}

// storeFailure tells an outcome where the keychain or the settings file
// failed.
func storeFailure(o connection.Outcome) bool {
	return errors.As(o.Err, new(*credstore.KeychainError)) || errors.As(o.Err, new(*credstore.SettingsError))
}

// store saves the profile without a new test: the user chose to save
// anyway after tested failed (which stays the saved profile's verdict), or
// a browser profile keeps its sign-in (tested nil).
func (s *settingsWindow) store(p credstore.Profile, sec credstore.Secrets, tested *connection.Outcome) {
	s.setBusy(true)
	background(s.u, func() connection.Outcome {
		return s.u.svc.TestAndSave(context.Background(), p, sec, connection.SaveOptions{Anyway: true, Tested: tested})
	}, func(o connection.Outcome) {
		s.setBusy(false)
		if !o.Saved {
			s.saveFailed(o)
			return
		}
		s.stored(p.Name, sec)
		s.result.savedAnyway()
	})
}

// stored shows that name was saved with sec, and tells the tray.
func (s *settingsWindow) stored(name string, sec credstore.Secrets) {
	s.saved(name, sec)
	s.reloadProfilesKeepResult(name)
	if s.u.tray != nil {
		s.u.tray.settingsSaved()
	}
}

// saveFailed says what stopped a save (or a rename, delete, new default).
func (s *settingsWindow) saveFailed(o connection.Outcome) {
	if errors.As(o.Err, new(*credstore.KeychainError)) {
		s.showBanner(o.Err)
	}
	s.result.note(theme.ErrorIcon(), "Not saved", strings.TrimSpace(o.Message+"\n"+windowHint(o.Hint)), widget.DangerImportance)
}

// failed is the outcome of an error of the store about the current
// profile.
func (s *settingsWindow) failed(err error) connection.Outcome {
	return connection.Failed(credstore.Profile{Name: s.current}, err)
}

// windowHint is a hint fit for the window: without its pointers to the
// command line (the window user has the window in front of them).
func windowHint(h string) string {
	for _, cli := range []string{" (see advologix-connect status)", " See the saved profiles with advologix-connect status."} {
		h = strings.ReplaceAll(h, cli, "")
	}
	return h
}
