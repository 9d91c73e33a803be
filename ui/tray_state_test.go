package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// TestDeriveTray: one state gives the icon, the status line, the tooltip
// and the notification, and they agree.
func TestDeriveTray(t *testing.T) {
	saved := credstore.Profile{Name: "default", Username: jane, Generation: 7}
	at := time.Date(2026, 1, 2, 9, 30, 0, 0, time.Local)
	ok := sfclient.Result{OK: true, Username: jane, UserFullName: "Jane Doe", OrganizationName: "Firm", Headline: "Connected"}
	bad := sfclient.Result{Code: "INVALID_LOGIN", Username: jane, Headline: "Wrong password or security token"}
	state := func(tested connection.Tested, r sfclient.Result) connection.State {
		return connection.State{Default: "default", Profiles: []connection.ProfileState{{Profile: saved, Default: true, Tested: tested, At: at, Result: r}}}
	}
	offline := connection.Failed(saved, errors.New("x"))
	offline.Checked, offline.Code, offline.Result = true, sfclient.CodeNetwork, sfclient.Result{Code: sfclient.CodeNetwork, Headline: "Cannot reach Salesforce"}
	for _, tc := range []struct {
		name   string
		state  connection.State
		local  trayLocal
		status trayStatus
		line   string // prefix
		title  string // of the notice, contains
	}{
		{"no profile", connection.State{}, trayLocal{}, statusUnknown, "Not set up yet", "not set up yet"},
		{"settings unreadable", connection.State{Err: credstore.ErrCorrupt}, trayLocal{}, statusUnknown, "Cannot read the settings", "cannot read the settings"},
		{"saved, not tested", state(connection.NotTested, sfclient.Result{}), trayLocal{}, statusUnknown, "Saved · not tested yet", "not tested yet"},
		{"connected", state(connection.Connected, ok), trayLocal{}, statusOK, "Connected as Jane Doe · 09:30", ": connected"},
		{"failed", state(connection.Failing, bad), trayLocal{}, statusFailing, "Not connected: Wrong password", "not connected"},
		{"saved after the verdict", state(connection.ChangedSinceTest, ok), trayLocal{}, statusUnknown, "Changed · not tested since", "not tested since"},
		{"checking", state(connection.Connected, ok), trayLocal{checking: true}, statusOK, "Testing the connection…", ": connected"},
		{"offline after the verdict", state(connection.Connected, ok), trayLocal{last: &offline, lastAt: at.Add(time.Minute)}, statusUnknown, "Cannot reach Salesforce · 09:31", "not connected"},
		{"offline before a newer verdict", state(connection.Connected, ok), trayLocal{last: &offline, lastAt: at.Add(-time.Minute)}, statusOK, "Connected as", ": connected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := deriveTray(tc.state, tc.local)
			if v.status != tc.status || !strings.HasPrefix(v.line, tc.line) || v.tooltip != appName+"\n"+v.line || !strings.Contains(v.notice.Title, tc.title) {
				t.Errorf("view = status %v, line %q, tooltip %q, notice %q; want %v, %q…, notice with %q", v.status, v.line, v.tooltip, v.notice.Title, tc.status, tc.line, tc.title)
			}
			if v.status == statusOK && (v.notice.Failing || !strings.Contains(v.notice.Title, ": connected")) {
				t.Errorf("a green icon with the notice %+v", v.notice)
			}
			if v.status != statusOK && strings.HasSuffix(v.notice.Title, ": connected") {
				t.Errorf("icon %v with the notice %q", v.status, v.notice.Title)
			}
		})
	}
}

// waitFor drains the fixture's queue until cond holds, for up to 3 s (the
// tray's watch runs on its own clock).
func (f *fixture) waitFor(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		f.wait()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("after 3 s: not %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTrayFollowsSavesElsewhere: a save by another process (its own
// Store on the same folder) shows in the tray within a second, with its
// verdict and no login of the tray's; a test of unsaved inputs shows
// nothing.
func TestTrayFollowsSavesElsewhere(t *testing.T) {
	f := newFixture(t, nil)
	f.u.opt.Icons = Icons{TrayOK: fyne.NewStaticResource("ok", nil), TrayFailing: fyne.NewStaticResource("failing", nil), TrayUnknown: fyne.NewStaticResource("unknown", nil)}
	p := f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: "StaleStaleStaleStale1234"})
	f.u.StartTray()
	f.wait()
	if f.app.icon.Name() != "failing" {
		t.Fatalf("stale token: icon %q, line %q", f.app.icon.Name(), f.app.menu.Items[0].Label)
	}
	other, err := credstore.Open(credstore.Options{Dir: filepath.Dir(f.store.Path()), Keyring: f.kr})
	if err != nil {
		t.Fatal(err)
	}
	svc := &connection.Service{Store: other, Timeout: 5 * time.Second}
	ctx := context.Background()
	good := credstore.Secrets{Password: janePass, SecurityToken: janeToken}

	// A test of typed inputs in the other process: nothing changes.
	if o := svc.Test(ctx, p, good); !o.OK() {
		t.Fatal(o)
	}
	time.Sleep(3 * watchEvery)
	f.wait()
	if f.app.icon.Name() != "failing" {
		t.Errorf("a test of unsaved inputs changed the tray: %q", f.app.icon.Name())
	}

	// The save after that test carries its verdict.
	tested := svc.Test(ctx, p, good)
	before := len(f.srv.Requests())
	if o := svc.TestAndSave(ctx, p, good, connection.SaveOptions{Tested: &tested}); !o.Saved {
		t.Fatal(o)
	}
	start := time.Now()
	f.waitFor("connected", func() bool {
		return f.app.icon.Name() == "ok" && strings.HasPrefix(f.app.menu.Items[0].Label, "Connected as Jane Doe")
	})
	if d := time.Since(start); d > time.Second {
		t.Errorf("the tray took %v to follow the save", d)
	}
	if n := len(f.srv.Requests()) - before; n != 0 {
		t.Errorf("%d requests after the save, want none (the save carried its verdict)", n)
	}

	// Saved again without a test: not tested since the change, grey.
	if o := svc.TestAndSave(ctx, p, good, connection.SaveOptions{NoCheck: true}); !o.Saved {
		t.Fatal(o)
	}
	f.waitFor("changed since the test", func() bool {
		return f.app.icon.Name() == "unknown" && f.app.menu.Items[0].Label == lineChanged
	})
}

// TestTrayTestClickedDuringCheckIsAnswered: "Test connection" clicked
// while the tray's own check runs is answered when that check ends.
func TestTrayTestClickedDuringCheckIsAnswered(t *testing.T) {
	f, release := gatedFixture(t, nil)
	defer release()
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.u.StartTray() // its first check waits at the emulator
	f.app.menuItem(t, menuTest).Action()
	if n := len(f.app.sent()); n != 0 {
		t.Fatalf("%d notifications before any answer", n)
	}
	release()
	f.wait()
	sent := f.app.sent()
	if len(sent) != 1 || !strings.Contains(sent[0].Title, "connected") || !strings.Contains(sent[0].Content, "Jane Doe") {
		t.Fatalf("the click during the check got %+v, want one notification with the answer", sent)
	}
	if n := loginRequests(f.srv); n != 1 {
		t.Errorf("%d logins, want the one check", n)
	}
}
