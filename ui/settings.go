package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// defaultNewProfile names the first profile.
const defaultNewProfile = "default"

// settingsWindow edits, tests and saves profiles.
type settingsWindow struct {
	u    *UI
	win  fyne.Window
	form *profileForm

	banner     *fyne.Container
	bannerText *widget.Label
	profiles   *widget.Select
	labels     map[string]string // picker label → profile name
	result     *resultView

	testBtn, saveBtn, cancelBtn, closeBtn    *keyButton
	addBtn, renameBtn, deleteBtn, defaultBtn *keyButton
	signInBtn                                *keyButton // "Sign in with browser…" (browser method)
	signInRow                                *fyne.Container
	mainForm                                 *widget.Form
	formItems                                func(browser, advanced bool) []*widget.FormItem
	formShows                                *[2]bool   // the rows mainForm shows: browser, advanced
	advancedOpen                             bool       // the Advanced rows are shown
	advancedBtn                              *keyButton // "Advanced" ▸/▾
	scroll                                   *container.Scroll
	fittedHeight                             float32    // the height fitWindow last gave
	switchBtn                                *keyButton // "Sign in with browser instead" after a fitting failure

	// editModel is the window's state: the profile being edited, the
	// last outcome, busy and cancel (model.go). The form's values are in
	// form.v.
	editModel
}

