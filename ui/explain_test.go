package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

const staleToken = "OldTokenOldTokenOldToken"

func TestFindOutWhyWithBrowserProfile(t *testing.T) {
	f := browserFixture(t, nil)
	f.saveProfile("jane", credstore.Secrets{Password: janePass, SecurityToken: staleToken})
	refresh, err := f.srv.BrowserSignIn(jane, testClientID, sfclient.CallbackURL(f.u.opt.CallbackPort))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Save(context.Background(), credstore.Profile{Name: "jane (browser)", LoginURL: f.srv.URL(), Username: jane,
		Method: credstore.MethodOAuthBrowser, ClientID: testClientID, CAFile: f.ca}, credstore.Secrets{RefreshToken: refresh}); err != nil {
		t.Fatal(err)
	}
	s := f.openSettings()
	if s.current != "jane" {
		t.Fatalf("opened %q", s.current)
	}
	test.Tap(s.testBtn)
	f.wait()
	if len(f.srv.HistoryQueries()) != 0 {
		t.Fatalf("queried before the user asked")
	}
	test.Tap(findButton(t, s.win.Canvas(), explainText))
	f.wait()
	r := s.result
	if r.headline.Text != "Salesforce recorded a missing or outdated security token" || !strings.Contains(r.body.Text, "Reset My Security Token") ||
		!strings.Contains(r.message.Text, "Login History: Failed: API security token required") || !strings.Contains(r.message.Text, "INVALID_LOGIN") {
		t.Errorf("explained result: %q / %q / %q", r.headline.Text, r.body.Text, r.message.Text)
	}
	if n := len(f.srv.HistoryQueries()); n != 1 {
		t.Errorf("%d history queries, want 1", n)
	}
	if lookupButton(s.win.Canvas(), explainText) != nil {
		t.Errorf("the button stays after the explanation")
	}
}

func TestFindOutWhySignsInFirst(t *testing.T) {
	f := browserFixture(t, nil)
	s := f.openSettings()
	s.form.method.SetSelected(methodLabel(sfclient.MethodSOAP)) // a new profile starts with browser sign-in here
	f.fillForm(s.form, jane, "Wr0ng-Horse", janeToken)
	test.Tap(s.testBtn)
	f.wait()
	b := findButton(t, s.win.Canvas(), explainSignInText)
	if len(f.opened) != 0 || len(f.srv.HistoryQueries()) != 0 {
		t.Fatalf("signed in or queried before the user asked")
	}
	test.Tap(b)
	f.wait()
	for i := 0; i < 50 && len(f.srv.HistoryQueries()) == 0; i++ {
		f.wait()
	}
	r := s.result
	if len(f.opened) != 1 || r.headline.Text != "Salesforce recorded a wrong password" || !strings.Contains(r.body.Text, "Forgot your password") {
		t.Errorf("after sign-in: opened %d, %q / %q", len(f.opened), r.headline.Text, r.body.Text)
	}
	bp, err := f.store.Profile("jane (browser)")
	if err != nil || bp.Method != credstore.MethodOAuthBrowser || bp.Username != jane {
		t.Errorf("browser profile not saved: %+v %v", bp, err)
	}
}

func TestNoFindOutWhyWithoutAWayToAsk(t *testing.T) {
	f := newFixture(t, nil) // no client id for browser sign-in anywhere
	s := f.openSettings()
	f.testTyped(s, staleToken)
	if !strings.Contains(s.result.headline.Text, "rejected") {
		t.Fatalf("result %q", s.result.headline.Text)
	}
	if lookupButton(s.win.Canvas(), explainText) != nil || lookupButton(s.win.Canvas(), explainSignInText) != nil {
		t.Errorf("offered an explanation without a session or a way to get one")
	}
	if len(f.srv.HistoryQueries()) != 0 {
		t.Errorf("queried")
	}
}
