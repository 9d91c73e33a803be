package ui

import (
	"strings"
	"sync"
	"testing"

	"github.com/advologix/advologix-connect/assets"
	"github.com/advologix/advologix-connect/credstore"
)

// notices records what the tray hands the desktop's notifications, and
// whether the wizard's window was still open at the time.
type notices struct {
	mu         sync.Mutex
	got        []Notice
	wizardOpen []bool
}

func (f *fixture) recordNotices() *notices {
	n := &notices{}
	f.u.opt.Icons = Icons{App: assets.AppIcon, TrayOK: assets.TrayOK, TrayFailing: assets.TrayFailing, TrayUnknown: assets.TrayUnknown}
	f.u.SetDesktop(Desktop{Notify: func(no Notice) error {
		n.mu.Lock()
		defer n.mu.Unlock()
		n.got = append(n.got, no)
		n.wizardOpen = append(n.wizardOpen, f.u.wizard != nil && f.u.wizard.open)
		return nil
	}})
	return n
}

func (n *notices) all() []Notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notice(nil), n.got...)
}

// Notifications carry the tray's icon for what they tell: connected, not
// connected, not set up — three different icons, none the app's shield.
func TestNotificationIconsTellTheState(t *testing.T) {
	f := newFixture(t, plain)
	rec := f.recordNotices()
	f.startTray()
	f.app.menuItem(t, menuTest).Action() // nothing saved yet
	f.wait()
	if got := rec.all(); len(got) == 0 || got[len(got)-1].Icon != assets.TrayUnknown || !strings.Contains(got[len(got)-1].Title, "not set up") {
		t.Errorf("not set up: notices %+v", got)
	}

	f.saveProfile(defaultNewProfile, credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	f.wait()
	f.app.menuItem(t, menuTest).Action()
	f.wait()
	if err := f.kr.Set(credstore.Service, defaultNewProfile+":password", "Wr0ng-Horse"); err != nil {
		t.Fatal(err)
	}
	f.app.menuItem(t, menuTest).Action()
	f.wait()
	got := rec.all()
	if len(got) < 2 {
		t.Fatalf("notices %+v", got)
	}
	ok, failing := got[len(got)-2], got[len(got)-1]
	if ok.Failing || ok.Icon != assets.TrayOK || !failing.Failing || failing.Icon != assets.TrayFailing {
		t.Errorf("connected: %q icon %v; not connected: %q icon %v", ok.Title, ok.Icon, failing.Title, failing.Icon)
	}
}
