package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

// Issue #19: a saved password profile offers "Switch to browser sign-in"
// with the date its password login stops; one click moves it, keeping its
// settings, and the password and token leave the keychain.
func TestSettingsSwitchesASavedPasswordProfile(t *testing.T) {
	f := browserFixture(t, plain)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	b := lookupButton(s.win.Canvas(), switchLabel)
	if b == nil || b.Disabled() || !labelShown(s.win.Canvas(), "stops working in Summer '27") {
		t.Fatalf("offer: button %v, note %q", b, s.switchNote.Text)
	}
	test.Tap(b)
	f.wait()
	p, err := f.store.Profile("default")
	if err != nil || p.LoginMethod() != credstore.MethodOAuthBrowser || p.CAFile != f.ca || p.LoginURL != f.srv.URL() || p.Username != jane {
		t.Fatalf("after the switch: %+v %v (result %q %q)", p, err, s.result.headline.Text, s.result.body.Text)
	}
	for _, kind := range []string{"password", "security_token"} {
		if _, ok := f.kr.Lookup(credstore.Service, "default:"+kind); ok {
			t.Errorf("%s still in the keychain", kind)
		}
	}
	if !strings.HasPrefix(s.result.headline.Text, "Switched to browser sign-in") || lookupButton(s.win.Canvas(), switchLabel) != nil ||
		!s.browserMethod() || lookupButton(s.win.Canvas(), "Sign in again…") == nil {
		t.Errorf("shown after: %q, switch offered %v, browser form %v, %q", s.result.headline.Text, s.offering, s.browserMethod(), s.signInBtn.Text)
	}
}

// Someone else signing in in the browser changes nothing, and the window
// says so.
func TestSettingsSwitchRefusesSomeoneElse(t *testing.T) {
	f := browserFixture(t, annSignsIn)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	before, _ := f.store.Profile("default")
	s := f.openSettings()
	test.Tap(findButton(t, s.win.Canvas(), switchLabel))
	f.wait()
	after, _ := f.store.Profile("default")
	if after.Generation != before.Generation || after.LoginMethod() != credstore.MethodSOAP {
		t.Errorf("the profile changed: %+v", after)
	}
	if v, _ := f.kr.Lookup(credstore.Service, "default:password"); v != janePass {
		t.Error("the password left the keychain")
	}
	if !strings.Contains(s.result.headline.Text, "someone else: nothing changed") || !strings.Contains(s.result.body.Text, jane) {
		t.Errorf("result %q / %q", s.result.headline.Text, s.result.body.Text)
	}
}

// Without a client id the offer is shown, off, and says what is missing;
// a new profile starts with the password.
func TestSettingsSwitchWithoutClientID(t *testing.T) {
	f := newFixture(t, plain)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	if b := lookupButton(s.win.Canvas(), switchLabel); b == nil || !b.Disabled() || !labelShown(s.win.Canvas(), "not set up") ||
		!strings.Contains(s.switchNote.Text, "Summer '27") || !strings.Contains(s.switchNote.Text, "Advanced → Client ID") {
		t.Errorf("offer without a client id: button %v, note %q", b, s.switchNote.Text)
	}
	s.startNew("second")
	if s.browserMethod() || s.form.method.Options[0] != methodLabel(credstore.MethodSOAP) {
		t.Errorf("new profile without a client id: %q first, %q chosen", s.form.method.Options[0], s.form.v.method)
	}
	s.form.method.SetSelected(methodLabel(credstore.MethodOAuthBrowser))
	if !strings.Contains(s.signInNote.Text, "not set up") {
		t.Errorf("browser sign-in row without a client id says %q", s.signInNote.Text)
	}
}

// With a client id, a new profile starts with browser sign-in, listed
// first; the password methods say until when they work.
func TestSettingsBrowserFirstWithClientID(t *testing.T) {
	f := browserFixture(t, plain)
	s := f.openSettings()
	if !s.isNew || !s.browserMethod() || s.form.method.Options[0] != methodLabel(credstore.MethodOAuthBrowser) {
		t.Errorf("new profile: %q first, %q chosen", s.form.method.Options, s.form.v.method)
	}
	for _, want := range []string{"until Summer '27", "until 20 February 2027"} {
		if !strings.Contains(strings.Join(s.form.method.Options, "|"), want) {
			t.Errorf("no method says %q: %q", want, s.form.method.Options)
		}
	}
	if lookupButton(s.win.Canvas(), switchLabel) != nil || s.signInNote.Text != signInNoteText {
		t.Errorf("new profile: switch offered %v, sign-in note %q", s.offering, s.signInNote.Text)
	}
}

// The tray offers the switch for a default password profile, runs it in
// one click, says how it went, and takes the offer back.
func TestTraySwitchesTheDefaultProfile(t *testing.T) {
	f := browserFixture(t, plain)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.startTray()
	item := f.app.menuItem(t, switchLabel)
	if item.Disabled || item.Label != switchLabel {
		t.Fatalf("switch item %q disabled %v", item.Label, item.Disabled)
	}
	item.Action()
	f.wait()
	p, err := f.store.Profile("default")
	if err != nil || p.LoginMethod() != credstore.MethodOAuthBrowser {
		t.Fatalf("after the switch: %+v %v", p, err)
	}
	sent := f.app.sent()
	if len(sent) == 0 || !strings.Contains(sent[len(sent)-1].Title, "switched to browser sign-in") {
		t.Errorf("notifications %+v", sent)
	}
	for _, it := range f.app.menu.Items {
		if strings.HasPrefix(it.Label, switchLabel) {
			t.Errorf("the switch is still offered: %q", it.Label)
		}
	}
}