func newSettingsWindow(u *UI) *settingsWindow {
	s := &settingsWindow{u: u, form: newProfileForm(), result: newResultView(), labels: map[string]string{}}
	u.lockForm(s.form)
	s.win = u.app.NewWindow("AdvoLogix Connect")
	s.form.onChanged = s.markDirty
	s.form.onSubmit = s.test
	s.result.why.attach(u, s.win, func() (credstore.Profile, error) { return s.form.profile(s.current) })

	s.bannerText = widget.NewLabel("")
	s.bannerText.Wrapping = fyne.TextWrapWord
	s.bannerText.Importance = widget.DangerImportance
	retry := newKeyButton("Try again", theme.ViewRefreshIcon(), s.probeKeychain)
	s.banner = container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), retry, s.bannerText)
	s.banner.Hide()

	s.profiles = widget.NewSelect(nil, func(label string) { s.switchTo(s.labels[label]) })
	s.addBtn = newKeyButton("New…", theme.ContentAddIcon(), s.addProfile)
	s.renameBtn = newKeyButton("Rename…", theme.DocumentCreateIcon(), s.renameProfile)
	s.deleteBtn = newKeyButton("Delete…", theme.DeleteIcon(), s.deleteProfile)
	s.defaultBtn = newKeyButton("Make default", nil, s.makeDefault)
	// Two rows, so that the bar fits a narrow window.
	profileBar := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Profile"), nil, s.profiles),
		container.NewHBox(layoutSpacer(), s.addBtn, s.renameBtn, s.deleteBtn, s.defaultBtn))

	help := tokenHelp(s.win, s.form.loginURL, u.openAddress)
	s.signInBtn = newKeyButton("Sign in with browser…", theme.LoginIcon(), s.signIn)
	s.signInBtn.Importance = widget.HighImportance
	signInNote := widget.NewLabel("No password or security token to keep up to date: Salesforce keeps you signed in.")
	signInNote.Wrapping = fyne.TextWrapWord
	s.signInRow = container.NewVBox(container.NewHBox(s.signInBtn), signInNote)
	s.switchBtn = newKeyButton("Sign in with browser instead", theme.LoginIcon(), s.switchToBrowser)
	s.switchBtn.Hide()
	onEnv := s.form.env.OnChanged
	s.form.env.OnChanged = func(v string) {
		onEnv(v)
		s.fitWindow() // the My Domain field comes and goes
	}
	onMethod := s.form.method.OnChanged
	s.form.method.OnChanged = func(v string) {
		onMethod(v)
		s.syncSignIn()
	}
	where := lockItems(s.form, s.form.whereItems())
	signInItem := &widget.FormItem{Text: "Sign-in", Widget: s.signInRow}
	userItem := widget.NewFormItem("Username", s.form.username)
	passItem := widget.NewFormItem("Password", s.form.password)
	tokenItem := &widget.FormItem{Text: "Security token", Widget: hinted(container.NewBorder(nil, nil, nil, help, s.form.token),
		"added after the password for you; case-sensitive")}
	main := widget.NewForm()
	// Advanced is a row of the same form, so its fields line up with the
	// main ones; its rows follow it when open.
	s.advancedBtn = newKeyButton("Advanced", theme.MenuExpandIcon(), s.toggleAdvanced)
	s.advancedBtn.Importance = widget.LowImportance
	s.advancedBtn.Alignment = widget.ButtonAlignLeading
	s.advancedBtn.IconPlacement = widget.ButtonIconLeadingText
	advancedItem := widget.NewFormItem("", container.NewHBox(s.advancedBtn))
	advanced := lockItems(s.form, s.form.advancedItems(s.win))
	// The rows follow the method: a browser profile has no password or
	// token, a password profile no sign-in button.
	s.formItems = func(browser, open bool) []*widget.FormItem {
		items := append([]*widget.FormItem{}, where...)
		if browser {
			items = append(items, signInItem, userItem)
		} else {
			items = append(items, userItem, passItem, tokenItem)
		}
		items = append(items, advancedItem)
		if open {
			items = append(items, advanced...)
		}
		return items
	}
	s.mainForm = main

	s.testBtn = newKeyButton("Test connection", theme.MediaPlayIcon(), s.test)
	s.testBtn.Importance = widget.HighImportance
	s.saveBtn = newKeyButton("Save", theme.DocumentSaveIcon(), s.save)
	s.cancelBtn = newKeyButton("Cancel", theme.CancelIcon(), s.cancelTest)
	s.cancelBtn.onEscape = s.cancelTest
	s.cancelBtn.Hide()
	s.closeBtn = newKeyButton("Close", nil, s.requestClose)
	buttons := container.NewHBox(layoutSpacer(), s.closeBtn, s.saveBtn, s.cancelBtn, s.testBtn)

	body := container.NewVBox(header(u.opt.Icons.App, "The Salesforce login your AdvoLogix add-ins use"), s.banner, profileBar, widget.NewSeparator(), main, widget.NewSeparator(), s.result.box, container.NewHBox(s.switchBtn))
	// The scroll bar is drawn over the content's right edge: keep the
	// content clear of it.
	pad := theme.Padding()
	inner := container.New(layout.NewCustomPaddedLayout(pad, pad, pad, pad+theme.ScrollBarSize()), body)
	s.scroll = container.NewVScroll(inner)
	s.win.SetContent(container.NewBorder(nil, container.NewPadded(buttons), nil, nil, s.scroll))
	s.win.SetCloseIntercept(s.requestClose)
	s.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape && s.testing {
			s.cancelTest()
		}
	})
	s.reloadProfiles("")
	s.addDiagnostics()
	s.syncSignIn()
	s.fitWindow()
	s.probeKeychain()
	return s
}

// Settings window sizes: its width, and the tallest it grows by itself.
const (
	settingsWidth     = 580
	settingsMaxHeight = 720
)

// fitWindow sizes the window to its content (no half-empty window), up to
// settingsMaxHeight; the content scrolls beyond. A height the user chose
// (by resizing) is kept.
func (s *settingsWindow) fitWindow() {
	if s.scroll == nil || s.win.Content() == nil {
		return // still being built
	}
	if cur := s.win.Canvas().Size().Height; s.fittedHeight != 0 && cur != s.fittedHeight {
		return
	}
	content := s.win.Content().MinSize()
	inner := s.scroll.Content.MinSize()
	// The scroll shows all of inner; the window pads its content.
	h := inner.Height + content.Height - s.scroll.MinSize().Height + 2*theme.Padding()
	if h > settingsMaxHeight {
		h = settingsMaxHeight
	}
	w := s.win.Canvas().Size().Width
	if w < settingsWidth {
		w = settingsWidth
	}
	s.win.Resize(fyne.NewSize(w, h))
	s.fittedHeight = s.win.Canvas().Size().Height
}

