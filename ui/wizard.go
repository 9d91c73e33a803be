package ui

// This file holds the set-up wizard itself: its steps, its window, moving from
// step to step, and finishing or leaving it. Its pages are in wizard_pages.go,
// testing, browser sign-in and saving in wizard_actions.go.

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Wizard steps.
const (
	stepWhere = iota
	stepWho
	stepToken
	stepTest
	stepDone
)

var stepTitles = []string{
	"Where do you sign in to Salesforce?",
	"Your Salesforce username and password",
	"Your security token",
	"Testing the connection",
	"You're connected",
}

// wizard is the first-run flow: environment → username and password →
// security token → test → saved. It uses the same checker and store as the
// Settings window.
type wizard struct {
	u    *UI
	win  fyne.Window
	form *profileForm
	open bool

	title     *widget.Label
	counter   *widget.Label
	pages     []fyne.CanvasObject
	result    *resultView
	fixBtn    *keyButton
	retryBtn  *keyButton
	saveBtn   *keyButton
	anywayBt  *keyButton
	cancelBtn *keyButton // stops a test or sign-in in flight
	nextWho   *keyButton
	finishBtn *keyButton
	doneBack  *keyButton    // last page, saved but not connected: back to the result
	doneOpen  *keyButton    // last page, saved but not connected: Settings
	whoNote   *widget.Label // on step 2: what step 1 corrected
	summary   *widget.Label
	autoRun   *widget.Check

	clientID   string     // for browser sign-in; "" hides it
	browserBtn *keyButton // "Sign in with browser instead" / "Try again"
	passBtn    *keyButton // "Use password instead"

	// wizardModel is the wizard's state: the step, the last outcome, busy
	// and cancel (model.go). The form's values are in form.v.
	wizardModel
}

func newWizard(u *UI) *wizard {
	w := &wizard{u: u, form: newProfileForm(), result: newResultView(), open: true, clientID: u.defaultClientID()}
	w.form.env.Horizontal = false
	u.lockForm(w.form)
	w.win = u.app.NewWindow("AdvoLogix Connect — Set up")
	w.title = widget.NewLabel("")
	w.title.SizeName = theme.SizeNameSubHeadingText
	w.title.TextStyle = fyne.TextStyle{Bold: true}
	w.title.Wrapping = fyne.TextWrapWord
	w.counter = widget.NewLabel("")

	w.pages = []fyne.CanvasObject{w.wherePage(), w.whoPage(), w.tokenPage(), w.testPage(), w.donePage()}
	stack := container.NewStack(w.pages...)
	w.win.SetContent(container.NewPadded(container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, w.counter, w.title), widget.NewSeparator()),
		nil, nil, nil, stack)))
	w.win.Resize(fyne.NewSize(540, 460))
	w.win.SetCloseIntercept(w.close)
	w.form.onSubmit = w.next
	// Return with nothing focused (a radio was clicked, or the window was
	// just opened) moves on, as Next does.
	w.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch {
		case (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && w.step < stepTest:
			w.next()
		case ev.Name == fyne.KeyEscape:
			w.escape()
		}
	})
	w.form.onChanged = w.syncButtons
	w.wizardPolicy()
	w.goTo(w.firstStep())
	return w
}

// goTo shows step i.
func (w *wizard) goTo(i int) {
	w.step = i
	for j, p := range w.pages {
		if j == i {
			p.Show()
		} else {
			p.Hide()
		}
	}
	w.title.SetText(stepTitles[i])
	if i <= stepTest {
		w.counter.SetText(fmt.Sprintf("Step %d of 4", i+1))
	} else {
		w.counter.SetText("")
	}
	w.syncButtons()
	switch i {
	case stepWhere:
		if w.form.v.env == envMyDomain {
			w.win.Canvas().Focus(w.form.myDomain)
		}
	case stepWho:
		if w.form.v.username == "" {
			w.win.Canvas().Focus(w.form.username)
		} else {
			w.win.Canvas().Focus(w.form.password)
		}
	case stepToken:
		w.win.Canvas().Focus(w.form.token)
	case stepDone:
		w.syncDoneButtons()
		// Return finishes.
		w.win.Canvas().Focus(w.finishBtn)
	}
}

func (w *wizard) syncButtons() {
	if w.nextWho == nil {
		return
	}
	if !w.form.v.hasLogin() {
		w.nextWho.Disable()
	} else {
		w.nextWho.Enable()
	}
}

// next moves forward from the current step, checking its inputs.
func (w *wizard) next() {
	switch w.step {
	case stepWhere:
		before := strings.TrimSpace(w.form.v.myDomain)
		login, err := w.form.loginURL()
		if err != nil {
			w.form.urlNote.SetText(sentence(err.Error()))
			w.form.urlNote.Show()
			return
		}
		// A corrected address is said where the user looks next.
		if w.form.v.env == envMyDomain && w.form.urlNote.Visible() && login != before {
			w.whoNote.SetText(w.form.urlNote.Text)
			w.whoNote.Show()
		} else {
			w.whoNote.Hide()
		}
		w.goTo(stepWho)
	case stepWho:
		if !w.form.v.hasLogin() {
			return
		}
		w.goTo(stepToken)
	case stepToken:
		w.goTo(stepTest)
		w.test()
	}
}

func (w *wizard) back() {
	if w.step > w.firstStep() && !w.busy {
		w.goTo(w.step - 1)
	}
}

// finish applies the autostart choice and closes the wizard; with autostart
// on, the tray starts now too, and a notice says the app runs on there.
func (w *wizard) finish() {
	inTray, ok := w.applyAutostart()
	if !ok {
		return
	}
	if inTray {
		w.tellInTray() // before the window goes, so that it does not vanish unexplained
	}
	w.open = false
	w.win.Close() // the app stays in the tray or quits: UI.quitIfIdle
}

// applyAutostart applies the start-in-tray choice and reports whether the
// tray runs now; ok is false when it could not be set up (the problem is
// shown).
func (w *wizard) applyAutostart() (inTray, ok bool) {
	startTray := w.autoRun != nil && w.autoRun.Checked
	if w.u.opt.Autostart != nil {
		var err error
		if startTray {
			err = w.u.opt.Autostart.Enable()
		} else {
			err = w.u.opt.Autostart.Disable()
		}
		if err != nil {
			showProblem(w.win, "Starting at login could not be set up", err.Error())
			return false, false
		}
		if s, err := w.u.opt.Store.Load(); err == nil {
			prefs := s.Prefs
			prefs.StartInTray = startTray
			_ = w.u.opt.Store.SavePrefs(prefs)
		}
	}
	return startTray && w.u.StartTray(), true
}

// close is the window's close button: leaving before the end asks first.
func (w *wizard) close() {
	if w.step == stepDone {
		w.finish()
		return
	}
	msg := "Nothing has been saved yet. Leave the set-up anyway?"
	if w.saved {
		msg = "Your login is saved, but it did not pass the test. Leave the set-up anyway?"
	}
	ask(w.win, "Leave set-up?", msg, []choice{
		{label: "Leave", do: func() {
			w.open = false
			w.stop()
			w.win.Close()
		}},
		{label: "Stay", imp: widget.HighImportance},
	}, 1, 1)
}
