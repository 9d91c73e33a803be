package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
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

// Titles that replace a step's own once a result is in.
const (
	titleTestOK          = "The connection works"
	titleTestFailed      = "The test did not pass"
	titleTestUnreachable = "Salesforce could not be reached"
	titleSavedUntested   = "Saved, but not connected"
)

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
		case ev.Name == fyne.KeyEscape && w.busy:
			w.cancelTest()
		}
	})
	w.form.onChanged = w.syncButtons
	w.wizardPolicy()
	w.goTo(w.firstStep())
	return w
}

func para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// buttons lays out a step's buttons at its bottom right.
func buttons(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(append([]fyne.CanvasObject{layoutSpacer()}, objs...)...)
}

func (w *wizard) wherePage() fyne.CanvasObject {
	next := newKeyButton("Next", theme.NavigateNextIcon(), w.next)
	next.Importance = widget.HighImportance
	explain := para("Production is your firm's live Salesforce (login.salesforce.com). Sandbox is a test copy (test.salesforce.com). " +
		"Choose My Domain if your firm signs in at its own address, such as https://yourfirm.my.salesforce.com — you can paste the address from your browser.")
	body := container.NewVBox(explain, w.form.env, w.form.myDomain, w.form.urlNote)
	if w.clientID == "" {
		return container.NewBorder(nil, buttons(next), nil, nil, body)
	}
	// Browser sign-in first: it outlives password logins and has no token
	// to go stale. The password path stays as the fallback.
	next.SetText("Use password and token")
	next.Importance = widget.MediumImportance
	signIn := newKeyButton("Sign in with browser", theme.LoginIcon(), w.browserSignIn)
	signIn.Importance = widget.HighImportance
	body.Add(widget.NewSeparator())
	body.Add(para("Recommended: sign in through your browser. Salesforce then keeps you signed in, with no password or security token to keep up to date. " +
		"If your firm has not set that up, use your password and security token instead."))
	return container.NewBorder(nil, buttons(next, signIn), nil, nil, body)
}

// browserSignIn signs in through the browser and saves the profile.
func (w *wizard) browserSignIn() {
	if w.busy {
		return
	}
	login, err := w.form.loginURL()
	if err != nil {
		w.form.urlNote.SetText(err.Error())
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
		showSignIn(w.result, o)
		w.showResultTitle(o.Outcome)
		w.showTestButtons(false, -1)
	})
}

// startBusy begins a test or sign-in: the buttons give way to Cancel.
func (w *wizard) startBusy() (context.Context, int) {
	ctx, attempt := w.start()
	w.busy = true
	w.title.SetText(stepTitles[stepTest]) // "Test again" tests again
	w.hideTestButtons()
	w.cancelBtn.Show()
	// Nothing keeps the focus (the page that had it is hidden): a second
	// Return does nothing, Escape cancels, Tab reaches Cancel.
	w.win.Canvas().Unfocus()
	return ctx, attempt
}

// endBusy ends attempt; false when it was cancelled (its answer is stale).
func (w *wizard) endBusy(attempt int) bool {
	if !w.end(attempt) {
		return false
	}
	w.busy = false
	w.cancelBtn.Hide()
	return true
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

func (w *wizard) whoPage() fyne.CanvasObject {
	back := newKeyButton("Back", theme.NavigateBackIcon(), w.back)
	w.nextWho = newKeyButton("Next", theme.NavigateNextIcon(), w.next)
	w.nextWho.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Username", w.form.username),
		widget.NewFormItem("Password", w.form.password),
	)
	w.whoNote = para("")
	w.whoNote.Importance = widget.WarningImportance
	w.whoNote.Hide()
	body := container.NewVBox(w.whoNote, para("The username and password you use to sign in to Salesforce (and AdvoLogix). They are kept in this computer's keychain, never in a file."), form)
	return container.NewBorder(nil, buttons(back, w.nextWho), nil, nil, body)
}

func (w *wizard) tokenPage() fyne.CanvasObject {
	back := newKeyButton("Back", theme.NavigateBackIcon(), w.back)
	none := newKeyButton("I don't have one", nil, func() {
		w.form.token.SetText("")
		w.next()
	})
	test := newKeyButton("Test connection", theme.MediaPlayIcon(), w.next)
	test.Importance = widget.HighImportance
	reset := newKeyButton("Get a new token (opens Salesforce)", theme.MailSendIcon(), func() {
		login, err := w.form.loginURL()
		if err != nil {
			showProblem(w.win, "Choose the environment first", err.Error())
			return
		}
		w.u.openAddress(w.win, "reset your security token", sfclient.ResetTokenURL(login))
	})
	body := container.NewVBox(
		para(tokenExplanation),
		para(tokenHowTo+" "+tokenNoneNote),
		container.NewHBox(reset),
		widget.NewForm(widget.NewFormItem("Security token", w.form.token)),
	)
	return container.NewBorder(nil, buttons(back, none, test), nil, nil, body)
}