// toggleAdvanced shows or hides the Advanced rows, and fits the window.
func (s *settingsWindow) toggleAdvanced() {
	s.advancedOpen = !s.advancedOpen
	if s.advancedOpen {
		s.advancedBtn.SetIcon(theme.MenuDropDownIcon())
	} else {
		s.advancedBtn.SetIcon(theme.MenuExpandIcon())
	}
	s.syncSignIn()
	s.fitWindow()
}

// browserMethod tells whether the form is set to browser sign-in.
func (s *settingsWindow) browserMethod() bool {
	return methodFromLabel(s.form.v.method) == sfclient.MethodOAuthBrowser
}

// syncSignIn shows the rows of the chosen method: the sign-in button for
// browser profiles, password and token for the others.
func (s *settingsWindow) syncSignIn() {
	if s.mainForm == nil {
		return
	}
	want := [2]bool{s.browserMethod(), s.advancedOpen}
	browser := want[0]
	if s.formShows == nil || *s.formShows != want {
		s.mainForm.Items = s.formItems(want[0], want[1])
		s.mainForm.Refresh()
		s.formShows = &want
		if s.scroll != nil {
			s.scroll.Refresh() // the scroll range follows the new rows
		}
	}
	if browser {
		if s.loaded.RefreshToken != "" {
			s.signInBtn.SetText("Sign in again…")
		} else {
			s.signInBtn.SetText("Sign in with browser…")
		}
	}
}

// switchToBrowser moves a profile whose password login Salesforce no longer
// takes to browser sign-in, and starts it.
func (s *settingsWindow) switchToBrowser() {
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

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// header is the window's title block: the app icon, its name and a line
// of what it is for.
func header(icon fyne.Resource, subtitle string) fyne.CanvasObject {
	name := widget.NewLabel("AdvoLogix Connect")
	name.TextStyle = fyne.TextStyle{Bold: true}
	name.SizeName = theme.SizeNameSubHeadingText
	sub := widget.NewLabel(subtitle) // the text colour: low importance is too faint in the light theme
	text := container.NewVBox(name, sub)
	if icon == nil {
		return text
	}
	img := canvas.NewImageFromResource(icon)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(48, 48))
	return container.NewBorder(nil, nil, container.NewCenter(img), nil, text)
}

func (s *settingsWindow) show() {
	s.win.Show()
	s.win.RequestFocus()
}

// markDirty notes a change; the last test's outcome stays: the use-case
// layer reuses it for a save only when the inputs are back to exactly what
// was tested.
func (s *settingsWindow) markDirty() {
	s.dirty = true
	s.refreshButtons()
}

