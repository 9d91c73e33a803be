package ui

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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

// wizard is the first-run flow: environment → username and password →
// security token → test → saved. It uses the same checker and store as the
// Settings window.
type wizard struct {
	u    *UI
	win  fyne.Window
	form *profileForm
	open bool

	step     int
	title    *widget.Label
	counter  *widget.Label
	pages    []fyne.CanvasObject
	result   *resultView
	fixBtn   *widget.Button
	retryBtn *widget.Button
	saveBtn  *widget.Button
	anywayBt *widget.Button
	nextWho  *widget.Button
	summary  *widget.Label
	autoRun  *widget.Check
	last     sfclient.Result
	busy     bool

	clientID   string         // for browser sign-in; "" hides it
	viaBrowser bool           // the test page shows a browser sign-in
	browserBtn *widget.Button // "Sign in with browser instead" / "Try again"
	passBtn    *widget.Button // "Use password instead"
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
	w.counter.Importance = widget.LowImportance

	w.pages = []fyne.CanvasObject{w.wherePage(), w.whoPage(), w.tokenPage(), w.testPage(), w.donePage()}
	stack := container.NewStack(w.pages...)
	w.win.SetContent(container.NewPadded(container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, w.counter, w.title), widget.NewSeparator()),
		nil, nil, nil, stack)))
	w.win.Resize(fyne.NewSize(540, 460))
	w.win.SetCloseIntercept(w.close)
	w.form.onSubmit = w.next
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
	next := widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), w.next)
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
	signIn := widget.NewButtonWithIcon("Sign in with browser", theme.LoginIcon(), w.browserSignIn)
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
	w.busy = true
	w.hideTestButtons()
	w.result.busy(signInWait(w.u.opt.SignInTimeout))
	p := credstore.Profile{Name: defaultNewProfile, LoginURL: login, Method: credstore.MethodOAuthBrowser, ClientID: w.clientID}
	w.u.signIn(context.Background(), p, func(o signInOutcome) {
		w.busy = false
		w.last = o.result
		if o.saved {
			w.summary.SetText(whoAndWhere(o.result) + "\n\nYou are signed in through your browser; Salesforce keeps the sign-in in this computer's keychain, where the AdvoLogix add-ins find it. No password is stored.")
			w.goTo(stepDone)
			return
		}
		showSignIn(w.result, o)
		w.showTestButtons(false, -1)
	})
}

func (w *wizard) whoPage() fyne.CanvasObject {
	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), w.back)
	w.nextWho = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), w.next)
	w.nextWho.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem("Username", w.form.username),
		widget.NewFormItem("Password", w.form.password),
	)
	body := container.NewVBox(para("The username and password you use to sign in to Salesforce (and AdvoLogix). They are kept in this computer's keychain, never in a file."), form)
	return container.NewBorder(nil, buttons(back, w.nextWho), nil, nil, body)
}

func (w *wizard) tokenPage() fyne.CanvasObject {
	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), w.back)
	none := widget.NewButton("I don't have one", func() {
		w.form.token.SetText("")
		w.next()
	})
	test := widget.NewButtonWithIcon("Test connection", theme.MediaPlayIcon(), w.next)
	test.Importance = widget.HighImportance
	reset := widget.NewButtonWithIcon("Get a new token (opens Salesforce)", theme.MailSendIcon(), func() {
		login, err := w.form.loginURL()
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		u, _ := url.Parse(sfclient.ResetTokenURL(login))
		if err := w.u.opt.OpenURL(u); err != nil {
			dialog.ShowError(fmt.Errorf("open the browser: %w", err), w.win)
		}
	})
	body := container.NewVBox(
		para(tokenExplanation),
		para("To get one: in Salesforce open My Settings → Personal → Reset My Security Token, and Salesforce emails you the new token. "+tokenNoneNote),
		container.NewHBox(reset),
		widget.NewForm(widget.NewFormItem("Security token", w.form.token)),
	)
	return container.NewBorder(nil, buttons(back, none, test), nil, nil, body)
}

