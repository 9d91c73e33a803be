package ui

// This file holds what the set-up wizard does: browser sign-in, the test and
// its Cancel, the buttons and title its outcome brings, Fix, and Save.

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// Titles that replace a step's own once a result is in.
const (
	titleTestOK          = "The connection works"
	titleTestFailed      = "The test did not pass"
	titleTestUnreachable = "Salesforce could not be reached"
	titleSavedUntested   = "Saved, but not connected"
)

// browserSignIn signs in through the browser and saves the profile.
func (w *wizard) browserSignIn() {
	if w.busy {
		return
	}
	login, err := w.form.loginURL()
	if err != nil {
		w.form.urlNote.SetText(sentence(err.Error()))
		w.form.urlNote.Show()
		w.goTo(stepWhere)
		return
	}
	w.viaBrowser = true
	w.goTo(stepTest)
	ctx, attempt := w.startBusy()
	w.result.busy(signInWait(w.u.opt.SignInTimeout))
	p := credstore.Profile{Name: defaultNewProfile, LoginURL: login, Method: credstore.MethodOAuthBrowser, ClientID: w.clientID}
	w.u.signIn(ctx, w.win, p, func(o connection.SignInResult) {
		if !w.endBusy(attempt) {
			return // cancelled: the user is back on the form
		}
		w.last = o.Outcome
		if o.Saved {
			w.summary.SetText(whoAndWhere(o.Result) + "\n\nYou are signed in through your browser; Salesforce keeps the sign-in in this computer's keychain, where the AdvoLogix add-ins find it. No password is stored.")
			w.goTo(stepDone)
			return
		}
		o.Hint = w.hint(o.Outcome)
		showSignIn(w.result, o)
		w.showResultTitle(o.Outcome)
		w.showTestButtons(false, -1)
	})
}

// startBusy begins a test or sign-in: the buttons give way to Cancel.
func (w *wizard) startBusy() (context.Context, int) {
	return w.startIn(w.win, func() {
		w.busy = true
		w.title.SetText(stepTitles[stepTest]) // "Test again" tests again
		w.hideTestButtons()
		w.cancelBtn.Show()
	})
}

// endBusy ends attempt; false when it was cancelled (its answer is stale).
func (w *wizard) endBusy(attempt int) bool {
	return w.endWith(attempt, func() {
		w.busy = false
		w.cancelBtn.Hide()
	})
}

// cancelTest stops the test or sign-in in flight at once: its login is
// abandoned and the form comes back as it was.
func (w *wizard) cancelTest() {
	if !w.busy {
		return
	}
	w.abandon() // the abandoned attempt's answer, when it comes, is dropped
	w.busy = false
	w.cancelBtn.Hide()
	w.result.clear()
	if w.viaBrowser {
		w.viaBrowser = false
		w.goTo(stepWhere)
		return
	}
	w.goTo(stepToken)
}

// showResultTitle titles the test step after its outcome.
func (w *wizard) showResultTitle(o connection.Outcome) {
	switch {
	case o.OK():
		w.title.SetText(titleTestOK)
	case o.Checked && o.Kind() == connection.KindConnection:
		w.title.SetText(titleTestUnreachable)
	default:
		w.title.SetText(titleTestFailed)
	}
}

// test checks what was entered and shows the diagnosis, with a way back to
// the step at fault.
func (w *wizard) test() {
	if w.busy {
		return
	}
	p, err := w.form.profile(defaultNewProfile)
	if err != nil {
		w.result.note(theme.WarningIcon(), "Something is missing", err.Error(), widget.WarningImportance)
		w.showTestButtons(false, stepWhere)
		return
	}
	sec := connection.SecretsFor(p, w.form.secrets())
	w.viaBrowser = false
	ctx, attempt := w.startBusy()
	w.result.busy("Testing the connection to " + p.LoginURL + "…")
	background(w.u, func() connection.Outcome {
		return w.u.svc.Test(ctx, p, sec)
	}, func(o connection.Outcome) {
		if !w.endBusy(attempt) {
			return // cancelled: the user is back on the form
		}
		w.last = o
		w.showResult()
	})
}

// stepFor is the wizard step where the suspect input lives.
func stepFor(f sfclient.Field) int {
	switch f {
	case sfclient.FieldEnvironment:
		return stepWhere
	case sfclient.FieldUsername, sfclient.FieldPassword:
		return stepWho
	case sfclient.FieldToken:
		return stepToken
	}
	return -1
}

var stepFixLabels = map[int]string{stepWhere: "Change environment", stepWho: "Change username or password", stepToken: "Change security token"}

func (w *wizard) showTestButtons(ok bool, fix int) {
	w.hideTestButtons()
	if w.viaBrowser {
		w.browserBtn.SetText("Try again")
		w.browserBtn.Show()
		w.passBtn.Show()
		return
	}
	w.browserBtn.SetText("Sign in with browser instead")
	if !ok && w.clientID != "" && pointsToBrowser(w.last) {
		w.browserBtn.Show()
	}
	w.retryBtn.Show()
	if ok {
		// Back stays: the login works, but it may be the wrong account.
		w.saveBtn.Show()
		w.anywayBt.Hide()
		w.fixBtn.SetText("Back")
		w.fixBtn.Show()
		w.retryBtn.Hide()
		w.win.Canvas().Focus(w.saveBtn) // Return saves
		return
	}
	defer w.win.Canvas().Focus(w.fixBtn) // Return goes to the input at fault
	w.saveBtn.Hide()
	w.anywayBt.Show()
	if fix >= 0 {
		w.fixBtn.SetText(stepFixLabels[fix])
		w.fixBtn.Show()
	} else {
		w.fixBtn.SetText("Back")
		w.fixBtn.Show()
	}
}

// fix goes back to the step the diagnosis blames.
func (w *wizard) fix() {
	step := stepFor(w.last.Suspect)
	if step < 0 {
		step = stepToken
	}
	w.goTo(step)
}

// save stores the profile as the default and moves to the last step.
func (w *wizard) save() {
	if w.busy {
		return
	}
	p, err := w.form.profile(defaultNewProfile)
	if err != nil {
		w.result.note(theme.WarningIcon(), "Something is missing", err.Error(), widget.WarningImportance)
		return
	}
	sec := connection.SecretsFor(p, w.form.secrets())
	// After a passing test the use-case layer saves with its outcome (no
	// second login); "Save anyway" saves without one, keeping the failed
	// test as the saved profile's verdict.
	opts := connection.SaveOptions{Tested: &w.last, Anyway: !w.last.OK()}
	w.busy = true
	w.hideTestButtons()
	w.win.Canvas().Unfocus() // Escape while saving has nothing to go back to
	w.result.busy("Saving to the keychain…")
	background(w.u, func() connection.Outcome {
		return w.u.svc.TestAndSave(context.Background(), p, sec, opts)
	}, func(o connection.Outcome) {
		w.busy = false
		if !o.Saved {
			w.result.note(theme.ErrorIcon(), "Not saved", strings.TrimSpace(o.Message+" "+o.Hint), widget.DangerImportance)
			w.showTestButtons(w.last.OK(), -1)
			return
		}
		w.saved = true
		if w.last.OK() {
			w.summary.SetText(whoAndWhere(w.last.Result) + "\n\nYour login is saved in this computer's keychain, where the AdvoLogix add-ins find it.")
			w.goTo(stepDone)
			return
		}
		w.showSavedUntested()
	})
}
