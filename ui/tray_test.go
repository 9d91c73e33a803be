package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/testkeyring"
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
	f.kr.FailWith(testkeyring.ErrNoService)
	f.app.menuItem(t, menuTest).Action()
	f.wait()
	sent = f.app.sent()
	if last := sent[len(sent)-1]; !strings.Contains(last.Title, "keychain") || !strings.Contains(last.Content, "GNOME Keyring") {
		t.Errorf("keychain down: %+v", last)
	}
}

func TestTraySettingsItemOpensWindow(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.u.StartTray()
	f.wait()
	f.app.menuItem(t, menuSettings).Action()
	f.wait()
	if f.u.settings == nil || f.u.settings.current != "default" {
		t.Fatal("Settings… did not open the window")
	}
	// With the tray running, closing the window hides it.
	f.u.settings.requestClose()
	if f.u.settings == nil {
		t.Error("window destroyed instead of hidden while the tray runs")
	}
}

func TestTrayHostMissing(t *testing.T) {
	f := newFixture(t, nil)
	f.u.opt.TrayHostAvailable = func() bool { return false }
	if f.u.StartTray() {
		t.Error("StartTray claimed a tray without a tray host")
	}
}