func (w *wizard) testPage() fyne.CanvasObject {
	w.fixBtn = widget.NewButtonWithIcon("Fix", theme.NavigateBackIcon(), w.fix)
	w.retryBtn = widget.NewButtonWithIcon("Test again", theme.ViewRefreshIcon(), w.test)
	w.anywayBt = widget.NewButton("Save anyway", w.save)
	w.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), w.save)
	w.saveBtn.Importance = widget.HighImportance
	w.browserBtn = widget.NewButtonWithIcon("Sign in with browser instead", theme.LoginIcon(), w.browserSignIn)
	w.passBtn = widget.NewButton("Use password instead", func() {
		w.viaBrowser = false
		w.goTo(stepWho)
	})
	w.hideTestButtons()
	return container.NewBorder(nil, buttons(w.fixBtn, w.passBtn, w.retryBtn, w.anywayBt, w.browserBtn, w.saveBtn), nil, nil,
		container.NewVScroll(w.result.box))
}

func (w *wizard) hideTestButtons() {
	for _, b := range []*widget.Button{w.fixBtn, w.retryBtn, w.anywayBt, w.saveBtn, w.browserBtn, w.passBtn} {
		b.Hide()
	}
}

func (w *wizard) donePage() fyne.CanvasObject {
	w.summary = para("")
	finish := widget.NewButtonWithIcon("Finish", theme.ConfirmIcon(), w.finish)
	finish.Importance = widget.HighImportance
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
		if w.form.env.Selected == envMyDomain {
			w.win.Canvas().Focus(w.form.myDomain)
		}
	case stepWho:
		if w.form.username.Text == "" {
			w.win.Canvas().Focus(w.form.username)
		} else {
			w.win.Canvas().Focus(w.form.password)
		}
	case stepToken:
		w.win.Canvas().Focus(w.form.token)
	}
}

func (w *wizard) syncButtons() {
	if w.nextWho == nil {
		return
	}
	if strings.TrimSpace(w.form.username.Text) == "" || w.form.password.Text == "" {
		w.nextWho.Disable()
	} else {
		w.nextWho.Enable()
	}
}

// next moves forward from the current step, checking its inputs.
func (w *wizard) next() {
	switch w.step {
	case stepWhere:
		if _, err := w.form.loginURL(); err != nil {
			w.form.urlNote.SetText(err.Error())
			w.form.urlNote.Show()
			return
		}
		w.goTo(stepWho)
	case stepWho:
		if strings.TrimSpace(w.form.username.Text) == "" || w.form.password.Text == "" {
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
	w.busy = true
	w.viaBrowser = false
	w.result.busy("Testing the connection to " + p.LoginURL + "…")
	w.hideTestButtons()
	background(w.u, func() sfclient.Result {
		return w.u.checkTyped(context.Background(), p, sec)
	}, func(r sfclient.Result) {
		w.busy = false
		w.last = r
		w.result.show(r)
		w.showTestButtons(r.OK, stepFor(r.Suspect))
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
		return
	}
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
	w.busy = true
	w.result.busy("Saving to the keychain…")
	background(w.u, func() error {
		return w.u.opt.Store.Save(context.Background(), p, sec)
	}, func(err error) {
		w.busy = false
		if err != nil {
			msg := strings.TrimSpace(err.Error() + " " + hintOf(err))
			w.result.note(theme.ErrorIcon(), "Not saved", msg, widget.DangerImportance)
			w.showTestButtons(w.last.OK, -1)
			return
		}
		if w.last.OK {
			w.summary.SetText(whoAndWhere(w.last) + "\n\nYour login is saved in this computer's keychain, where the AdvoLogix add-ins find it.")
		} else {
			w.summary.SetText("Your login is saved in this computer's keychain, but it did not pass the test: " + w.last.Headline + ". Open AdvoLogix Connect again to fix it.")
		}
		w.goTo(stepDone)
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
			dialog.ShowError(fmt.Errorf("start at login: %w", err), w.win)
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
	if w.u.trayRunning() {
		w.win.Hide()
		return
	}
	w.win.Close()
}

// close is the window's close button: leaving before the end asks first.
func (w *wizard) close() {
	if w.step == stepDone {
		w.finish()
		return
	}
	d := dialog.NewConfirm("Leave set-up?", "Nothing has been saved yet. Leave the set-up anyway?", func(ok bool) {
		if ok {
			w.open = false
			w.win.Close()
		}
	}, w.win)
	d.SetConfirmText("Leave")
	d.SetDismissText("Stay")
	d.Show()
}
