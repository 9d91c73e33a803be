package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

// plain serves the emulator over http on loopback: the wizard has no CA
// field, and plain http to this computer is allowed for tests.
func plain(c *sftest.Config) { c.PlainHTTP = true }

// wizardTested opens the wizard on a new fixture (plain HTTP) and walks
// it to the test with token.
func wizardTested(t *testing.T, token string) (*fixture, *wizard) {
	t.Helper()
	f := newFixture(t, plain)
	w := f.openWizard()
	walkTo(t, f, w, token)
	return f, w
}

// wizardMyDomain opens the wizard on a new fixture, types address as the
// My Domain and taps Next.
func wizardMyDomain(t *testing.T, address string) *wizard {
	t.Helper()
	w := newFixture(t, plain).openWizard()
	w.form.env.SetSelected(envMyDomain)
	test.Type(w.form.myDomain, address)
	test.Tap(findButton(t, w.win.Canvas(), "Next"))
	return w
}

// walkTo fills the wizard's steps up to the test.
func walkTo(t *testing.T, f *fixture, w *wizard, token string) {
	t.Helper()
	f.typeMyDomain(w.form)
	test.Tap(findButton(t, w.win.Canvas(), "Next"))
	if w.step != stepWho {
		t.Fatalf("step = %d after environment; note %q", w.step, w.form.urlNote.Text)
	}
	if !w.nextWho.Disabled() {
		t.Error("Next enabled without username and password")
	}
	test.Type(w.form.username, jane)
	test.Type(w.form.password, janePass)
	test.Tap(w.nextWho)
	if w.step != stepToken {
		t.Fatalf("step = %d after username", w.step)
	}
	if token == "" {
		test.Tap(findButton(t, w.win.Canvas(), "I don't have one"))
	} else {
		test.Type(w.form.token, token)
		test.Tap(findButton(t, w.win.Canvas(), "Test connection"))
	}
	f.wait()
	if w.step != stepTest {
		t.Fatalf("step = %d, want the test", w.step)
	}
}

func TestWizardFirstRun(t *testing.T) {
	f := newFixture(t, plain)
	f.u.Open()
	if f.u.wizard == nil || f.u.settings != nil {
		t.Fatal("no profile: Open should show the wizard")
	}
	w := f.u.wizard
	if !strings.Contains(w.win.Title(), "AdvoLogix Connect") || w.title.Text != stepTitles[stepWhere] {
		t.Errorf("title %q step %q", w.win.Title(), w.title.Text)
	}
	walkTo(t, f, w, janeToken)
	// After a pass the only way back is Back: no "Change …" button.
	if w.result.headline.Text != "Connected to Salesforce" || !w.saveBtn.Visible() || w.fixBtn.Text != "Back" {
		t.Fatalf("result %q save=%v fix=%q", w.result.headline.Text, w.saveBtn.Visible(), w.fixBtn.Text)
	}
	test.Tap(w.saveBtn)
	f.wait()
	if w.step != stepDone || !strings.Contains(w.summary.Text, "Jane Doe") {
		t.Fatalf("step %d summary %q", w.step, w.summary.Text)
	}
	p, err := f.store.Default()
	if err != nil || p.Name != "default" || p.Username != jane || p.LoginURL != f.srv.URL() {
		t.Fatalf("saved %+v %v", p, err)
	}
	if v, _ := f.kr.Lookup(credstore.Service, "default:password"); v != janePass {
		t.Error("password not in the keychain")
	}
	if !w.autoRun.Checked {
		t.Error("start-in-tray not offered checked")
	}
	test.Tap(findButton(t, w.win.Canvas(), "Finish"))
	f.wait()
	if on, _ := f.auto.Enabled(); !on {
		t.Error("autostart not enabled")
	}
	if !f.u.trayRunning() {
		t.Error("tray not started after choosing it")
	}
	if st, _ := f.store.Load(); !st.StartInTray {
		t.Error("preference not saved")
	}
}

func TestWizardStaleTokenGoesBackToTokenStep(t *testing.T) {
	f, w := wizardTested(t, "OldToken0123")
	if !strings.Contains(w.result.body.Text, "security token was reset") || !w.fixBtn.Visible() || !w.anywayBt.Visible() || w.saveBtn.Visible() {
		t.Fatalf("result %q fix=%v anyway=%v save=%v", w.result.body.Text, w.fixBtn.Visible(), w.anywayBt.Visible(), w.saveBtn.Visible())
	}
	if w.fixBtn.Text != "Change security token" {
		t.Errorf("fix button = %q", w.fixBtn.Text)
	}
	test.Tap(w.fixBtn)
	if w.step != stepToken {
		t.Fatalf("fix went to step %d", w.step)
	}
	w.form.token.SetText(janeToken)
	test.Tap(findButton(t, w.win.Canvas(), "Test connection"))
	f.wait()
	if w.result.headline.Text != "Connected to Salesforce" {
		t.Errorf("after fixing: %q", w.result.headline.Text)
	}
	if _, err := f.store.Default(); err == nil {
		t.Error("saved before the user chose to")
	}
}

func TestWizardNoTokenButNeeded(t *testing.T) {
	_, w := wizardTested(t, "")
	if w.result.headline.Text != "Security token needed" || w.fixBtn.Text != "Change security token" {
		t.Fatalf("result %q fix %q", w.result.headline.Text, w.fixBtn.Text)
	}
}

func TestWizardWrongEnvironmentGoesBack(t *testing.T) {
	w := wizardMyDomain(t, "http://salesforce.example.com")
	if w.step != stepWhere || !w.form.urlNote.Visible() || !strings.Contains(w.form.urlNote.Text, "https://") {
		t.Fatalf("step %d note %q", w.step, w.form.urlNote.Text)
	}
}

func TestWizardSaveAnywayAndLeave(t *testing.T) {
	f, w := wizardTested(t, "OldToken0123")
	test.Tap(w.anywayBt)
	f.wait()
	if w.step != stepDone || !strings.Contains(w.summary.Text, "did not pass the test") {
		t.Fatalf("step %d summary %q", w.step, w.summary.Text)
	}
	w.autoRun.SetChecked(false)
	test.Tap(findButton(t, w.win.Canvas(), "Finish"))
	if on, _ := f.auto.Enabled(); on || f.u.trayRunning() {
		t.Errorf("autostart %v tray %v after unticking", on, f.u.trayRunning())
	}
}

func TestWizardCloseAsksFirst(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	w.close()
	if txt := overlayText(w.win.Canvas()); !strings.Contains(txt, "Nothing has been saved") {
		t.Fatalf("overlay %q", txt)
	}
	test.Tap(findButton(t, w.win.Canvas(), "Stay"))
	if !w.open {
		t.Error("Stay closed the wizard")
	}
}
