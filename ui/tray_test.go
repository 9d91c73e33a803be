package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

func TestTrayTestConnection(t *testing.T) {
	f := newFixture(t, nil)
	f.u.opt.Icons = Icons{TrayOK: fyne.NewStaticResource("ok", nil), TrayFailing: fyne.NewStaticResource("failing", nil), TrayUnknown: fyne.NewStaticResource("unknown", nil)}
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	if !f.u.StartTray() {
		t.Fatal("no tray on a desktop app")
	}
	if f.app.icon.Name() != "unknown" {
		t.Errorf("icon before the first result = %q", f.app.icon.Name())
	}
	f.wait()
	// The first background result is good: icon ok, no notification.
	if f.app.icon.Name() != "ok" || len(f.app.sent()) != 0 {
		t.Fatalf("after start: icon %q, %d notifications", f.app.icon.Name(), len(f.app.sent()))
	}
	if status := f.app.menu.Items[0]; !status.Disabled || !strings.Contains(status.Label, "Jane Doe") {
		t.Errorf("status line %q", status.Label)
	}
	for _, label := range []string{menuTest, menuSettings, menuQuit} {
		f.app.menuItem(t, label)
	}

	// "Test connection" always reports.
	f.app.menuItem(t, menuTest).Action()
	f.wait()
	sent := f.app.sent()
	if len(sent) != 1 || !strings.Contains(sent[0].Title, "connected") || strings.Contains(sent[0].Title, "not") ||
		!strings.Contains(sent[0].Content, "Jane Doe") || !strings.Contains(sent[0].Content, "Firm & Partners LLP") {
		t.Fatalf("notification = %+v", sent)
	}

	// The token is reset elsewhere: the next check says so, once.
	if _, err := f.srv.ResetSecurityToken(jane); err != nil {
		t.Fatal(err)
	}
	f.u.tray.check(false)
	f.wait()
	sent = f.app.sent()
	if len(sent) != 2 || !strings.Contains(sent[1].Title, "not connected") || !strings.Contains(sent[1].Content, "token") {
		t.Fatalf("stale token notification = %+v", sent[len(sent)-1])
	}
	if f.app.icon.Name() != "failing" {
		t.Errorf("icon = %q", f.app.icon.Name())
	}
	f.u.tray.check(false)
	f.wait()
	if n := len(f.app.sent()); n != 2 {
		t.Errorf("the same failure notified again: %d notifications", n)
	}

	// Salesforce unreachable in the background: no alarm, neutral icon.
	f.srv.Close()
	f.u.tray.check(false)
	f.wait()
	if n := len(f.app.sent()); n != 2 || f.app.icon.Name() != "unknown" {
		t.Errorf("offline: %d notifications, icon %q", n, f.app.icon.Name())
	}
}

func TestTrayWithoutProfileOrKeychain(t *testing.T) {
	f := newFixture(t, nil)
	f.u.StartTray()
	f.wait()
	sent := f.app.sent()
	if len(sent) != 1 || !strings.Contains(sent[0].Content, "Open Settings") {
		t.Fatalf("no profile: %+v", sent)
	}
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.kr.FailWith(testfix.ErrNoService)
	f.app.menuItem(t, menuTest).Action()
	f.wait()
	sent = f.app.sent()
	if last := sent[len(sent)-1]; !strings.Contains(last.Title, "keychain") || !strings.Contains(last.Content, "GNOME Keyring") {
		t.Errorf("keychain down: %+v", last)
	}
}

func TestTraySettingsItemOpensWindow(t *testing.T) {
	f := newFixture(t, nil)
	q := withQuit(f)
	released := 0
	f.u.SetDesktop(Desktop{Release: func() { released++ }})
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.u.StartTray()
	f.wait()
	f.app.menuItem(t, menuSettings).Action()
	f.wait()
	if f.u.settings == nil || f.u.settings.current != "default" {
		t.Fatal("Settings… did not open the window")
	}
	// With the tray running, closing the window closes it (a hidden window
	// would keep its memory all day) and the app stays in the tray.
	win := f.u.settings.win
	released = 0 // the tray's first check released its garbage already
	f.u.settings.requestClose()
	f.wait()
	if f.u.settings != nil || q.quits != 0 || f.u.tray == nil || released != 1 {
		t.Errorf("after close: settings %v, %d quits, tray %v, %d releases", f.u.settings, q.quits, f.u.tray, released)
	}
	for _, w := range f.app.Driver().AllWindows() {
		if w == win {
			t.Error("the closed window is still the app's")
		}
	}
	f.app.menuItem(t, menuSettings).Action()
	f.wait()
	if f.u.settings == nil || f.u.settings.current != "default" {
		t.Fatal("Settings… did not open the window again")
	}
}

func TestTrayHostMissing(t *testing.T) {
	f := newFixture(t, nil)
	f.u.opt.TrayHostAvailable = func() bool { return false }
	if f.u.StartTray() {
		t.Error("StartTray claimed a tray without a tray host")
	}
}

// quitApp records Quit instead of ending the test app.
type quitApp struct {
	*recordingApp
	quits int
}

func (a *quitApp) Quit() { a.quits++ }

func withQuit(f *fixture) *quitApp {
	q := &quitApp{recordingApp: f.app}
	f.u.app = q
	return q
}

