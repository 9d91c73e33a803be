package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
)

// Tests of the Settings window's smaller confusions (issue #22).

func TestNewProfileIsSelectedListedAndFocused(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	test.Tap(s.addBtn)
	test.Type(dialogEntry(t, s.win.Canvas()), "sandbox")
	test.Tap(findButton(t, s.win.Canvas(), "Create"))
	f.wait()
	if s.labels[s.profiles.Selected] != "sandbox" {
		t.Errorf("the picker shows %q, want the new profile", s.profiles.Selected)
	}
	listed := false
	for _, o := range s.profiles.Options {
		listed = listed || s.labels[o] == "sandbox"
	}
	if !listed {
		t.Errorf("the new profile is not in the picker's list %q", s.profiles.Options)
	}
	if s.renameBtn.Disabled() || s.deleteBtn.Disabled() {
		t.Errorf("Rename disabled %v, Delete disabled %v for the new profile", s.renameBtn.Disabled(), s.deleteBtn.Disabled())
	}
	if got := s.win.Canvas().Focused(); got != fyne.Focusable(s.form.username) {
		t.Errorf("focus on %T, want the username", got)
	}
}

func TestRenameToATakenNameStaysInTheDialog(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	s.switchTo("work")
	f.wait()
	test.Tap(s.renameBtn)
	e := dialogEntry(t, s.win.Canvas())
	e.SetText("Default")
	if e.Validate() == nil {
		t.Fatal("a name taken in another case passes validation (a green ✓)")
	}
	if err := e.Validate(); !strings.Contains(err.Error(), "taken") {
		t.Errorf("validation says %q, want that the name is taken", err)
	}
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	f.wait()
	if s.win.Canvas().Overlays().Top() == nil {
		t.Error("submitting a taken name closed the dialog")
	}
	if strings.Contains(s.result.body.Text, "advologix-connect") {
		t.Errorf("the window points to the command line: %q", s.result.body.Text)
	}
}

func TestDeleteNamesOnlyTheSecretsTheProfileHas(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	if err := f.store.Save(context.Background(), credstore.Profile{Name: "browser", LoginURL: f.srv.URL(), Username: jane,
		Method: credstore.MethodOAuthBrowser, ClientID: "cid", CAFile: f.ca}, credstore.Secrets{RefreshToken: "rt"}); err != nil {
		t.Fatal(err)
	}
	s := f.openSettings()
	s.switchTo("browser")
	f.wait()
	test.Tap(s.deleteBtn)
	text := overlayText(s.win.Canvas())
	if strings.Contains(text, "token") && !strings.Contains(text, "sign-in") || strings.Contains(text, "password") {
		t.Errorf("Delete of a browser profile says %q", text)
	}
	if !strings.Contains(text, "browser sign-in") {
		t.Errorf("Delete of a browser profile does not name its sign-in: %q", text)
	}
}

func TestDiagnosticsCopiedDialogKeyboard(t *testing.T) {
	for _, key := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEscape} {
		f := newFixture(t, nil)
		f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
		s := f.openSettings()
		test.Tap(findButton(t, s.win.Canvas(), "Copy diagnostics"))
		f.wait()
		c := s.win.Canvas()
		if !strings.Contains(overlayText(c), "Diagnostics copied") {
			t.Fatalf("no dialog: %q", overlayText(c))
		}
		foc, ok := c.Focused().(*keyButton)
		if !ok {
			t.Fatalf("the dialog opens with the focus on %T, want its button", c.Focused())
		}
		foc.TypedKey(&fyne.KeyEvent{Name: key})
		if c.Overlays().Top() != nil {
			t.Errorf("%s left the dialog open", key)
		}
	}
}

// focusables walks the Settings window with Tab from the first focusable
// object and returns what gets the focus, once round.
func focusables(s *settingsWindow) []fyne.Focusable {
	c := s.win.Canvas()
	c.Unfocus()
	c.FocusNext()
	first := c.Focused()
	var got []fyne.Focusable
	for o := first; o != nil; {
		got = append(got, o)
		c.FocusNext()
		if o = c.Focused(); o == first || len(got) > 100 {
			break
		}
	}
	return got
}

func TestRevealButtonsReachableWithTab(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	for _, e := range []*widget.Entry{s.form.password, s.form.token} {
		reached := false
		for _, o := range focusables(s) {
			ab, _ := e.ActionItem.(fyne.Focusable)
			reached = reached || (ab != nil && o == ab)
		}
		if !reached {
			t.Errorf("Tab does not reach the eye button of %q (%T)", e.PlaceHolder, e.ActionItem)
			continue
		}
		e.ActionItem.(fyne.Focusable).TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if e.Password {
			t.Errorf("Return on the eye button did not reveal %q", e.PlaceHolder)
		}
	}
}

// Every button of ours Tab reaches draws the focus ring (a keyButton), not
// Fyne's grey fill.
func TestFocusedButtonsShowTheRing(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: staleToken})
	s := f.openSettings()
	test.Tap(s.testBtn)
	f.wait()
	for _, o := range focusables(s) {
		if b, ok := o.(*widget.Button); ok {
			t.Errorf("button %q gets the focus as a plain widget.Button: a grey fill, no ring", b.Text)
		}
	}
}

func TestValidationMessagesAreSentences(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	test.Tap(s.testBtn)
	if got := s.result.body.Text; got != "Enter your Salesforce username" {
		t.Errorf("empty username: %q", got)
	}
	s.form.env.SetSelected(envMyDomain)
	test.Tap(s.testBtn)
	if got := s.result.body.Text; !strings.HasPrefix(got, "Enter your My Domain address") {
		t.Errorf("empty My Domain: %q", got)
	}
}

// centringApp records CenterOnScreen on the windows it makes.
type centringApp struct {
	*recordingApp
	centred map[string]bool
}

type centringWindow struct {
	fyne.Window
	a *centringApp
}

func (a *centringApp) NewWindow(title string) fyne.Window {
	return &centringWindow{Window: a.recordingApp.NewWindow(title), a: a}
}

func (w *centringWindow) CenterOnScreen() {
	w.a.centred[w.Title()] = true
	w.Window.CenterOnScreen()
}

func TestSettingsCentredOnScreen(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	a := &centringApp{recordingApp: f.app, centred: map[string]bool{}}
	u := New(a, f.u.opt)
	u.post = f.enqueue
	u.ShowSettings()
	u.tasks.Wait()
	f.wait()
	t.Cleanup(u.StopTray)
	if !a.centred["AdvoLogix Connect"] {
		t.Error("the Settings window is not centred on the screen")
	}
}
