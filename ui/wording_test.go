package ui

// Widget tests from the desktop review of issue 8 ("Problem N" is that
// review's problem N), driven the way the user drove it: what the windows
// say: titles, plain words, details.

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// Problem 5: a corrected Lightning address is said on the step the user
// goes to, not only on the one they left.
func TestWizardSaysItCorrectedTheAddress(t *testing.T) {
	w := wizardMyDomain(t, "https://firm.lightning.force.com/lightning/page/home")
	if w.step != stepWho {
		t.Fatalf("step %d", w.step)
	}
	note := find(w.win.Canvas(), func(l *widget.Label) bool { return strings.Contains(l.Text, "Corrected to") })
	if note == nil || !strings.Contains(note.Text, "https://firm.my.salesforce.com") {
		t.Fatal("the correction is not shown on the step the user sees")
	}
	// An address that needed no correction shows no note.
	test.Tap(findButton(t, w.win.Canvas(), "Back"))
	test.Tap(findButton(t, w.win.Canvas(), "Next"))
	if find(w.win.Canvas(), func(l *widget.Label) bool { return strings.Contains(l.Text, "Corrected to") }) != nil {
		t.Error("the note stays after an address that needed no correction")
	}
}

// Problem 7: the titles say what happened.
func TestWizardTitlesFollowTheResult(t *testing.T) {
	f, w := wizardTested(t, "OldToken0123")
	if w.title.Text != titleTestFailed {
		t.Errorf("test step after a failure: %q", w.title.Text)
	}
	capture(t, w.win, "wizard-test-failed")
	test.Tap(w.anywayBt)
	f.wait()
	if w.step != stepDone || w.title.Text == stepTitles[stepDone] || w.title.Text != titleSavedUntested {
		t.Errorf("after Save anyway: step %d title %q", w.step, w.title.Text)
	}
	capture(t, w.win, "wizard-saved-untested")

	f2 := newFixture(t, plain)
	f2.u.ShowWizard()
	w2 := f2.u.wizard
	walkTo(t, f2, w2, janeToken)
	if w2.title.Text != titleTestOK {
		t.Errorf("test step after success: %q", w2.title.Text)
	}
	// Return saves, and Return on the success step finishes.
	press(w2.win.Canvas(), fyne.KeyReturn, 0)
	f2.wait()
	if w2.step != stepDone || w2.title.Text != "You're connected" {
		t.Fatalf("Return after success: step %d title %q", w2.step, w2.title.Text)
	}
	press(w2.win.Canvas(), fyne.KeyReturn, 0)
	f2.wait()
	if w2.open {
		t.Error("Return on the success step did not finish")
	}
}

// Problem 13: plain words.
func TestPlainWords(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	for _, it := range s.form.advancedItems(s.win) {
		if strings.Contains(it.Text, "API") || strings.Contains(it.Text, "Method") {
			t.Errorf("Advanced label %q", it.Text)
		}
	}
	for _, o := range s.form.method.Options {
		if strings.Contains(o, "SOAP") || strings.Contains(o, "OAuth") || strings.Contains(o, "()") {
			t.Errorf("method choice %q", o)
		}
	}
	if len(s.profiles.Options) != 2 || s.profiles.Options[0] != "default" || s.profiles.Selected != "default" {
		t.Errorf("picker %q selected %q", s.profiles.Options, s.profiles.Selected)
	}
	sub := find(s.win.Canvas(), func(l *widget.Label) bool { return strings.HasPrefix(l.Text, "The Salesforce login") })
	if sub == nil || sub.Importance == widget.LowImportance {
		t.Error("subtitle in the faint low-importance colour")
	}
	// Deleting the default profile says which one is the default now.
	test.Tap(s.deleteBtn)
	if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, `"work" becomes the default`) {
		t.Errorf("delete question %q", txt)
	}
	test.Tap(findButton(t, s.win.Canvas(), "Delete"))
	f.wait()
	if !strings.Contains(s.result.body.Text, `"work" is now the default profile`) {
		t.Errorf("after delete: %q", s.result.body.Text)
	}
	// The Lightning path beside the Classic one.
	for _, want := range []string{"My Personal Information", "Quick Find", "My Settings → Personal"} {
		if !strings.Contains(tokenHowTo, want) {
			t.Errorf("token how-to lacks %q", want)
		}
	}
}

// Problem 13: "What Salesforce said" only over Salesforce's own words.
// (The hints fit every face: sfclient's TestHintsFitEveryFace.)
func TestDetailsTitleAndHints(t *testing.T) {
	refused := connection.FromResult(credstore.Profile{}, sfclient.Result{Code: sfclient.CodeInvalidLogin})
	tests := []struct {
		name string
		o    connection.Outcome
		want string
	}{
		{"refused", refused, detailsSalesforce},
		{"network", connection.FromResult(credstore.Profile{}, sfclient.Result{Code: sfclient.CodeNetwork}), detailsOther},
		{"timeout", connection.FromResult(credstore.Profile{}, sfclient.Result{Code: sfclient.CodeTimeout}), detailsOther},
		{"TLS", connection.FromResult(credstore.Profile{}, sfclient.Result{Code: sfclient.CodeTLS}), detailsOther},
		{"unusable setting", connection.Failed(credstore.Profile{}, &sfclient.ConfigError{Field: "proxy", Value: "bad", Reason: "not a URL"}), detailsOther},
		{"sign-in not finished", connection.Failed(credstore.Profile{}, &sfclient.SignInError{Code: sfclient.CodeSignInTimeout, Message: "timed out"}), detailsOther},
	}
	for _, tt := range tests {
		if got := detailsTitle(tt.o); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// The stale-token hint names the Lightning path too (the checker's
	// text, as the settings window shows it).
	f := newFixture(t, nil)
	s := f.openSettings()
	f.testTyped(s, "StaleToken0123")
	if b := s.result.body.Text; !strings.Contains(b, "My Personal Information") || !strings.Contains(b, "My Settings → Personal") {
		t.Errorf("stale-token hint %q", b)
	}
}

// Problem 13: a failure that is not Salesforce's says "Details".
func TestNetworkFailureDetailsTitle(t *testing.T) {
	f := newFixture(t, func(c *sftest.Config) { c.PlainHTTP = true })
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	f.srv.Close() // nothing answers any more: connection refused
	test.Tap(s.testBtn)
	f.wait()
	if s.last == nil || s.last.Kind() != connection.KindConnection {
		t.Fatalf("tested %+v", s.last)
	}
	if s.result.details.title() != detailsOther {
		t.Errorf("details titled %q for %s", s.result.details.title(), s.last.Code)
	}
}
