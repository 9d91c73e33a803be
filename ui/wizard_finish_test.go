package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/assets"
)

// Finish with "start in the tray" ticked: before the window goes, a notice
// says the app runs on in the tray, with the tray's icon for the state.
func TestWizardFinishInTraySaysSo(t *testing.T) {
	f, rec, w := wizardSaved(t)
	test.Tap(findButton(t, w.win.Canvas(), "Finish"))
	f.wait()
	got := rec.all()
	if len(got) == 0 || !f.u.trayRunning() {
		t.Fatalf("no notice (tray running %v)", f.u.trayRunning())
	}
	n := got[0]
	if !strings.Contains(n.Title, "tray") || !strings.Contains(n.Body, "Settings…") || n.Open == nil || n.Icon != assets.TrayOK {
		t.Errorf("notice %+v", n)
	}
	if !rec.wizardOpen[0] {
		t.Error("the notice came after the window had gone")
	}
}

// Finish without the tray says nothing about a tray.
func TestWizardFinishWithoutTraySaysNothing(t *testing.T) {
	f, rec, w := wizardSaved(t)
	w.autoRun.SetChecked(false)
	test.Tap(findButton(t, w.win.Canvas(), "Finish"))
	f.wait()
	if got := rec.all(); len(got) != 0 {
		t.Errorf("notices %+v", got)
	}
}

// wizardSaved walks a new wizard through a working login and saves it,
// recording the notices from the start.
func wizardSaved(t *testing.T) (*fixture, *notices, *wizard) {
	t.Helper()
	f := newFixture(t, plain)
	rec := f.recordNotices()
	w := f.openWizard()
	walkTo(t, f, w, janeToken)
	test.Tap(w.saveBtn)
	f.wait()
	return f, rec, w
}
