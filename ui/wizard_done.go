package ui

// This file holds how the set-up wizard goes back and ends: Escape, the
// result shown again, the last page when the login was saved but did not
// pass the test, and the word that the app runs on in the tray.

import (
	"time"

	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// noticeTimeoutInTray is how long the "runs in the tray" notice stays up.
const noticeTimeoutInTray = 15 * time.Second

// wizardWay is the wizard's way to a setting it has no place for, said in
// a hint instead of the Settings window's and the command line's
// (sfclient.Remedy.Way).
func wizardWay(m sfclient.Remedy) string {
	if m == sfclient.RemedyCAFile {
		return "This set-up has no place for it: choose Save anyway, then “Finish and open Settings”, and choose the file as the Extra CA file under Advanced."
	}
	return ""
}

// hint is an outcome's hint in the wizard's words.
func (w *wizard) hint(o connection.Outcome) string { return o.HintWith(wizardWay) }

// showResult shows the last test's outcome on the test page, with its
// title and buttons.
func (w *wizard) showResult() {
	o := w.last
	o.Hint = w.hint(o)
	w.result.show(o)
	w.showResultTitle(w.last)
	w.showTestButtons(w.last.OK(), stepFor(w.last.Suspect))
}

// escape is Escape: it cancels a test or sign-in in flight and otherwise
// goes back, as the page's Back does. A save in flight cannot be stopped.
func (w *wizard) escape() {
	switch {
	case w.busy:
		if w.testing {
			w.cancelTest()
		}
	case w.step == stepTest:
		switch {
		case w.fixBtn.Visible():
			w.fix()
		case w.viaBrowser:
			w.viaBrowser = false
			w.goTo(stepWhere)
		}
	case w.step == stepDone:
		if w.doneBack.Visible() {
			w.backFromDone()
		}
	default:
		w.back()
	}
}

// savedUntested reports that the login is saved but did not pass the test.
func (w *wizard) savedUntested() bool { return w.saved && !w.last.OK() }

// syncDoneButtons shows Back and "Finish and open Settings" on the last
// page when the saved login did not pass the test.
func (w *wizard) syncDoneButtons() {
	for _, b := range []*keyButton{w.doneBack, w.doneOpen} {
		if w.savedUntested() {
			b.Show()
		} else {
			b.Hide()
		}
	}
}

// showSavedUntested is the last page after Save anyway: what failed, and
// what to do about it from here.
func (w *wizard) showSavedUntested() {
	text := "Your login is saved in this computer's keychain, but it did not pass the test: " + w.last.Headline + "."
	if w.last.Checked && w.last.Result.Remedy == sfclient.RemedyCAFile {
		text += " To fix it, get the certificate file from your IT department, then choose “Finish and open Settings” and set it as the Extra CA file under Advanced."
	} else {
		text += " To fix it now, choose Back, correct what the test points to, and test again."
	}
	w.summary.SetText(text)
	w.goTo(stepDone)
	w.title.SetText(titleSavedUntested)
}

// backFromDone goes back from the last page to the test's result, to fix
// what it points to and test again; saving again replaces the login.
func (w *wizard) backFromDone() {
	w.goTo(stepTest)
	w.showResult()
}

// finishInSettings ends the set-up as Finish does and opens Settings on the
// saved profile with its result, for what the set-up has no place for.
func (w *wizard) finishInSettings() {
	if _, ok := w.applyAutostart(); !ok {
		return
	}
	w.open = false
	// Before the wizard goes, so a window stays; with the wizard's own
	// result, which Save anyway did not store as the profile's verdict.
	w.u.ShowProfile(defaultNewProfile)
	if s := w.u.settings; s != nil && s.current == defaultNewProfile {
		s.result.show(w.last)
	}
	w.win.Close()
}

// tellInTray says, before the wizard's window goes, that the app runs on in
// the tray, where its icon shows the state.
func (w *wizard) tellInTray() {
	t := w.u.tray
	if t == nil {
		return
	}
	icon := w.u.opt.Icons.TrayOK
	if !w.last.OK() {
		icon = w.u.opt.Icons.TrayFailing
	}
	t.notify(Notice{
		Title:   appName + " runs on in the tray",
		Body:    "Its icon shows whether your login works, and it tells you if the login stops working.\nChoose Settings… in its menu to change anything.",
		Icon:    icon,
		Timeout: noticeTimeoutInTray,
		Open:    func() { w.u.post(func() { w.u.openSettings("") }) },
	})
}
