package ui

// Widget tests from the desktop review of issue 8 ("Problem N" is that
// review's problem N), driven the way the user drove it: cancelling a
// connection test to a host that never answers.

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/sfclient"
)

// Problem 6: a host that never answers: Cancel ends the test at once and
// the form comes back; its late answer is not shown.
func TestWizardCancelTest(t *testing.T) {
	f, release := gatedFixture(t, plain)
	defer release()
	w := f.openWizard()
	f.typeMyDomain(w.form)
	test.Tap(findButton(t, w.win.Canvas(), "Next"))
	test.Type(w.form.username, jane)
	test.Type(w.form.password, janePass)
	test.Tap(w.nextWho)
	test.Type(w.form.token, janeToken)
	test.Tap(findButton(t, w.win.Canvas(), "Test connection"))
	keyButtonNamed(t, w.win.Canvas(), "Cancel")
	if foc := w.win.Canvas().Focused(); foc != nil {
		t.Errorf("focus on %#v while testing: a second Return would reach it", foc)
	}
	press(w.win.Canvas(), fyne.KeyReturn, 0) // a second Return: nothing
	if !w.busy {
		t.Fatal("a second Return cancelled the test")
	}
	press(w.win.Canvas(), fyne.KeyEscape, 0) // Escape cancels, as the button does
	if w.busy || w.step != stepToken || w.form.token.Text != janeToken {
		t.Fatalf("after Cancel: busy %v step %d token kept %v", w.busy, w.step, w.form.token.Text == janeToken)
	}
	f.wait() // the abandoned request ends with its context
	release()
	if w.step != stepToken || w.result.headline.Visible() {
		t.Errorf("the cancelled test's answer was shown: step %d %q", w.step, w.result.headline.Text)
	}
	if lookupButton(w.win.Canvas(), "Cancel") != nil {
		t.Error("Cancel still shown")
	}
}

func TestSettingsCancelTest(t *testing.T) {
	f, release := gatedFixture(t, nil)
	defer release()
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	test.Tap(s.testBtn)
	if !s.cancelBtn.Visible() {
		t.Fatal("no Cancel while testing")
	}
	test.Tap(s.cancelBtn)
	if s.busy || s.testBtn.Disabled() || s.cancelBtn.Visible() || s.result.headline.Text != "Test cancelled" {
		t.Fatalf("after Cancel: busy %v test disabled %v cancel shown %v %q", s.busy, s.testBtn.Disabled(), s.cancelBtn.Visible(), s.result.headline.Text)
	}
	f.wait()
	release()
	if s.result.headline.Text != "Test cancelled" {
		t.Errorf("late answer shown: %q", s.result.headline.Text)
	}
}

// Problem 6 and 11: Escape cancels a test; a second Return does not.
func TestSettingsEscapeCancelsTest(t *testing.T) {
	f, release := gatedFixture(t, nil)
	defer release()
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	s.win.Canvas().Focus(s.form.token)
	press(s.win.Canvas(), fyne.KeyReturn, 0) // in the token field: Test
	if !s.busy {
		t.Fatal("Return in a field did not test")
	}
	press(s.win.Canvas(), fyne.KeyReturn, 0)
	if !s.busy {
		t.Fatal("a second Return ended the test")
	}
	press(s.win.Canvas(), fyne.KeyEscape, 0)
	if s.busy || s.result.headline.Text != "Test cancelled" {
		t.Fatalf("Escape: busy %v %q", s.busy, s.result.headline.Text)
	}
	f.wait()
	if n := f.logins(); n > 1 {
		t.Errorf("%d logins", n)
	}
}

// Problem 6: the timeout's hint fits the window: no field it has not.
func TestTimeoutHintFitsTheWindow(t *testing.T) {
	f, release := gatedFixture(t, plain)
	defer release()
	f.u.opt.Timeout = 300 * time.Millisecond
	f.u.svc = newService(f.u.opt)
	w := f.openWizard()
	walkTo(t, f, w, janeToken)
	if w.last.Code != sfclient.CodeTimeout {
		t.Fatalf("code %s, want a timeout", w.last.Code)
	}
	hint := w.result.body.Text
	if strings.Contains(hint, "raise the timeout") || strings.Contains(hint, "--timeout") || !strings.Contains(hint, "300ms") {
		t.Errorf("hint %q", hint)
	}
	if w.title.Text != titleTestUnreachable {
		t.Errorf("title %q", w.title.Text)
	}
}
