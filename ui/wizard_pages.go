package ui

// This file holds the pages of the set-up wizard, one per step, and how they
// lay out their text and buttons.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/sfclient"
)

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
		if !w.u.browserAllowed() {
			return container.NewBorder(nil, buttons(next), nil, nil, body)
		}
		// The password path first; browser sign-in says what it lacks.
		off := newKeyButton(switchNotSetUp, theme.LoginIcon(), nil)
		off.Disable()
		body.Add(widget.NewSeparator())
		text := wizardBrowserMissing
		if w.passwordAllowed() {
			text += " Until then, use your password and security token. " + passwordsEnd
		}
		body.Add(para(text))
		return container.NewBorder(nil, buttons(off, next), nil, nil, body)
	}
	// Browser sign-in first: it outlives password logins and has no token
	// to go stale. The password path stays as the fallback, with its date.
	next.SetText(usePasswordLabel)
	next.Importance = widget.MediumImportance
	signIn := newKeyButton("Sign in with browser", theme.LoginIcon(), w.browserSignIn)
	signIn.Importance = widget.HighImportance
	body.Add(widget.NewSeparator())
	body.Add(para("Recommended: sign in through your browser. Salesforce then keeps you signed in, with no password or security token to keep up to date. " +
		"If your firm has not set that up, use your password and security token instead. " + passwordsEnd))
	return container.NewBorder(nil, buttons(next, signIn), nil, nil, body)
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
	for _, b := range []*keyButton{w.fixBtn, w.retryBtn, w.anywayBt, w.saveBtn, w.browserBtn, w.passBtn} {
		b.onEscape = w.escape // the focus is on one of these: Escape goes back
	}
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
	finish.onEscape = w.escape
	w.finishBtn = finish
	// Saved but not connected: back to the result to fix it, or Settings
	// for what the set-up has no place for.
	w.doneBack = newKeyButton("Back", theme.NavigateBackIcon(), w.backFromDone)
	w.doneBack.onEscape = w.escape
	w.doneOpen = newKeyButton("Finish and open Settings", theme.SettingsIcon(), w.finishInSettings)
	w.doneOpen.onEscape = w.escape
	w.doneBack.Hide()
	w.doneOpen.Hide()
	objs := []fyne.CanvasObject{w.summary}
	if w.u.opt.Autostart != nil {
		w.autoRun = widget.NewCheck("Start AdvoLogix Connect in the tray when I log in, and tell me if the login stops working", nil)
		w.autoRun.SetChecked(true)
		objs = append(objs, w.autoRun)
	}
	objs = append(objs, para("You can change these settings at any time: run AdvoLogix Connect again, or choose Settings… in the tray."))
	return container.NewBorder(nil, buttons(w.doneBack, w.doneOpen, finish), nil, nil, container.NewVBox(objs...))
}