func TestTrayBesideWindowLastWindowQuits(t *testing.T) {
	for _, startInTray := range []bool{false, true} {
		f := newFixture(t, nil)
		q := withQuit(f)
		f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
		if err := f.store.SavePrefs(credstore.Prefs{StartInTray: startInTray}); err != nil {
			t.Fatal(err)
		}
		if !f.u.AttachTray() {
			t.Fatal("no tray beside the window")
		}
		f.u.Open()
		f.wait()
		if f.app.menu == nil || len(f.app.sent()) != 0 {
			t.Fatalf("start-in-tray %v: menu %v, notifications %+v beside the window", startInTray, f.app.menu, f.app.sent())
		}
		f.u.settings.requestClose()
		f.wait()
		switch {
		case startInTray && (q.quits != 0 || f.u.settings != nil || f.u.tray == nil):
			t.Errorf("start-in-tray on: %d quits, settings %v, tray %v; want closed, still in the tray", q.quits, f.u.settings, f.u.tray)
		case !startInTray && (q.quits != 1 || f.u.tray != nil):
			t.Errorf("start-in-tray off: %d quits, tray %v; want the app to quit with its last window", q.quits, f.u.tray)
		}
	}
}

func TestTrayBesideWizardFinishStaysInTray(t *testing.T) {
	f := newFixture(t, nil)
	q := withQuit(f)
	f.u.AttachTray()
	f.u.Open()
	f.wait()
	if f.u.wizard == nil {
		t.Fatal("first run opened no wizard")
	}
	if status := f.app.menu.Items[0]; status.Label != "Not set up yet" {
		t.Errorf("status line %q beside the wizard", status.Label)
	}
	// The wizard's Finish with "start in the tray" ticked: the tray stays
	// and takes over the wizard's result, with no login of its own.
	// The wizard saved after its test: the save carried the verdict.
	p := credstore.Profile{Name: "default", LoginURL: f.srv.URL(), Username: jane, Method: credstore.MethodSOAP, CAFile: f.ca}
	if o := f.u.svc.TestAndSave(context.Background(), p, credstore.Secrets{Password: janePass, SecurityToken: janeToken}, connection.SaveOptions{}); !o.Saved {
		t.Fatalf("save: %v", o)
	}
	before := len(f.srv.Requests())
	f.u.wizard.autoRun.SetChecked(true)
	f.u.wizard.finish()
	f.wait()
	if q.quits != 0 || f.u.tray == nil || !f.u.keepInTray() {
		t.Fatalf("after Finish: %d quits, tray %v", q.quits, f.u.tray)
	}
	if n := len(f.srv.Requests()) - before; n != 0 {
		t.Errorf("Finish sent %d requests to Salesforce", n)
	}
	if status := f.app.menu.Items[0]; !strings.HasPrefix(status.Label, "Connected as Jane Doe") || f.app.icon != f.u.opt.Icons.TrayOK {
		t.Errorf("status line %q, icon %v after Finish", status.Label, f.app.icon)
	}
}

func TestTrayNoticeTooltipAndAction(t *testing.T) {
	f := newFixture(t, nil)
	f.u.opt.Icons = Icons{TrayOK: fyne.NewStaticResource("ok", nil), TrayFailing: fyne.NewStaticResource("failing", nil), TrayUnknown: fyne.NewStaticResource("unknown", nil)}
	var notices []Notice
	var tip string
	f.u.SetDesktop(Desktop{Notify: func(n Notice) error { notices = append(notices, n); return nil }, Tooltip: func(s string) { tip = s }})
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.u.StartTray()
	f.wait()
	if !strings.HasPrefix(tip, "AdvoLogix Connect\nConnected as Jane Doe · ") {
		t.Errorf("tooltip %q", tip)
	}
	if _, err := f.srv.ResetSecurityToken(jane); err != nil {
		t.Fatal(err)
	}
	f.app.menuItem(t, menuTest).Action()
	f.wait()
	if len(notices) != 1 || len(f.app.sent()) != 0 {
		t.Fatalf("notices %+v, Fyne notifications %+v", notices, f.app.sent())
	}
	n := notices[0]
	if n.Title != "AdvoLogix Connect: not connected" || !n.Failing || n.Timeout <= 0 || n.Open == nil {
		t.Errorf("notice %+v", n)
	}
	lines := strings.Split(n.Body, "\n")
	if len(lines) != 2 || len([]rune(lines[0])) > 80 || lines[1] != jane+" · production" || strings.Contains(n.Body, "https://") {
		t.Errorf("body %q: want the headline and who/where, short", n.Body)
	}
	if !strings.HasPrefix(tip, "AdvoLogix Connect\nNot connected: ") || f.app.icon.Name() != "failing" {
		t.Errorf("tooltip %q, icon %q", tip, f.app.icon.Name())
	}
	// Clicking the notice: Settings on the profile, its last result shown,
	// no new login.
	before := len(f.srv.Requests())
	n.Open()
	f.wait()
	if f.u.settings == nil || f.u.settings.current != "default" {
		t.Fatal("the notice's action did not open Settings on the profile")
	}
	if got := f.u.settings.result.headline.Text; got == "" || !strings.Contains(n.Body, got) {
		t.Errorf("Settings shows %q, want the notice's result", got)
	}
	if d := len(f.srv.Requests()) - before; d != 0 {
		t.Errorf("opening the notice sent %d requests", d)
	}
}

func TestTrayShorten(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"  spaced   out\ntext ", 20, "spaced out text"},
		{"The password or security token is not right for this user", 30, "The password or security…"},
	} {
		if got := shorten(tc.in, tc.n); got != tc.want || len([]rune(got)) > tc.n {
			t.Errorf("shorten(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
