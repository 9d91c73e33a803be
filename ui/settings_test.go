package ui

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

func TestSettingsTestSuccessAndSave(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	if !strings.Contains(s.win.Title(), "AdvoLogix Connect") {
		t.Errorf("title = %q", s.win.Title())
	}
	if !s.isNew || s.current != "default" {
		t.Fatalf("no profiles: want a new profile called default, got %q new=%v", s.current, s.isNew)
	}
	f.testTyped(s, janeToken)
	r := s.result
	if r.headline.Text != "Connected to Salesforce" || !strings.Contains(r.body.Text, "Jane Doe") ||
		!strings.Contains(r.body.Text, "Firm & Partners LLP") || !strings.Contains(r.body.Text, "production") {
		t.Fatalf("result = %q / %q", r.headline.Text, r.body.Text)
	}
	if r.details.Visible() {
		t.Error("details shown on success")
	}

	test.Tap(s.saveBtn)
	f.wait()
	if n := f.logins(); n != 1 {
		t.Errorf("save after a passing test logged in again: %d logins", n)
	}
	p, err := f.store.Profile("default")
	if err != nil || p.Username != jane || p.LoginURL != f.srv.URL() || p.CAFile != f.ca {
		t.Fatalf("saved profile = %+v, %v", p, err)
	}
	if v, _ := f.kr.Lookup(credstore.Service, "default:security_token"); v != janeToken {
		t.Errorf("token in keychain = %q", v)
	}
	if s.dirty || !s.saveBtn.Disabled() || !strings.Contains(s.profiles.Selected, "default") {
		t.Errorf("after save: dirty=%v save disabled=%v selected=%q", s.dirty, s.saveBtn.Disabled(), s.profiles.Selected)
	}
}

func TestSettingsFailureRendering(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	f.testTyped(s, "StaleToken0123")
	r := s.result
	if !strings.Contains(r.headline.Text, "rejected") || !strings.Contains(r.body.Text, "security token was reset") {
		t.Errorf("failure = %q / %q", r.headline.Text, r.body.Text)
	}
	if !r.details.Visible() || !strings.Contains(r.message.Text, "Invalid username, password, security token") ||
		!strings.Contains(r.message.Text, "INVALID_LOGIN") {
		t.Errorf("Salesforce's message not folded under the hint: %q", r.message.Text)
	}
}