// The wizard: with a client id, browser sign-in first and the password
// path with its date; without one, the password first and the browser
// option, off, saying what it lacks.
func TestWizardFirstChoice(t *testing.T) {
	t.Run("with a client id", func(t *testing.T) {
		f := browserFixture(t, plain)
		w := f.openWizard()
		c := w.win.Canvas()
		browser, password := findButton(t, c, "Sign in with browser"), findButton(t, c, usePasswordLabel)
		if browser.Importance != widget.HighImportance || password.Importance == widget.HighImportance || lookupButton(c, "Next") != nil {
			t.Errorf("first choice: browser %v, password %v", browser.Importance, password.Importance)
		}
		if !strings.Contains(password.Text, "Summer '27") || !labelShown(c, "20 February 2027") {
			t.Errorf("the password path does not say when it stops: %q", password.Text)
		}
	})
	t.Run("without a client id", func(t *testing.T) {
		f := newFixture(t, plain)
		w := f.openWizard()
		c := w.win.Canvas()
		off := findButton(t, c, switchNotSetUp)
		if !off.Disabled() || findButton(t, c, "Next").Disabled() {
			t.Errorf("browser option enabled %v", !off.Disabled())
		}
		if !labelShown(c, "not set up on this computer") || !labelShown(c, "20 February 2027") {
			t.Error("the wizard does not say what browser sign-in lacks, or when passwords stop")
		}
	})
}

// labelShown tells whether a visible label on c holds text.
func labelShown(c fyne.Canvas, text string) bool {
	return find(c, func(l *widget.Label) bool { return strings.Contains(l.Text, text) }) != nil
}

// Without a client id the tray shows the switch off, saying why.
func TestTraySwitchWithoutClientID(t *testing.T) {
	f := newFixture(t, plain)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.startTray()
	if item := f.app.menuItem(t, switchLabel); !item.Disabled || item.Label != menuSwitchNotSetUp {
		t.Errorf("switch item %q disabled %v", item.Label, item.Disabled)
	}
}

// A login URL the IT policy presets skips the wizard's first step only when
// there is no browser sign-in to offer there: with the policy's client id
// the wizard starts with it, the password path one click away.
func TestPolicyWizardPresetLoginWithClientID(t *testing.T) {
	f := newFixture(t, plain)
	withTestPolicy(f, credstore.Policy{LoginURL: f.srv.URL(), ClientID: "cid", Locked: []string{"login_url"}})
	f.u.Open()
	w := f.u.wizard
	c := w.win.Canvas()
	if w.step != stepWhere || lookupButton(c, "Sign in with browser") == nil {
		t.Fatalf("step %d: browser sign-in not the first choice", w.step)
	}
	test.Tap(findButton(t, c, usePasswordLabel))
	if w.step != stepWho {
		t.Errorf("the password path went to step %d", w.step)
	}
}

// Editing a saved password profile takes the switch (of the profile as
// saved) away, and the field typed in keeps the focus and the text.
func TestSettingsSwitchGoesWhenEdited(t *testing.T) {
	f := browserFixture(t, plain)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	c := s.win.Canvas()
	if lookupButton(c, switchLabel) == nil {
		t.Fatal("no switch offered")
	}
	c.Focus(s.form.token)
	test.Type(s.form.token, "X")
	if lookupButton(c, switchLabel) != nil || c.Focused() != s.form.token || len(s.form.token.Text) != len(janeToken)+1 {
		t.Errorf("after an edit: switch offered %v, focus %v, token %d characters", s.offering, c.Focused() == s.form.token, len(s.form.token.Text))
	}
}

// The tray's switch as someone else changes nothing and says so.
func TestTraySwitchRefusesSomeoneElse(t *testing.T) {
	f := browserFixture(t, annSignsIn)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.startTray()
	f.app.menuItem(t, switchLabel).Action()
	f.wait()
	if p, _ := f.store.Profile("default"); p.LoginMethod() != credstore.MethodSOAP {
		t.Errorf("the profile changed: %+v", p)
	}
	sent := f.app.sent()
	if len(sent) == 0 || !strings.Contains(sent[len(sent)-1].Title, "not switched") || !strings.Contains(sent[len(sent)-1].Content, "someone else") {
		t.Errorf("notifications %+v", sent)
	}
	if item := f.app.menuItem(t, switchLabel); item.Disabled {
		t.Error("the switch is no longer offered after a refusal")
	}
}

// annSignsIn is an emulator (plain HTTP) on which Ann, another user,
// signs in whenever the browser is asked.
func annSignsIn(c *sftest.Config) {
	c.PlainHTTP = true
	c.Users = append(c.Users, sftest.User{Username: "ann@firm.example.com", Password: "ann-pass", SecurityToken: "AnnTokenAnnTokenAnnToken"})
	c.AuthorizeAs = "ann@firm.example.com"
}
