package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
)

// TestSettingsShowsTheSavedVerdict: Settings opened on a saved profile
// (from the tray's menu, a notification, or the picker) shows the verdict
// of its last test as saved — what the tray and status say — and sends no
// login to show it.
func TestSettingsShowsTheSavedVerdict(t *testing.T) {
	f := newFixture(t, plain)
	f.saveProfile(defaultNewProfile, credstore.Secrets{Password: janePass, SecurityToken: janeToken + "x"})
	if o := f.u.svc.CheckSaved(context.Background(), defaultNewProfile); o.OK() {
		t.Fatal("a wrong token passed")
	}
	logins := f.logins()
	s := f.openSettings()
	f.wait()
	got := s.result.headline.Text
	if got == "" || strings.HasPrefix(got, stalePrefix) || !strings.Contains(strings.ToLower(got), "rejected") {
		t.Errorf("Settings opened on the failing profile shows %q", got)
	}
	if n := f.logins() - logins; n != 0 {
		t.Errorf("%d logins to open Settings", n)
	}
}
