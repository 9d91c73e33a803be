package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/credstore"
)

// Issue 9 item 5: a saved profile whose login host is not a Salesforce
// domain says so as soon as it is shown, before any test.
func TestLoadedProfileFlagsForeignHost(t *testing.T) {
	test.NewTempApp(t)
	f := newProfileForm()
	f.load(credstore.Profile{Name: "p", LoginURL: "https://evil.example", Username: "jane@firm.com", Method: credstore.MethodSOAP}, credstore.Secrets{})
	if !f.urlNote.Visible() || !strings.Contains(f.urlNote.Text, "not a Salesforce login domain") {
		t.Errorf("note visible %v text %q", f.urlNote.Visible(), f.urlNote.Text)
	}
	f.load(credstore.Profile{Name: "q", LoginURL: "https://firm.my.salesforce.com", Username: "jane@firm.com", Method: credstore.MethodSOAP}, credstore.Secrets{})
	if f.urlNote.Visible() {
		t.Errorf("note %q shown for a My Domain", f.urlNote.Text)
	}
}
