package ui

// This file holds the Settings window itself: its parts, its layout and size,
// the state of its buttons and closing it. Its sections are in settings_*.go.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
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
	signInNote                               *widget.Label // under signInBtn: what it does, or what it lacks
	mainForm                                 *widget.Form
	formItems                                func(browser, advanced, move bool) []*widget.FormItem
	formShows                                *[3]bool   // the rows mainForm shows: browser, advanced, the switch of a saved password profile
	advancedOpen                             bool       // the Advanced rows are shown
	advancedBtn                              *keyButton // "Advanced" ▸/▾
	scroll                                   *container.Scroll
	panel                                    *fyne.Container // the verdict and progress, pinned above the buttons (settings_layout.go)
	panelRule                                *widget.Separator
	hint                                     *container.Scroll  // the verdict's hint, details and Find out why, in the panel
	diag                                     *diagnosticsButton // "Copy diagnostics" (diagnostics.go)
	title                                    fyne.CanvasObject  // the app's icon, name and what it is for; hidden on a short screen
	shown                                    bool               // shown once: centred then
	fittedHeight                             float32            // the height fitWindow last gave
	fitBase                                  float32            // while fitting: the height the panel's share is of
	shownHeadline                            string             // the headline the panel's hint was scrolled to the top for
	switchBtn                                *keyButton         // "Sign in with browser instead" after a fitting failure
	moveBtn                                  *keyButton         // "Switch to browser sign-in": a saved password profile's row (settings_switch.go)
	switchNote                               *widget.Label      // under moveBtn: when the password login stops working
	offering                                 bool               // the form shows moveBtn's row

	// editModel is the window's state: the profile being edited, the
	// last outcome, busy and cancel (model.go). The form's values are in
	// form.v.
	editModel
}

func newSettingsWindow(u *UI) *settingsWindow {
	s := &settingsWindow{u: u, form: newProfileForm(), result: newResultView(), labels: map[string]string{}}
	u.lockForm(s.form)
	s.browserFirst()
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
	// Two rows, so that the bar fits a narrow window; its buttons wrap
	// in a narrower one.
	profileBar := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("Profile"), nil, s.profiles),
		newFlowRowFromStart(layoutSpacer(), s.addBtn, s.renameBtn, s.deleteBtn, s.defaultBtn))

	help := tokenHelp(s.win, s.form.loginURL, u.openAddress)
	s.signInBtn = newKeyButton("Sign in with browser…", theme.LoginIcon(), s.signIn)
	s.signInBtn.Importance = widget.HighImportance
	s.signInNote = widget.NewLabel(signInNoteText)
	s.signInNote.Wrapping = fyne.TextWrapWord
	s.signInRow = container.NewVBox(container.NewHBox(s.signInBtn), s.signInNote)
	s.switchBtn = newKeyButton("Sign in with browser instead", theme.LoginIcon(), s.switchToBrowser)
	s.switchBtn.Hide()
	s.moveBtn = newKeyButton(switchLabel, theme.LoginIcon(), func() { s.switchSaved(s.current) })
	s.switchNote = widget.NewLabel("")
	s.switchNote.Wrapping = fyne.TextWrapWord
	moveItem := &widget.FormItem{Text: "Sign-in", Widget: container.NewVBox(container.NewHBox(s.moveBtn), s.switchNote)}
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
	s.formItems = func(browser, open, move bool) []*widget.FormItem {
		items := append([]*widget.FormItem{}, where...)
		if browser {
			items = append(items, signInItem, userItem)
		} else {
			items = append(items, userItem, passItem, tokenItem)
		}
		if move {
			items = append(items, moveItem)
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
	buttons := newFlowRow(layoutSpacer(), s.closeBtn, s.saveBtn, s.cancelBtn, s.testBtn)

	s.title = header(u.opt.Icons.App, "The Salesforce login your AdvoLogix add-ins use")
	body := container.NewVBox(s.title, s.banner, profileBar, widget.NewSeparator(), main)
	s.win.SetContent(s.frame(body, buttons))
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

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// header is the window's title block: the app icon, its name and a line
// of what it is for.
func header(icon fyne.Resource, subtitle string) fyne.CanvasObject {
	name := widget.NewLabel("AdvoLogix Connect")
	name.TextStyle = fyne.TextStyle{Bold: true}
	name.SizeName = theme.SizeNameSubHeadingText
	sub := widget.NewLabel(subtitle) // the text colour: low importance is too faint in the light theme
	sub.Wrapping = fyne.TextWrapWord // a narrow window
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
	first := !s.shown
	s.shown = true
	s.win.Show()
	if first {
		// Shown, its scale is known: fit it to the screen, then centre it
		// (not against the screen's left edge).
		s.fittedHeight = 0
		s.fitWindow()
		s.win.CenterOnScreen()
	}
	s.win.RequestFocus()
}

// markDirty notes a change. A verdict shown is marked as being about the
// inputs before the change (resultView.markStale); the last test's outcome
// is kept for the use-case layer, which reuses it for a save only when the
// inputs are back to exactly what was tested.
func (s *settingsWindow) markDirty() {
	s.dirty = true
	s.result.markStale()
	s.noteClientID() // a client id typed or cleared
	if s.offering {
		s.syncSignIn() // the switch is of the profile as saved
	}
	if s.switchBtn.Visible() {
		s.switchBtn.Hide() // it answered the old verdict
		s.resultChanged()
	}
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
	// A new profile not saved yet can be renamed, and discarded when there
	// is a saved one to go back to.
	enable(s.renameBtn, s.canEditSaved() || (s.isNew && !s.busy))
	enable(s.deleteBtn, s.canEditSaved() || (s.isNew && !s.busy && len(s.profiles.Options) > 1))
	enable(s.defaultBtn, !s.busy && !s.isNew && !s.isDefault)
	if s.busy {
		s.profiles.Disable()
	} else {
		s.profiles.Enable()
	}
}

func (s *settingsWindow) setBusy(b bool) {
	s.busy = b
	s.refreshButtons()
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
