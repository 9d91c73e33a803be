package ui

// Widget tests from the desktop review of issue 8 ("Problem N" is that
// review's problem N), driven the way the user drove it: the dialogs
// (profile name, unsaved changes, no browser) and their keys.

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
)

// Problem 4 (and 11): the name dialogs are wide enough, focused, submit on
// Return and cancel on Escape.
func TestProfileDialogsKeyboard(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	c := s.win.Canvas()

	test.Tap(s.addBtn)
	entry, ok := c.Focused().(*keyEntry)
	if !ok {
		t.Fatalf("add dialog: focus on %#v, want its name field", c.Focused())
	}
	wide := fyne.MeasureText("sandbox account", theme.TextSize(), fyne.TextStyle{}).Width + 4*theme.Padding()
	if entry.Size().Width < wide {
		t.Errorf("name field %v wide, want at least %v (fits \"sandbox account\")", entry.Size().Width, wide)
	}
	capture(t, s.win, "settings-new-profile-dialog")
	press(c, fyne.KeyReturn, 0) // no name yet: stays open
	if c.Overlays().Top() == nil {
		t.Fatal("Return with an invalid name closed the dialog")
	}
	entry.SetText("sandbox")
	press(c, fyne.KeyReturn, 0)
	if c.Overlays().Top() != nil || !s.isNew || s.current != "sandbox" {
		t.Fatalf("Return did not create: overlay %v current %q new %v", c.Overlays().Top() != nil, s.current, s.isNew)
	}

	s.profiles.SetSelected("work  (default)")
	f.wait()
	test.Tap(s.renameBtn)
	entry, ok = c.Focused().(*keyEntry)
	if !ok || entry.Text != "work" {
		t.Fatalf("rename dialog: focus on %#v", c.Focused())
	}
	entry.SetText("sandbox account")
	if entry.Size().Width < wide {
		t.Errorf("rename field %v wide, want at least %v", entry.Size().Width, wide)
	}
	capture(t, s.win, "settings-rename-dialog")
	entry.SetText("work")
	press(c, fyne.KeyEscape, 0)
	if c.Overlays().Top() != nil {
		t.Fatal("Escape did not close the rename dialog")
	}
	if _, err := f.store.Profile("work"); err != nil || s.current != "work" {
		t.Fatalf("Escape renamed: %v %q", err, s.current)
	}
	test.Tap(s.renameBtn)
	entry = c.Focused().(*keyEntry)
	entry.SetText("office")
	press(c, fyne.KeyReturn, 0)
	f.wait()
	if _, err := f.store.Profile("office"); err != nil || s.current != "office" {
		t.Fatalf("Return did not rename: %v %q", err, s.current)
	}
	capture(t, s.win, "settings-after-rename")
}

// Problem 11: the unsaved-changes question opens on the safe choice, which
// is the highlighted one; Escape keeps editing.
func TestUnsavedChangesDialogKeys(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	test.Type(s.form.token, "X")
	s.requestClose()
	c := s.win.Canvas()
	keep, ok := c.Focused().(*keyButton)
	if !ok || keep.Text != "Keep editing" || keep.Importance != widget.HighImportance {
		t.Fatalf("focus %#v", c.Focused())
	}
	if discard := keyButtonNamed(t, c, "Discard"); discard.Importance == widget.HighImportance {
		t.Error("Discard is the highlighted choice")
	}
	capture(t, s.win, "settings-unsaved-changes")
	press(c, fyne.KeyEscape, 0)
	if c.Overlays().Top() != nil || f.u.settings == nil || !strings.Contains(s.form.token.Text, "X") {
		t.Fatal("Escape did not keep editing")
	}
}

// Problem 12: no browser: plain words and the address to copy.
func TestNoBrowserOffersTheAddress(t *testing.T) {
	f := newFixture(t, nil)
	f.u.opt.OpenURL = func(*url.URL) error {
		return errors.New(`open the browser with xdg-open: exec: "xdg-open": executable file not found in $PATH`)
	}
	s := f.openSettings()
	s.form.env.SetSelected(envSandbox)
	test.Tap(findButton(t, s.win.Canvas(), "What is this?"))
	press(s.win.Canvas(), fyne.KeyReturn, 0) // the focused "Open Reset My Security Token"
	c := s.win.Canvas()
	txt := overlayText(c)
	if strings.Contains(txt, "exec:") || strings.Contains(txt, "$PATH") || !strings.Contains(txt, "No web browser") {
		t.Fatalf("dialog text %q", txt)
	}
	addr := dialogEntry(t, c)
	if !strings.HasPrefix(addr.Text, "https://test.salesforce.com/?startURL=") {
		t.Fatalf("address %q", addr.Text)
	}
	want := addr.Text
	test.Type(addr, "x")
	if addr.Text != want {
		t.Error("the address can be edited")
	}
	test.Tap(findButton(t, c, "Copy"))
	if got := f.app.Clipboard().Content(); got != want {
		t.Errorf("clipboard %q, want %q", got, want)
	}
	capture(t, s.win, "settings-no-browser")
}

// Problem 2 in dialogs: Space on the dialog's button creates the profile
// and is not handed on to the button that opened the dialog (which would
// open it again).
func TestSpaceInNameDialog(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	c := s.win.Canvas()
	c.Focus(s.addBtn)
	press(c, fyne.KeySpace, ' ')
	entry, ok := c.Focused().(*keyEntry)
	if !ok || entry.Text != "" {
		t.Fatalf("Space on New…: focus %#v", c.Focused())
	}
	typeText(c, "uat")
	c.Focus(keyButtonNamed(t, c, "Create"))
	press(c, fyne.KeySpace, ' ')
	if c.Overlays().Top() != nil || s.current != "uat" || !s.isNew {
		t.Fatalf("after Space on Create: dialog open %v, current %q", c.Overlays().Top() != nil, s.current)
	}
}
