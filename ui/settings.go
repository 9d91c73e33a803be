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
	"fyne.io/fyne/v2/dialog"
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

	testBtn, saveBtn                         *widget.Button
	addBtn, renameBtn, deleteBtn, defaultBtn *widget.Button
	signInBtn                                *widget.Button // "Sign in with browser…" (browser method)
	signInRow                                *fyne.Container
	mainForm                                 *widget.Form
	formItems                                func(browser bool) []*widget.FormItem
	formIsBrowser                            *bool          // the rows mainForm shows
	switchBtn                                *widget.Button // "Sign in with browser instead" after a fitting failure

	current     string            // profile being edited
	isNew       bool              // not saved yet
	isDefault   bool              // current is the default profile
	loaded      credstore.Secrets // secrets read from the keychain for current
	dirty       bool
	busy        bool
	keychainErr error
	tested      *testedInputs // the inputs of the last successful test
	cancel      context.CancelFunc
}

// sameSettings compares what a check depends on.
func sameSettings(a, b credstore.Profile) bool {
	return a.Name == b.Name && a.LoginURL == b.LoginURL && a.Username == b.Username && a.Method == b.Method &&
		a.ClientID == b.ClientID && a.APIVersion == b.APIVersion && a.Proxy == b.Proxy && a.CAFile == b.CAFile
}

// testedInputs remembers (in memory only) what a successful test used, so a
// save right after it does not test again.
type testedInputs struct {
	p credstore.Profile
	s credstore.Secrets
}

func newSettingsWindow(u *UI) *settingsWindow {
	s := &settingsWindow{u: u, form: newProfileForm(), result: newResultView(), labels: map[string]string{}}
	u.lockForm(s.form)
	s.win = u.app.NewWindow("AdvoLogix Connect")
	s.form.onChanged = s.markDirty
	s.form.onSubmit = s.test
	s.result.why.attach(u, func() (credstore.Profile, error) { return s.form.profile(s.current) })

	s.bannerText = widget.NewLabel("")
	s.bannerText.Wrapping = fyne.TextWrapWord
	s.bannerText.Importance = widget.DangerImportance
	retry := widget.NewButtonWithIcon("Try again", theme.ViewRefreshIcon(), s.probeKeychain)
	s.banner = container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), retry, s.bannerText)
	s.banner.Hide()

	s.profiles = widget.NewSelect(nil, func(label string) { s.switchTo(s.labels[label]) })
	s.addBtn = widget.NewButtonWithIcon("", theme.ContentAddIcon(), s.addProfile)
	s.renameBtn = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), s.renameProfile)
	s.deleteBtn = widget.NewButtonWithIcon("", theme.DeleteIcon(), s.deleteProfile)
	s.defaultBtn = widget.NewButton("Make default", s.makeDefault)
	profileBar := container.NewBorder(nil, nil, widget.NewLabel("Profile"),
		container.NewHBox(s.addBtn, s.renameBtn, s.deleteBtn, s.defaultBtn), s.profiles)

	help := tokenHelp(s.win, s.form.loginURL, u.opt.OpenURL)
	s.signInBtn = widget.NewButtonWithIcon("Sign in with browser…", theme.LoginIcon(), s.signIn)
	s.signInBtn.Importance = widget.HighImportance
	signInNote := widget.NewLabel("No password or security token to keep up to date: Salesforce keeps you signed in.")
	signInNote.Wrapping = fyne.TextWrapWord
	s.signInRow = container.NewVBox(container.NewHBox(s.signInBtn), signInNote)
	s.switchBtn = widget.NewButtonWithIcon("Sign in with browser instead", theme.LoginIcon(), s.switchToBrowser)
	s.switchBtn.Hide()
	onMethod := s.form.method.OnChanged
	s.form.method.OnChanged = func(v string) {
		onMethod(v)
		s.syncSignIn()
	}
	where := lockItems(s.form, s.form.whereItems())
	signInItem := &widget.FormItem{Text: "Sign-in", Widget: s.signInRow}
	userItem := widget.NewFormItem("Username", s.form.username)
	passItem := widget.NewFormItem("Password", s.form.password)
	tokenItem := &widget.FormItem{Text: "Security token", Widget: container.NewBorder(nil, nil, nil, help, s.form.token),
		HintText: "added after the password for you; case-sensitive"}
	main := widget.NewForm()
	// The rows follow the method: a browser profile has no password or
	// token, a password profile no sign-in button.
	s.formItems = func(browser bool) []*widget.FormItem {
		if browser {
			return append(append([]*widget.FormItem{}, where...), signInItem, userItem)
		}
		return append(append([]*widget.FormItem{}, where...), userItem, passItem, tokenItem)
	}
	s.mainForm = main
	advanced := widget.NewAccordion(widget.NewAccordionItem("Advanced", widget.NewForm(lockItems(s.form, s.form.advancedItems(s.win))...)))

	s.testBtn = widget.NewButtonWithIcon("Test connection", theme.MediaPlayIcon(), s.test)
	s.testBtn.Importance = widget.HighImportance
	s.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), s.save)
	closeBtn := widget.NewButton("Close", s.requestClose)
	buttons := container.NewHBox(layoutSpacer(), closeBtn, s.saveBtn, s.testBtn)

	body := container.NewVBox(header(u.opt.Icons.App, "The Salesforce login your AdvoLogix add-ins use"), s.banner, profileBar, widget.NewSeparator(), main, advanced, widget.NewSeparator(), s.result.box, container.NewHBox(s.switchBtn))
	s.win.SetContent(container.NewBorder(nil, container.NewPadded(buttons), nil, nil, container.NewVScroll(container.NewPadded(body))))
	s.win.Resize(fyne.NewSize(580, 680))
	s.win.SetCloseIntercept(s.requestClose)
	s.reloadProfiles("")
	s.addDiagnostics()
	s.syncSignIn()
	s.probeKeychain()
	return s
}