func TestSettingsBusyState(t *testing.T) {
	f, release := gatedFixture(t, nil)
	defer release()
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	// Enter in the token field tests, as the button does.
	s.form.token.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !s.testBtn.Disabled() || !s.result.progress.Visible() || !strings.HasPrefix(s.result.headline.Text, "Testing") {
		t.Errorf("busy state: test disabled=%v progress=%v headline=%q", s.testBtn.Disabled(), s.result.progress.Visible(), s.result.headline.Text)
	}
	// A second press while busy does not start a second login.
	test.Tap(s.testBtn)
	release()
	f.wait()
	if s.testBtn.Disabled() || s.result.progress.Visible() || s.result.headline.Text != "Connected to Salesforce" {
		t.Errorf("after: test disabled=%v progress=%v headline=%q", s.testBtn.Disabled(), s.result.progress.Visible(), s.result.headline.Text)
	}
	if n := f.logins(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

// After a failed test, Save asks; "Save anyway" saves the typed
// credentials, "Don't save" nothing.
func TestSettingsSaveChoiceAfterFailure(t *testing.T) {
	for _, tt := range []struct {
		choice string
		saved  bool
	}{{"Save anyway", true}, {"Don't save", false}} {
		t.Run(tt.choice, func(t *testing.T) {
			f := newFixture(t, nil)
			s := f.openSettings()
			f.fillForm(s.form, jane, janePass, "StaleToken0123")
			test.Tap(s.saveBtn)
			f.wait()
			if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, "The test failed") {
				t.Fatalf("no save-anyway question; overlay: %q", txt)
			}
			test.Tap(findButton(t, s.win.Canvas(), tt.choice))
			f.wait()
			_, err := f.store.Profile("default")
			if saved := err == nil; saved != tt.saved {
				t.Fatalf("saved %v, want %v (%v)", saved, tt.saved, err)
			}
			v, _ := f.kr.Lookup(credstore.Service, "default:security_token")
			if want := map[bool]string{true: "StaleToken0123"}[tt.saved]; v != want || (!tt.saved && f.kr.Len() != 0) {
				t.Errorf("token in the keychain %q, want %q", v, want)
			}
		})
	}
}

func TestSettingsLoadsSavedProfile(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	if s.current != "work" || s.form.username.Text != jane || s.form.password.Text != janePass || s.form.token.Text != janeToken {
		t.Fatalf("loaded %q: %q / pw set %v / token set %v", s.current, s.form.username.Text, s.form.password.Text != "", s.form.token.Text != "")
	}
	if s.form.env.Selected != envMyDomain || s.form.myDomain.Text != f.srv.URL() {
		t.Errorf("environment %q %q", s.form.env.Selected, s.form.myDomain.Text)
	}
	if s.dirty || !s.saveBtn.Disabled() {
		t.Errorf("loading marked the form dirty")
	}
}

func TestSettingsUnsavedChangesAreNotLostSilently(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("work", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	s := f.openSettings()
	test.Type(s.form.token, "X")
	if !s.dirty || s.saveBtn.Disabled() {
		t.Fatal("typing did not mark the form dirty")
	}
	s.requestClose()
	if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, "not saved") {
		t.Fatalf("closing with changes asked nothing: %q", txt)
	}
	test.Tap(findButton(t, s.win.Canvas(), "Keep editing"))
	if f.u.settings == nil || !strings.Contains(s.form.token.Text, "X") {
		t.Fatal("'Keep editing' lost the changes")
	}
	s.requestClose()
	test.Tap(findButton(t, s.win.Canvas(), "Discard"))
	if f.u.settings != nil {
		t.Error("'Discard' did not close the window")
	}
	if sec, _ := f.store.Secrets(context.Background(), "work"); sec.SecurityToken != janeToken {
		t.Error("discarded changes reached the keychain")
	}
}

func TestSettingsKeychainUnavailableBanner(t *testing.T) {
	f := newFixture(t, nil)
	f.kr.FailWith(testfix.ErrNoService)
	s := f.openSettings()
	if !s.banner.Visible() || !strings.Contains(s.bannerText.Text, "GNOME Keyring") || !strings.Contains(s.bannerText.Text, "Testing still works") {
		t.Fatalf("banner visible=%v text=%q", s.banner.Visible(), s.bannerText.Text)
	}
	f.fillForm(s.form, jane, janePass, janeToken)
	if !s.saveBtn.Disabled() {
		t.Error("save enabled without a keychain")
	}
	test.Tap(s.testBtn)
	f.wait()
	if s.result.headline.Text != "Connected to Salesforce" {
		t.Errorf("test without a keychain: %q", s.result.headline.Text)
	}
	// The keychain comes back: "Try again" clears the banner.
	f.kr.FailWith(nil)
	test.Tap(findButton(t, s.win.Canvas(), "Try again"))
	f.wait()
	if s.banner.Visible() || s.saveBtn.Disabled() {
		t.Errorf("after the keychain came back: banner=%v save disabled=%v", s.banner.Visible(), s.saveBtn.Disabled())
	}
}

func TestSettingsLockedKeychainOnSave(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	f.testTyped(s, janeToken)
	unlock := f.kr.Lock()
	defer unlock()
	test.Tap(s.saveBtn)
	f.wait()
	if s.result.headline.Text != "Not saved" || !strings.Contains(s.result.body.Text, "locked") || !s.banner.Visible() {
		t.Errorf("locked keychain: %q %q banner=%v", s.result.headline.Text, s.result.body.Text, s.banner.Visible())
	}
	if s.form.password.Text != janePass {
		t.Error("the typed password was lost")
	}
}

func TestSettingsCorrectsLightningURL(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	s.form.env.SetSelected(envMyDomain)
	test.Type(s.form.myDomain, "https://firm.lightning.force.com/lightning/page/home")
	if got, err := s.form.loginURL(); err != nil || got != "https://firm.my.salesforce.com" {
		t.Fatalf("loginURL = %q, %v", got, err)
	}
	if s.form.myDomain.Text != "https://firm.my.salesforce.com" || !s.form.urlNote.Visible() || !strings.Contains(s.form.urlNote.Text, "Corrected") {
		t.Errorf("field %q note %q", s.form.myDomain.Text, s.form.urlNote.Text)
	}
}

func TestSettingsProfiles(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("production", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.saveProfile("sandbox", credstore.Secrets{Password: "sb-pass"})
	s := f.openSettings()
	if s.current != "production" || !s.defaultBtn.Disabled() {
		t.Fatalf("opened %q (default button disabled %v)", s.current, s.defaultBtn.Disabled())
	}
	if len(s.profiles.Options) != 2 || s.profiles.Options[0] != "production  (default)" {
		t.Errorf("picker = %q", s.profiles.Options)
	}
	// Switch, make default.
	s.profiles.SetSelected("sandbox")
	f.wait()
	if s.current != "sandbox" || s.form.password.Text != "sb-pass" {
		t.Fatalf("switch: %q %q", s.current, s.form.password.Text)
	}
	test.Tap(s.defaultBtn)
	if st, _ := f.store.Load(); st.Default != "sandbox" {
		t.Errorf("default = %q", st.Default)
	}
	// Rename through the dialog.
	test.Tap(s.renameBtn)
	entry := dialogEntry(t, s.win.Canvas())
	entry.SetText("uat")
	test.Tap(findButton(t, s.win.Canvas(), "Rename"))
	f.wait()
	if _, err := f.store.Profile("uat"); err != nil || s.current != "uat" {
		t.Fatalf("rename: %v, current %q", err, s.current)
	}
	if v, _ := f.kr.Lookup(credstore.Service, "uat:password"); v != "sb-pass" {
		t.Errorf("secret did not follow the rename: %q", v)
	}
	// Delete, with confirmation.
	test.Tap(s.deleteBtn)
	test.Tap(findButton(t, s.win.Canvas(), "Delete"))
	f.wait()
	if _, err := f.store.Profile("uat"); err == nil {
		t.Error("profile still there after delete")
	}
	if _, ok := f.kr.Lookup(credstore.Service, "uat:password"); ok {
		t.Error("secrets still in the keychain after delete")
	}
	if s.current != "production" {
		t.Errorf("after delete showing %q", s.current)
	}
	// Add: a new, unsaved profile.
	test.Tap(s.addBtn)
	dialogEntry(t, s.win.Canvas()).SetText("second")
	test.Tap(findButton(t, s.win.Canvas(), "Create"))
	if !s.isNew || s.current != "second" || s.form.username.Text != "" {
		t.Errorf("add: %q new=%v", s.current, s.isNew)
	}
}

func TestSettingsTokenHelpOpensResetPage(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	s.form.env.SetSelected(envSandbox)
	test.Tap(findButton(t, s.win.Canvas(), "What is this?"))
	if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, "trusted network") || !strings.Contains(txt, "resets it") {
		t.Fatalf("explanation = %q", txt)
	}
	test.Tap(findButton(t, s.win.Canvas(), "Open Reset My Security Token"))
	if len(f.opened) != 1 || !strings.HasPrefix(f.opened[0], "https://test.salesforce.com/?startURL=") {
		t.Errorf("opened %q", f.opened)
	}
}

func TestSettingsNetworkDownOffersSaveAnyway(t *testing.T) {
	f := newFixture(t, func(c *sftest.Config) {
		c.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
			w.WriteHeader(http.StatusBadGateway)
			return true
		}
	})
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	test.Tap(s.saveBtn)
	f.wait()
	if txt := overlayText(s.win.Canvas()); !strings.Contains(txt, "could not be reached") {
		t.Fatalf("overlay = %q", txt)
	}
}
