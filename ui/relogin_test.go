package ui

// Widget tests from the desktop review of issue 8 ("Problem N" is that
// review's problem N), driven the way the user drove it: a failed test's
// login is not sent again for the same inputs.

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Problem 3: Save after a failed test asks "Save anyway?" with that
// result, without logging in again, also when an input was changed and
// changed back.
func TestSettingsSaveAfterFailedTestDoesNotLogInAgain(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	f.testTyped(s, "StaleToken0123")
	if n := f.logins(); n != 1 {
		t.Fatalf("%d logins after one test", n)
	}
	test.Type(s.form.token, "X")
	s.form.token.SetText("StaleToken0123")
	test.Tap(s.saveBtn)
	f.wait()
	if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, "The test failed") {
		t.Fatalf("no save-anyway question; overlay: %q", txt)
	}
	if n := f.logins(); n != 1 {
		t.Errorf("Save after a failed test logged in again: %d logins for the same inputs", n)
	}
	// Return takes the safe choice: nothing is saved.
	if foc, ok := s.win.Canvas().Focused().(*keyButton); !ok || foc.Text != "Don't save" {
		t.Fatalf("focus in the save-anyway dialog: %#v", s.win.Canvas().Focused())
	}
	press(s.win.Canvas(), fyne.KeyReturn, 0)
	if _, err := f.store.Profile("default"); err == nil {
		t.Error("Return in the save-anyway dialog saved")
	}
	// A changed input is a new login: tested once.
	s.form.token.SetText(janeToken)
	test.Tap(s.saveBtn)
	f.wait()
	if n := f.logins(); n != 2 {
		t.Errorf("%d logins, want 2 after changing the token", n)
	}
	if _, err := f.store.Profile("default"); err != nil {
		t.Errorf("passing test: not saved: %v", err)
	}
}

// A Return after a failed test does not send the same login again.
func TestSettingsReturnAfterFailedTest(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, "StaleToken0123")
	c := s.win.Canvas()
	c.Focus(s.testBtn)
	press(c, fyne.KeyReturn, 0)
	f.wait()
	press(c, fyne.KeyReturn, 0)
	f.wait()
	if n := f.logins(); n != 1 {
		t.Errorf("%d logins after Return, Return", n)
	}
}