// browserMethod tells whether the form is set to browser sign-in.
func (s *settingsWindow) browserMethod() bool {
	return methodFromLabel(s.form.method.Selected) == sfclient.MethodOAuthBrowser
}

// syncSignIn shows the rows of the chosen method: the sign-in button for
// browser profiles, password and token for the others.
func (s *settingsWindow) syncSignIn() {
	if s.mainForm == nil {
		return
	}
	browser := s.browserMethod()
	if s.formIsBrowser == nil || *s.formIsBrowser != browser {
		s.mainForm.Items = s.formItems(browser)
		s.mainForm.Refresh()
		s.formIsBrowser = &browser
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
	s.form.method.SetSelected(sfclient.MethodOAuthBrowser.Label())
	if s.form.clientID.Text == "" {
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
	if err == nil && p.ClientID == "" && s.u.defaultClientID() == "" {
		err = errors.New("browser sign-in needs the connected app's client id (Advanced → Client ID); ask your Salesforce admin for it")
	}
	if err != nil {
		s.result.note(theme.WarningIcon(), "Not ready to sign in", err.Error(), widget.WarningImportance)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.setBusy(true)
	s.switchBtn.Hide()
	s.result.busy(signInWait(s.u.opt.SignInTimeout))
	s.u.signIn(ctx, p, func(o signInOutcome) {
		cancel()
		s.setBusy(false)
		showSignIn(s.result, o)
		if o.saved {
			s.dirty = false
			s.loaded = o.secrets
			s.form.loading = true
			s.form.username.SetText(o.profile.Username)
			s.form.clientID.SetText(o.profile.ClientID)
			s.form.loading = false
			s.reloadProfilesKeepResult(o.profile.Name)
			s.syncSignIn()
			if s.u.tray != nil {
				s.u.tray.settingsSaved()
			}
		}
	})
}

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// header is the window's title block: the app icon, its name and a line
// of what it is for.
func header(icon fyne.Resource, subtitle string) fyne.CanvasObject {
	name := widget.NewLabel("AdvoLogix Connect")
	name.TextStyle = fyne.TextStyle{Bold: true}
	name.SizeName = theme.SizeNameSubHeadingText
	sub := widget.NewLabel(subtitle)
	sub.Importance = widget.LowImportance
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

func (s *settingsWindow) markDirty() {
	s.dirty = true
	s.tested = nil
	s.refreshButtons()
}

func (s *settingsWindow) refreshButtons() {
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	enable(s.testBtn, !s.busy)
	enable(s.saveBtn, !s.busy && s.keychainErr == nil && (s.dirty || s.isNew))
	enable(s.addBtn, !s.busy)
	enable(s.renameBtn, !s.busy && !s.isNew && s.keychainErr == nil)
	enable(s.deleteBtn, !s.busy && !s.isNew && s.keychainErr == nil)
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
		if n == st.Default {
			label += "  (default profile)"
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
	dialog.ShowConfirm("Unsaved changes", fmt.Sprintf("Discard the changes to profile %q?", s.current), func(ok bool) {
		if ok {
			s.dirty = false
			s.reloadProfiles(name)
		} else {
			s.selectLabelOf(s.current)
		}
	}, s.win)
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
	s.current, s.isNew, s.isDefault, s.dirty, s.tested = name, false, isDefault, false, nil
	s.loaded = credstore.Secrets{}
	s.form.load(p, credstore.Secrets{})
	s.result.clear()
	if p.Interrupted() {
		s.result.note(theme.WarningIcon(), "The last save of this profile was interrupted",
			"Test the connection, or enter the password and token again and save.", widget.WarningImportance)
	}
	s.setBusy(true)
	background(s.u, func() loadedSecrets {
		sec, err := s.u.opt.Store.Secrets(context.Background(), name)
		return loadedSecrets{sec, err}
	}, func(ls loadedSecrets) {
		s.setBusy(false)
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

type loadedSecrets struct {
	sec credstore.Secrets
	err error
}

// startNew begins an unsaved profile called name.
func (s *settingsWindow) startNew(name string) {
	s.current, s.isNew, s.isDefault, s.dirty, s.tested = name, true, false, false, nil
	s.loaded = credstore.Secrets{}
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
	typed := s.form.secrets()
	typed.RefreshToken = s.loaded.RefreshToken
	typed.ClientSecret = s.loaded.ClientSecret
	return connection.SecretsFor(p, typed)
}

// test runs a check of the form's values in the background.
func (s *settingsWindow) test() { s.testThen(nil) }

func (s *settingsWindow) testThen(after func(p credstore.Profile, sec credstore.Secrets, r sfclient.Result)) {
	if s.busy {
		return
	}
	p, err := s.form.profile(s.current)
	if err != nil {
		s.result.note(theme.WarningIcon(), "Not ready to test", err.Error(), widget.WarningImportance)
		return
	}
	sec := s.secretsToSave(p)
	browser := p.Method == credstore.MethodOAuthBrowser
	if browser && (s.isNew || s.loaded.RefreshToken == "") {
		s.result.note(theme.InfoIcon(), "Sign in with the browser first", "A browser profile is tested with the sign-in Salesforce keeps; there is none yet.", widget.MediumImportance)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.setBusy(true)
	s.switchBtn.Hide()
	s.result.busy("Testing the connection to " + p.LoginURL + "…")
	background(s.u, func() sfclient.Result {
		if browser {
			// Through the store: a refresh token Salesforce rotates is kept.
			saved, err := s.u.opt.Store.Profile(p.Name)
			if err != nil {
				return configResult(p, err)
			}
			r, err := s.u.checkSavedBrowser(ctx, saved)
			if err != nil && r.Method == "" {
				return configResult(p, err)
			}
			return r
		}
		return s.u.checkTyped(ctx, p, sec)
	}, func(r sfclient.Result) {
		cancel()
		s.setBusy(false)
		if r.Code == sfclient.CodeCanceled {
			s.result.clear()
			return
		}
		s.result.show(r)
		if r.OK {
			s.tested = &testedInputs{p, sec}
		}
		if !r.OK && pointsToBrowser(r) && (s.form.clientID.Text != "" || s.u.defaultClientID() != "") {
			s.switchBtn.Show()
		}
		if after != nil {
			after(p, sec, r)
		}
	})
}

// save stores the profile: after a passing test, or after the user chose
// to save anyway.
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
	if s.tested != nil && sameSettings(s.tested.p, p) && s.tested.s == sec {
		s.store(p, sec)
		return
	}
	s.testThen(func(p credstore.Profile, sec credstore.Secrets, r sfclient.Result) {
		if r.OK {
			s.store(p, sec)
			return
		}
		question := "The test failed: " + r.Headline + ". Save these credentials anyway?"
		if r.Kind() == sfclient.KindConnection {
			question = "Salesforce could not be reached (" + r.Headline + "), so the credentials are untested. Save them anyway?"
		}
		d := dialog.NewConfirm("Save anyway?", question, func(ok bool) {
			if ok {
				s.store(p, sec)
			}
		}, s.win)
		d.SetConfirmText("Save anyway")
		d.SetDismissText("Don't save")
		d.Show()
	})
}

// store writes the profile to the keychain and the settings file.
func (s *settingsWindow) store(p credstore.Profile, sec credstore.Secrets) {
	s.setBusy(true)
	background(s.u, func() error {
		return s.u.opt.Store.Save(context.Background(), p, sec)
	}, func(err error) {
		s.setBusy(false)
		if err != nil {
			s.saveFailed(err)
			return
		}
		s.dirty = false
		s.loaded = sec
		s.reloadProfilesKeepResult(p.Name)
		if s.u.tray != nil {
			s.u.tray.settingsSaved()
		}
	})
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
	if s.result.headline.Text == "" {
		s.result.note(theme.ConfirmIcon(), "Saved", fmt.Sprintf("Profile %q is saved; its secrets are in the keychain.", name), widget.SuccessImportance)
	} else if !strings.HasSuffix(s.result.headline.Text, " — saved") && s.result.headline.Importance == widget.SuccessImportance {
		s.result.headline.SetText(s.result.headline.Text + " — saved")
	}
}

func (s *settingsWindow) saveFailed(err error) {
	var ke *credstore.KeychainError
	if errors.As(err, &ke) {
		s.showBanner(err)
	}
	s.result.note(theme.ErrorIcon(), "Not saved", strings.TrimSpace(err.Error()+"\n"+hintOf(err)), widget.DangerImportance)
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
	text := err.Error()
	if h := hintOf(err); h != "" && !strings.Contains(text, h) {
		text += " " + h
	}
	s.keychainErr = err
	s.bannerText.SetText("Saving is not possible: " + text + " Testing still works.")
	s.banner.Show()
	s.refreshButtons()
}

func (s *settingsWindow) addProfile() {
	name := widget.NewEntry()
	name.SetPlaceHolder("e.g. sandbox")
	name.Validator = credstore.ValidateName
	dialog.ShowForm("New profile", "Create", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
		if !ok {
			return
		}
		if _, err := s.u.opt.Store.Profile(name.Text); err == nil {
			dialog.ShowError(fmt.Errorf("a profile named %q exists already", name.Text), s.win)
			return
		}
		start := func() {
			s.profiles.ClearSelected()
			s.startNew(name.Text)
		}
		if s.dirty {
			dialog.ShowConfirm("Unsaved changes", fmt.Sprintf("Discard the changes to profile %q?", s.current), func(ok bool) {
				if ok {
					start()
				}
			}, s.win)
			return
		}
		start()
	}, s.win)
}

func (s *settingsWindow) renameProfile() {
	name := widget.NewEntry()
	name.SetText(s.current)
	name.Validator = credstore.ValidateName
	old := s.current
	dialog.ShowForm("Rename profile", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("New name", name)}, func(ok bool) {
		if !ok || name.Text == old {
			return
		}
		s.setBusy(true)
		background(s.u, func() error {
			return s.u.opt.Store.Rename(context.Background(), old, name.Text)
		}, func(err error) {
			s.setBusy(false)
			if err != nil {
				s.saveFailed(err)
				return
			}
			s.reloadProfilesKeepResult(name.Text)
		})
	}, s.win)
}

func (s *settingsWindow) deleteProfile() {
	name := s.current
	dialog.ShowConfirm("Delete profile", fmt.Sprintf("Delete profile %q and remove its password and token from the keychain?", name), func(ok bool) {
		if !ok {
			return
		}
		s.setBusy(true)
		background(s.u, func() error {
			return s.u.opt.Store.Delete(context.Background(), name)
		}, func(err error) {
			s.setBusy(false)
			if err != nil {
				s.saveFailed(err)
				return
			}
			s.dirty = false
			s.reloadProfiles("")
			s.result.note(theme.InfoIcon(), "Deleted", fmt.Sprintf("Profile %q and its secrets are gone.", name), widget.MediumImportance)
		})
	}, s.win)
}

func (s *settingsWindow) makeDefault() {
	if err := s.u.opt.Store.SetDefault(s.current); err != nil {
		s.saveFailed(err)
		return
	}
	s.reloadProfilesKeepResult(s.current)
}

// requestClose closes (or, with the tray running, hides) the window, asking
// first when changes would be lost.
func (s *settingsWindow) requestClose() {
	finish := func() {
		if s.cancel != nil {
			s.cancel()
		}
		s.dirty = false
		if s.u.trayRunning() {
			s.win.Hide()
			s.reloadProfiles(s.current)
			return
		}
		s.u.settings = nil
		s.win.Close()
	}
	if !s.dirty {
		finish()
		return
	}
	d := dialog.NewConfirm("Unsaved changes", "You have changes that are not saved. Close and lose them?", func(ok bool) {
		if ok {
			finish()
		}
	}, s.win)
	d.SetConfirmText("Discard")
	d.SetDismissText("Keep editing")
	d.Show()
}