func (s *settingsWindow) refreshButtons() {
	enable := func(b *keyButton, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	enable(s.testBtn, !s.busy)
	if s.testing {
		s.cancelBtn.Show()
	} else {
		s.cancelBtn.Hide()
	}
	enable(s.saveBtn, s.canSave())
	enable(s.addBtn, !s.busy)
	enable(s.renameBtn, s.canEditSaved())
	enable(s.deleteBtn, s.canEditSaved())
	enable(s.defaultBtn, !s.busy && !s.isNew && !s.isDefault)
	if s.busy {
		s.profiles.Disable()
	} else {
		s.profiles.Enable()
	}
}

// fillPicker lists the saved profiles, the default one marked.
func (s *settingsWindow) fillPicker(st credstore.Settings) {
	names := make([]string, 0, len(st.Profiles))
	for _, p := range st.Profiles {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	s.labels = map[string]string{}
	options := make([]string, 0, len(names))
	for _, n := range names {
		label := n
		if n == st.Default && !strings.EqualFold(n, defaultNewProfile) {
			label += "  (default)" // a profile called "default" says it already
		}
		s.labels[label] = n
		options = append(options, label)
	}
	s.profiles.Options = options
}

// reloadProfiles fills the picker from the settings file and loads want
// (or the default profile).
func (s *settingsWindow) reloadProfiles(want string) {
	st, err := s.u.opt.Store.Load()
	if err != nil {
		s.showBanner(err)
		return
	}
	s.fillPicker(st)
	if len(st.Profiles) == 0 {
		s.profiles.ClearSelected()
		s.startNew(defaultNewProfile)
		return
	}
	if want == "" || !s.hasProfile(want) {
		want = st.Default
	}
	if !s.hasProfile(want) {
		want = s.labels[s.profiles.Options[0]]
	}
	s.selectLabelOf(want)
	s.load(want, st.Default == want)
}

func (s *settingsWindow) hasProfile(name string) bool {
	for _, n := range s.labels {
		if n == name {
			return true
		}
	}
	return false
}

// switchTo loads another profile, asking first if there are unsaved
// changes.
func (s *settingsWindow) switchTo(name string) {
	if name == "" || (name == s.current && !s.isNew) {
		return
	}
	if !s.dirty {
		s.reloadProfiles(name)
		return
	}
	keep := func() { s.selectLabelOf(s.current) }
	ask(s.win, "Unsaved changes", fmt.Sprintf("Discard the changes to profile %q?", s.current), []choice{
		{label: "Discard changes", do: func() {
			s.dirty = false
			s.reloadProfiles(name)
		}},
		{label: "Keep editing", imp: widget.HighImportance, do: keep},
	}, 1, 1)
}

func (s *settingsWindow) selectLabelOf(name string) {
	for label, n := range s.labels {
		if n == name {
			s.profiles.Selected = label
			s.profiles.Refresh()
		}
	}
}

// load shows a saved profile; its secrets come from the keychain in the
// background.
func (s *settingsWindow) load(name string, isDefault bool) {
	p, err := s.u.opt.Store.Profile(name)
	if err != nil {
		s.result.note(theme.ErrorIcon(), "Cannot read this profile", err.Error(), widget.DangerImportance)
		return
	}
	s.edit(name, false, isDefault)
	s.form.load(p, credstore.Secrets{})
	s.result.clear()
	if p.Interrupted() {
		s.result.note(theme.WarningIcon(), "The last save of this profile was interrupted",
			"Test the connection, or enter the password and token again and save.", widget.WarningImportance)
	}
	s.readSecrets(name, func(ls loadedSecrets) {
		if s.current != name || s.dirty {
			return // the user moved on meanwhile
		}
		s.loaded = ls.sec
		s.form.load(p, ls.sec)
		s.syncSignIn()
		var ke *credstore.KeychainError
		switch {
		case errors.As(ls.err, &ke):
			s.showBanner(ls.err)
		case ls.err != nil && errors.Is(ls.err, credstore.ErrNotFound):
			s.result.note(theme.WarningIcon(), "Some saved credentials are missing from the keychain",
				"Enter the password and security token again, then save.", widget.WarningImportance)
		case ls.err != nil:
			s.result.note(theme.ErrorIcon(), "Cannot read the saved credentials", ls.err.Error(), widget.DangerImportance)
		}
	})
}

// readSecrets reads the secrets of profile name from the keychain in the
// background, busy meanwhile, and hands them to done.
func (s *settingsWindow) readSecrets(name string, done func(loadedSecrets)) {
	s.setBusy(true)
	background(s.u, func() loadedSecrets {
		sec, err := s.u.opt.Store.Secrets(context.Background(), name)
		return loadedSecrets{sec, err}
	}, func(ls loadedSecrets) {
		s.setBusy(false)
		done(ls)
	})
}

type loadedSecrets struct {
	sec credstore.Secrets
	err error
}

// startNew begins an unsaved profile called name.
func (s *settingsWindow) startNew(name string) {
	s.edit(name, true, false)
	s.form.load(credstore.Profile{Name: name}, credstore.Secrets{})
	s.syncSignIn()
	s.result.note(theme.InfoIcon(), fmt.Sprintf("New profile %q", name), "Fill in the fields, test the connection, then save.", widget.MediumImportance)
	s.refreshButtons()
}

func (s *settingsWindow) setBusy(b bool) {
	s.busy = b
	s.refreshButtons()
}

// secretsToSave are the typed secrets plus those the form does not show (a
// browser sign-in's refresh token, a client secret).
func (s *settingsWindow) secretsToSave(p credstore.Profile) credstore.Secrets {
	return s.secrets(p, s.form.secrets())
}

// startTesting begins a test or sign-in: busy, with Cancel shown.
func (s *settingsWindow) startTesting() (context.Context, int) {
	ctx, attempt := s.start()
	s.setBusy(true)
	s.switchBtn.Hide()
	// Nothing keeps the focus: a second Return does not type or test,
	// Escape cancels, Tab reaches Cancel.
	s.win.Canvas().Unfocus()
	return ctx, attempt
}

// endTesting ends attempt; false when it was cancelled (its answer is
// stale and must not be shown or reused).
func (s *settingsWindow) endTesting(attempt int) bool {
	if !s.end(attempt) {
		return false
	}
	s.setBusy(false)
	return true
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
	s.u.resultSeen(p.Name, o)
	if typed {
		s.last = &o
	}
	// The focus stays off the Test button: a Return meant for something
	// else must not send the same (perhaps failing) login again.
	if !o.OK() && pointsToBrowser(o) && (s.form.v.clientID != "" || s.u.defaultClientID() != "") {
		s.switchBtn.Show()
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
		s.store(p, sec)
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
				{label: "Save anyway", do: func() { s.store(p, sec) }},
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

// store saves the profile without a test (the user chose to save anyway,
// or a browser profile keeps its sign-in).
func (s *settingsWindow) store(p credstore.Profile, sec credstore.Secrets) {
	s.setBusy(true)
	background(s.u, func() connection.Outcome {
		return s.u.svc.TestAndSave(context.Background(), p, sec, connection.SaveOptions{NoCheck: true})
	}, func(o connection.Outcome) {
		s.setBusy(false)
		if !o.Saved {
			s.saveFailed(o)
			return
		}
		s.stored(p.Name, sec)
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

// reloadProfilesKeepResult refreshes the picker after a save or rename
// without reloading the form or disturbing the result shown.
func (s *settingsWindow) reloadProfilesKeepResult(name string) {
	st, err := s.u.opt.Store.Load()
	if err != nil {
		s.showBanner(err)
		return
	}
	s.fillPicker(st)
	s.current, s.isNew, s.isDefault = name, false, st.Default == name
	s.selectLabelOf(name)
	s.refreshButtons()
	s.result.saved(name)
}

// saveFailed says what stopped a save (or a rename, delete, new default).
func (s *settingsWindow) saveFailed(o connection.Outcome) {
	if errors.As(o.Err, new(*credstore.KeychainError)) {
		s.showBanner(o.Err)
	}
	s.result.note(theme.ErrorIcon(), "Not saved", strings.TrimSpace(o.Message+"\n"+o.Hint), widget.DangerImportance)
}

// failed is the outcome of an error of the store about the current
// profile.
func (s *settingsWindow) failed(err error) connection.Outcome {
	return connection.Failed(credstore.Profile{Name: s.current}, err)
}

// probeKeychain checks in the background that the keychain answers and
// shows or hides the banner.
func (s *settingsWindow) probeKeychain() {
	background(s.u, func() error {
		return s.u.opt.Store.Probe(context.Background())
	}, func(err error) {
		if err != nil {
			s.showBanner(err)
			return
		}
		s.keychainErr = nil
		s.banner.Hide()
		s.refreshButtons()
	})
}

// showBanner says the keychain (or the settings file) cannot be used, and
// what to do; testing still works, saving does not.
func (s *settingsWindow) showBanner(err error) {
	o := connection.Failed(credstore.Profile{}, err)
	text := o.Message
	if h := o.Hint; h != "" && !strings.Contains(text, h) {
		text += " " + h
	}
	s.keychainErr = err
	s.bannerText.SetText("Saving is not possible: " + text + " Testing still works.")
	s.banner.Show()
	s.refreshButtons()
}

func (s *settingsWindow) addProfile() {
	askName(s.win, "New profile", "Name", "Create", "", "e.g. sandbox", credstore.ValidateName, func(name string) {
		if _, err := s.u.opt.Store.Profile(name); err == nil {
			showProblem(s.win, "That name is taken", fmt.Sprintf("A profile named %q exists already. Choose another name.", name))
			return
		}
		start := func() {
			s.profiles.ClearSelected()
			s.startNew(name)
		}
		if s.dirty {
			ask(s.win, "Unsaved changes", fmt.Sprintf("Discard the changes to profile %q?", s.current), []choice{
				{label: "Discard changes", do: start},
				{label: "Keep editing", imp: widget.HighImportance},
			}, 1, 1)
			return
		}
		start()
	})
}

func (s *settingsWindow) renameProfile() {
	old := s.current
	askName(s.win, "Rename profile", "New name", "Rename", old, "", credstore.ValidateName, func(name string) {
		if name == old {
			return
		}
		s.setBusy(true)
		background(s.u, func() error {
			return s.u.opt.Store.Rename(context.Background(), old, name)
		}, func(err error) {
			s.setBusy(false)
			if err != nil {
				s.saveFailed(s.failed(err))
				return
			}
			s.reloadProfilesKeepResult(name)
		})
	})
}

// nextDefault is the profile that becomes the default when the default
// one is deleted ("" when none is left), as credstore picks it.
func (s *settingsWindow) nextDefault(deleted string) string {
	st, err := s.u.opt.Store.Load()
	if err != nil || st.Default != deleted {
		return ""
	}
	for _, p := range st.Profiles {
		if p.Name != deleted {
			return p.Name
		}
	}
	return ""
}

func (s *settingsWindow) deleteProfile() {
	name := s.current
	question := fmt.Sprintf("Delete profile %q and remove its password and token from the keychain?", name)
	if next := s.nextDefault(name); next != "" {
		question += fmt.Sprintf(" It is the default profile: %q becomes the default, the one the add-ins use.", next)
	}
	ask(s.win, "Delete profile", question, []choice{
		{label: "Cancel", imp: widget.HighImportance},
		{label: "Delete", imp: widget.DangerImportance, do: func() { s.removeProfile(name) }},
	}, 0, 0)
}

// removeProfile deletes name and says which profile is the default now.
func (s *settingsWindow) removeProfile(name string) {
	s.setBusy(true)
	background(s.u, func() connection.Outcome {
		return s.u.svc.Remove(context.Background(), name)
	}, func(o connection.Outcome) {
		s.setBusy(false)
		if !o.OK() {
			s.saveFailed(o)
			return
		}
		wasDefault := s.isDefault
		s.dirty = false
		s.reloadProfiles("")
		body := fmt.Sprintf("Profile %q and its secrets are gone.", name)
		if st, err := s.u.opt.Store.Load(); err == nil && wasDefault && st.Default != "" {
			body += fmt.Sprintf(" %q is now the default profile.", st.Default)
		}
		s.result.note(theme.InfoIcon(), "Deleted", body, widget.MediumImportance)
	})
}

func (s *settingsWindow) makeDefault() {
	if err := s.u.opt.Store.SetDefault(s.current); err != nil {
		s.saveFailed(s.failed(err))
		return
	}
	s.reloadProfilesKeepResult(s.current)
}

// requestClose closes the window (the app stays in the tray or quits, see
// UI.quitIfIdle), asking
// first when changes would be lost.
func (s *settingsWindow) requestClose() {
	finish := func() {
		s.stop()
		s.dirty = false
		// Closed, not hidden, also when the app stays in the tray: a hidden
		// window keeps its memory for as long as the tray runs (tray.go).
		s.u.settings = nil
		s.win.Close()
	}
	if !s.dirty {
		finish()
		return
	}
	ask(s.win, "Unsaved changes", "You have changes that are not saved. Close and lose them?", []choice{
		{label: "Discard", do: finish},
		{label: "Keep editing", imp: widget.HighImportance},
	}, 1, 1)
}
