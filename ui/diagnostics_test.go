package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/credstore"
)

func TestCopyDiagnostics(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	if err := f.store.SetDefault("default"); err != nil {
		t.Fatal(err)
	}
	s := f.openSettings()
	f.srv.ResetRequests()

	kb := find(s.win.Canvas(), func(b *keyButton) bool { return b.Text == "Copy diagnostics" })
	if kb == nil {
		t.Fatal("no Copy diagnostics button")
	}
	btn := &kb.Button
	// It leads the row of the window's buttons.
	row := parentOf(s.win.Content(), kb)
	if row == nil || len(row.Objects) < 3 || row.Objects[0] != fyne.CanvasObject(kb) || !slices.Contains(row.Objects, fyne.CanvasObject(s.saveBtn)) {
		t.Fatalf("Copy diagnostics is not at the start of the button row")
	}
	if _, ok := row.Objects[1].(*layout.Spacer); !ok {
		t.Error("the button row lost its spacer")
	}
	test.Tap(btn)
	if !btn.Disabled() || btn.Text != "Collecting diagnostics…" {
		t.Errorf("while running: disabled %v text %q", btn.Disabled(), btn.Text)
	}
	f.wait()
	got := f.app.Clipboard().Content()
	for _, want := range []string{"AdvoLogix Connect diagnostics", "[ OK ] salesforce", "[ OK ] keychain", "[ OK ] tls", "[SKIP] login ", " passed, 0 failed, "} {
		if !strings.Contains(got, want) {
			t.Errorf("clipboard lacks %q:\n%s", want, got)
		}
	}
	for _, secret := range []string{janePass, janeToken} {
		if strings.Contains(got, secret) {
			t.Error("the diagnostics hold a secret")
		}
	}
	if btn.Disabled() || btn.Text != "Copy diagnostics" {
		t.Errorf("after: disabled %v text %q", btn.Disabled(), btn.Text)
	}
	if o := overlayText(s.win.Canvas()); !strings.Contains(o, "Diagnostics copied") || !strings.Contains(o, "passed") {
		t.Errorf("no confirmation: %q", o)
	}
	// Copying diagnostics never logs in.
	if n := f.logins(); n != 0 {
		t.Errorf("%d logins", n)
	}
}

// parentOf finds the container that holds o.
func parentOf(root, o fyne.CanvasObject) *fyne.Container {
	c, ok := root.(*fyne.Container)
	if !ok {
		return nil
	}
	for _, child := range c.Objects {
		if child == o {
			return c
		}
		if p := parentOf(child, o); p != nil {
			return p
		}
	}
	return nil
}
