package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// hitKey sends a key as the driver does: to the focused object, else to
// the window's handler.
func hitKey(c fyne.Canvas, key fyne.KeyName) {
	if f := c.Focused(); f != nil {
		f.TypedKey(&fyne.KeyEvent{Name: key})
	} else if h := c.OnTypedKey(); h != nil {
		h(&fyne.KeyEvent{Name: key})
	}
}

// An untrusted certificate (the emulator on https, whose CA the wizard
// cannot be given) is on this computer's own address: the wizard says so,
// names no setting it does not have, and says what to do from here.
func TestWizardUntrustedCertificateSaysWhatToDoHere(t *testing.T) {
	f := newFixture(t, nil)
	w := f.openWizard()
	walkTo(t, f, w, janeToken)
	said := w.result.headline.Text + "\n" + w.result.body.Text
	if w.last.Code != "TLS_ERROR" || !w.result.body.Visible() {
		t.Fatalf("code %q shown %q", w.last.Code, said)
	}
	for _, bad := range []string{"--ca-file", "Advanced, or", "on your network"} {
		if strings.Contains(said, bad) {
			t.Errorf("the wizard says %q: %q", bad, said)
		}
	}
	for _, good := range []string{"this computer", "test or demo server", "Save anyway", "Finish and open Settings"} {
		if !strings.Contains(said, good) {
			t.Errorf("the wizard does not say %q: %q", good, said)
		}
	}
	test.Tap(w.anywayBt)
	f.wait()
	if w.step != stepDone || strings.Contains(w.summary.Text, "again to fix") ||
		!strings.Contains(w.summary.Text, "Finish and open Settings") || !strings.Contains(w.summary.Text, "Extra CA file") {
		t.Fatalf("step %d summary %q", w.step, w.summary.Text)
	}
	test.Tap(findButton(t, w.win.Canvas(), "Finish and open Settings"))
	f.wait()
	if w.open || f.u.settings == nil {
		t.Fatalf("wizard open %v, settings %v", w.open, f.u.settings != nil)
	}
	if s := f.u.settings; s.current != defaultNewProfile || s.result.headline.Text != w.last.Headline {
		t.Errorf("Settings on %q shows %q, want the test's %q", s.current, s.result.headline.Text, w.last.Headline)
	}
}

// After Save anyway the last page says what to do here and now — Back to
// the result, fix, test again — not "open the app again" while it is open.
func TestWizardSavedUntestedGoesBackToFix(t *testing.T) {
	f, w := wizardTested(t, "OldToken0123")
	test.Tap(w.anywayBt)
	f.wait()
	if w.step != stepDone || w.title.Text != titleSavedUntested {
		t.Fatalf("step %d title %q", w.step, w.title.Text)
	}
	if strings.Contains(w.summary.Text, "again to fix") || !strings.Contains(w.summary.Text, "choose Back") {
		t.Errorf("summary %q", w.summary.Text)
	}
	hitKey(w.win.Canvas(), fyne.KeyEscape) // Escape is Back here too
	if w.step != stepTest || !w.fixBtn.Visible() || w.fixBtn.Text != "Change security token" || !w.result.headline.Visible() {
		t.Fatalf("after Escape: step %d fix %v %q headline %q", w.step, w.fixBtn.Visible(), w.fixBtn.Text, w.result.headline.Text)
	}
	test.Tap(w.fixBtn)
	w.form.token.SetText(janeToken)
	test.Tap(findButton(t, w.win.Canvas(), "Test connection"))
	f.wait()
	test.Tap(w.saveBtn)
	f.wait()
	if w.step != stepDone || w.doneBack.Visible() || w.doneOpen.Visible() || !strings.Contains(w.summary.Text, "Jane Doe") {
		t.Fatalf("after fixing: step %d back %v summary %q", w.step, w.doneBack.Visible(), w.summary.Text)
	}
	if sec, err := f.store.Secrets(t.Context(), defaultNewProfile); err != nil || sec.SecurityToken != janeToken {
		t.Errorf("the fixed token was not saved: %v", err)
	}
}

// A passing test may still be the wrong account: Back is there, and Escape
// goes back as it does.
func TestWizardBackAfterPassingTest(t *testing.T) {
	f, w := wizardTested(t, janeToken)
	if !w.last.OK() || !w.saveBtn.Visible() {
		t.Fatalf("the test did not pass: %q", w.result.headline.Text)
	}
	if w.win.Canvas().Focused() != w.saveBtn {
		t.Errorf("focus on %#v, want Save", w.win.Canvas().Focused())
	}
	hitKey(w.win.Canvas(), fyne.KeyEscape)
	if w.step != stepToken {
		t.Fatalf("Escape after a passing test: step %d", w.step)
	}
	test.Tap(findButton(t, w.win.Canvas(), "Test connection"))
	f.wait()
	test.Tap(findButton(t, w.win.Canvas(), "Back"))
	if w.step != stepToken {
		t.Fatalf("Back after a passing test: step %d", w.step)
	}
	test.Tap(findButton(t, w.win.Canvas(), "Back"))
	if w.step != stepWho || w.form.username.Text != jane {
		t.Errorf("step %d username %q: the account cannot be changed", w.step, w.form.username.Text)
	}
}
