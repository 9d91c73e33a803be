package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// withTestPolicy gives the fixture's UI an IT policy, as gui.go does with
// credstore.LoadPolicy (the source is a name only: nothing reads it).
func withTestPolicy(f *fixture, pol credstore.Policy) {
	pol.Sources = []string{"/test/policy.json"}
	f.u.opt.Policy = pol
	f.u.opt = withPolicy(f.u.opt)
	f.u.svc = newService(f.u.opt)
}

// shownTexts are the texts of the visible labels and canvas texts in c,
// with the Advanced section opened.
func shownTexts(c fyne.Canvas) []string {
	var out []string
	walkObjects(c.Content(), true, func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *fold:
			v.setOpen(true)
		case *widget.Label:
			out = append(out, v.Text)
		case *canvas.Text:
			out = append(out, v.Text)
		}
		return true
	})
	return out
}

func countText(texts []string, s string) int {
	n := 0
	for _, t := range texts {
		if strings.Contains(t, s) {
			n++
		}
	}
	return n
}

// Locked login URL and CA file replace a saved profile's own, read-only,
// each marked; Test uses them (the saved sandbox address and no CA file
// could not reach the emulator).
func TestPolicySettingsLockedLoginAndCA(t *testing.T) {
	f := newFixture(t, nil)
	withTestPolicy(f, credstore.Policy{LoginURL: f.srv.URL(), CAFile: f.ca, Locked: []string{"login_url", "ca_file"}})
	p := f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	p.LoginURL, p.CAFile = sfclient.SandboxLoginURL, ""
	if err := f.store.Save(t.Context(), p, credstore.Secrets{Password: janePass, SecurityToken: janeToken}); err != nil {
		t.Fatal(err)
	}
	f.u.ShowSettings()
	f.wait()
	s := f.u.settings
	fm := s.form
	if fm.env.Selected != envMyDomain || fm.myDomain.Text != f.srv.URL() || !fm.env.Disabled() || !fm.myDomain.Disabled() {
		t.Errorf("login URL: env %q %q disabled %v/%v", fm.env.Selected, fm.myDomain.Text, fm.env.Disabled(), fm.myDomain.Disabled())
	}
	if fm.caFile.Text != f.ca || !fm.caFile.Disabled() {
		t.Errorf("CA file %q disabled %v", fm.caFile.Text, fm.caFile.Disabled())
	}
	s.toggleAdvanced() // the CA file is under Advanced
	texts := shownTexts(s.win.Canvas())
	if n := countText(texts, policyNote); n != 2 {
		t.Errorf("%q shown %d times, want 2 (environment, CA file): %q", policyNote, n, texts)
	}
	if b := lookupButton(s.win.Canvas(), "Browse…"); b == nil || !b.Disabled() {
		t.Error("Browse… for the locked CA file is not disabled")
	}
	if fm.proxy.Disabled() || fm.clientID.Text != "" {
		t.Error("a field the policy does not set is changed")
	}
	// Typing into a locked field changes nothing.
	test.Type(fm.myDomain, "x")
	if fm.myDomain.Text != f.srv.URL() {
		t.Errorf("a locked field took typing: %q", fm.myDomain.Text)
	}

	test.Tap(s.testBtn)
	f.wait()
	if s.result.headline.Text != "Connected to Salesforce" {
		t.Fatalf("test under the policy: %q %q", s.result.headline.Text, s.result.body.Text)
	}
	if n := f.logins(); n != 1 {
		t.Errorf("%d logins at the policy's address, want 1", n)
	}
}

// A new profile takes the policy's values; locked client id and proxy are
// read-only, the login URL (not locked) stays editable, and only the
// allowed methods are offered.
func TestPolicySettingsClientIDProxyMethods(t *testing.T) {
	f := newFixture(t, nil)
	withTestPolicy(f, credstore.Policy{LoginURL: "https://firm.my.salesforce.com", ClientID: "3MVGpolicy",
		Proxy: "http://proxy.firm.example:8080", Methods: []string{"oauth-browser", "oauth-password"},
		Locked: []string{"client_id", "proxy"}})
	f.u.ShowSettings()
	f.wait()
	s := f.u.settings
	fm := s.form
	if fm.env.Selected != envMyDomain || fm.myDomain.Text != "https://firm.my.salesforce.com" || fm.env.Disabled() || fm.myDomain.Disabled() {
		t.Errorf("preset login URL: %q %q disabled %v", fm.env.Selected, fm.myDomain.Text, fm.myDomain.Disabled())
	}
	if fm.clientID.Text != "3MVGpolicy" || !fm.clientID.Disabled() || fm.proxy.Text != "http://proxy.firm.example:8080" || !fm.proxy.Disabled() {
		t.Errorf("client id %q (disabled %v), proxy %q (disabled %v)", fm.clientID.Text, fm.clientID.Disabled(), fm.proxy.Text, fm.proxy.Disabled())
	}
	want := []string{methodLabel(sfclient.MethodOAuthPassword), methodLabel(sfclient.MethodOAuthBrowser)}
	got := fm.method.Options
	if len(got) != 2 || !(got[0] == want[0] && got[1] == want[1] || got[0] == want[1] && got[1] == want[0]) {
		t.Errorf("methods offered %q, want %q", got, want)
	}
	if m := methodFromLabel(fm.method.Selected); m == sfclient.MethodSOAP {
		t.Error("SOAP selected although the policy does not allow it")
	}
	// Switching method keeps the client id locked (syncMethod enables it).
	fm.method.SetSelected(methodLabel(sfclient.MethodOAuthPassword))
	if !fm.clientID.Disabled() || fm.clientID.Text != "3MVGpolicy" {
		t.Error("a method change unlocked the client id")
	}
	s.toggleAdvanced() // client id, proxy and method are under Advanced
	texts := shownTexts(s.win.Canvas())
	if n := countText(texts, policyNote); n != 2 {
		t.Errorf("%q shown %d times, want 2 (client id, proxy): %q", policyNote, n, texts)
	}
	if countText(texts, "Your IT department allows only these") != 1 {
		t.Errorf("the method row does not say it is restricted: %q", texts)
	}
}