func (w *wizard) testPage() fyne.CanvasObject {
	w.fixBtn = newKeyButton("Fix", theme.NavigateBackIcon(), w.fix)
	w.retryBtn = newKeyButton("Test again", theme.ViewRefreshIcon(), w.test)
	w.anywayBt = newKeyButton("Save anyway", nil, w.save)
	w.saveBtn = newKeyButton("Save", theme.DocumentSaveIcon(), w.save)
	w.saveBtn.Importance = widget.HighImportance
	w.cancelBtn = newKeyButton("Cancel", theme.CancelIcon(), w.cancelTest)
	w.cancelBtn.onEscape = w.cancelTest
	w.browserBtn = newKeyButton("Sign in with browser instead", theme.LoginIcon(), w.browserSignIn)
	w.passBtn = newKeyButton("Use password instead", nil, func() {
		w.viaBrowser = false
		w.goTo(stepWho)
	})
	w.hideTestButtons()
	w.cancelBtn.Hide()
	return container.NewBorder(nil, buttons(w.fixBtn, w.passBtn, w.retryBtn, w.anywayBt, w.browserBtn, w.saveBtn, w.cancelBtn), nil, nil,
		container.NewVScroll(w.result.box))
}

func (w *wizard) hideTestButtons() {
	for _, b := range []*keyButton{w.fixBtn, w.retryBtn, w.anywayBt, w.saveBtn, w.browserBtn, w.passBtn} {
		b.Hide()
	}
}

func (w *wizard) donePage() fyne.CanvasObject {
	w.summary = para("")
	finish := newKeyButton("Finish", theme.ConfirmIcon(), w.finish)
	finish.Importance = widget.HighImportance
	w.finishBtn = finish
	objs := []fyne.CanvasObject{w.summary}
	if w.u.opt.Autostart != nil {
		w.autoRun = widget.NewCheck("Start AdvoLogix Connect in the tray when I log in, and tell me if the login stops working", nil)
		w.autoRun.SetChecked(true)
		objs = append(objs, w.autoRun)
	}
	objs = append(objs, para("You can change these settings at any time: run AdvoLogix Connect again, or choose Settings… in the tray."))
	return container.NewBorder(nil, buttons(finish), nil, nil, container.NewVBox(objs...))
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
			w.form.urlNote.SetText(err.Error())
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
		w.u.resultSeen(p.Name, o)
		w.result.show(o)
		w.showResultTitle(o)
		w.showTestButtons(o.OK(), stepFor(o.Suspect))
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
		w.saveBtn.Show()
		w.anywayBt.Hide()
		w.fixBtn.Hide()
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
	// second login); "Save anyway" saves without one.
	opts := connection.SaveOptions{Tested: &w.last}
	if !w.last.OK() {
		opts = connection.SaveOptions{NoCheck: true}
	}
	w.busy = true
	w.hideTestButtons()
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
		if w.last.OK() {
			w.summary.SetText(whoAndWhere(w.last.Result) + "\n\nYour login is saved in this computer's keychain, where the AdvoLogix add-ins find it.")
			w.goTo(stepDone)
			return
		}
		w.summary.SetText("Your login is saved in this computer's keychain, but it did not pass the test: " + w.last.Headline + ". Open AdvoLogix Connect again to fix it.")
		w.goTo(stepDone)
		w.title.SetText(titleSavedUntested)
	})
}

// finish applies the autostart choice and closes the wizard; with autostart
// on, the tray starts now too.
func (w *wizard) finish() {
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
			return
		}
		if s, err := w.u.opt.Store.Load(); err == nil {
			prefs := s.Prefs
			prefs.StartInTray = startTray
			_ = w.u.opt.Store.SavePrefs(prefs)
		}
	}
	if startTray {
		w.u.StartTray()
	}
	w.open = false
	w.win.Close() // the app stays in the tray or quits: UI.quitIfIdle
}

// close is the window's close button: leaving before the end asks first.
func (w *wizard) close() {
	if w.step == stepDone {
		w.finish()
		return
	}
	ask(w.win, "Leave set-up?", "Nothing has been saved yet. Leave the set-up anyway?", []choice{
		{label: "Leave", do: func() {
			w.open = false
			w.stop()
			w.win.Close()
		}},
		{label: "Stay", imp: widget.HighImportance},
	}, 1, 1)
}