// A login host the policy does not allow is refused before any request.
func TestPolicySettingsRefusesHost(t *testing.T) {
	f := newFixture(t, nil)
	withTestPolicy(f, credstore.Policy{AllowedLoginHosts: []string{"*.my.salesforce.com"}})
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.u.ShowSettings()
	f.wait()
	s := f.u.settings
	f.srv.ResetRequests()
	test.Tap(s.testBtn)
	f.wait()
	if s.result.headline.Text != "Your IT department does not allow these settings" || !strings.Contains(s.result.body.Text+s.result.message.Text, "*.my.salesforce.com") {
		t.Errorf("result %q / %q", s.result.headline.Text, s.result.body.Text)
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent to a host the policy forbids", n)
	}
}

// A preset login URL skips the wizard's first step (and Back does not go
// there); a locked start_in_tray is shown, read-only, and obeyed.
func TestPolicyWizard(t *testing.T) {
	f := newFixture(t, plain)
	no := false
	withTestPolicy(f, credstore.Policy{LoginURL: f.srv.URL(), StartInTray: &no, Locked: []string{"login_url", "start_in_tray"}})
	f.u.Open()
	w := f.u.wizard
	if w == nil || w.step != stepWho || w.title.Text != stepTitles[stepWho] {
		t.Fatalf("the wizard did not start at the username step: %+v", w)
	}
	w.back()
	if w.step != stepWho {
		t.Errorf("Back went to step %d, skipped by the policy", w.step)
	}
	if w.autoRun == nil || w.autoRun.Checked || !w.autoRun.Disabled() || !strings.Contains(w.autoRun.Text, policyNote) {
		t.Fatalf("start in tray: %+v", w.autoRun)
	}
	test.Type(w.form.username, jane)
	test.Type(w.form.password, janePass)
	test.Tap(w.nextWho)
	test.Type(w.form.token, janeToken)
	test.Tap(findButton(t, w.win.Canvas(), "Test connection"))
	f.wait()
	if w.result.headline.Text != "Connected to Salesforce" {
		t.Fatalf("result %q %q", w.result.headline.Text, w.result.body.Text)
	}
	test.Tap(w.saveBtn)
	f.wait()
	test.Tap(findButton(t, w.win.Canvas(), "Finish"))
	f.wait()
	if p, err := f.store.Default(); err != nil || p.LoginURL != f.srv.URL() {
		t.Errorf("saved %+v %v", p, err)
	}
	if on, _ := f.auto.Enabled(); on || f.u.trayRunning() {
		t.Error("start at login enabled although the policy locks it off")
	}
}

// The tray's re-check interval: a locked one wins over the user's, an
// unlocked one only fills in.
func TestPolicyCheckInterval(t *testing.T) {
	for _, c := range []struct {
		user   time.Duration
		pol    credstore.Policy
		want   time.Duration
		reason string
	}{
		{0, credstore.Policy{CheckInterval: "5m"}, 5 * time.Minute, "preset"},
		{time.Hour, credstore.Policy{CheckInterval: "5m"}, time.Hour, "the user's own wins when not locked"},
		{time.Hour, credstore.Policy{CheckInterval: "5m", Locked: []string{"check_interval"}}, 5 * time.Minute, "locked"},
		{time.Hour, credstore.Policy{CheckInterval: "off", Locked: []string{"check_interval"}}, -1, "locked off"},
	} {
		if got := withPolicy(Options{CheckInterval: c.user, Policy: c.pol}).CheckInterval; got != c.want {
			t.Errorf("%s: %v, want %v", c.reason, got, c.want)
		}
	}
}

func TestPolicyErrorWindow(t *testing.T) {
	a := test.NewTempApp(t)
	err := &credstore.PolicyError{Source: "/etc/advologix-connect/policy.json", Err: errors.New(`methods: "ntlm" is not a login method`)}
	win := ShowPolicyError(a, err)
	texts := strings.Join(shownTexts(win.Canvas()), "\n")
	if !strings.Contains(texts, "/etc/advologix-connect/policy.json") || !strings.Contains(texts, "ntlm") || !strings.Contains(texts, "cannot start") {
		t.Errorf("the window says %q", texts)
	}
	if lookupButton(win.Canvas(), "Close") == nil {
		t.Error("no Close button")
	}
}

// Only browser sign-in allowed: the wizard stays on its first step, which
// offers it, and has no password path.
func TestPolicyWizardBrowserOnly(t *testing.T) {
	f := newFixture(t, plain)
	withTestPolicy(f, credstore.Policy{LoginURL: f.srv.URL(), ClientID: "cid", Methods: []string{"oauth-browser"}, Locked: []string{"login_url"}})
	f.u.Open()
	w := f.u.wizard
	if w.step != stepWhere {
		t.Fatalf("step %d, want the first (browser sign-in)", w.step)
	}
	if lookupButton(w.win.Canvas(), "Sign in with browser") == nil {
		t.Error("browser sign-in not offered")
	}
	for _, text := range []string{usePasswordLabel, "Next"} {
		if lookupButton(w.win.Canvas(), text) != nil {
			t.Errorf("%q offered although the policy allows only browser sign-in", text)
		}
	}
	if !w.form.env.Disabled() || w.form.myDomain.Text != f.srv.URL() {
		t.Error("the locked login URL is not shown read-only")
	}
}
