package ui

import (
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// The tray's periodic re-check counts from the default profile's last
// test by anyone: a login the wizard has just tested is not tested again
// at the loop's first tick (each failed attempt counts towards lockout).
func TestTrayRecheckDue(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	verdict := func(ago time.Duration, tested connection.Tested) connection.State {
		return connection.State{Default: "default", Profiles: []connection.ProfileState{
			{Profile: credstore.Profile{Name: "default"}, At: now.Add(-ago), Tested: tested}}}
	}
	tests := []struct {
		name      string
		interval  time.Duration
		state     connection.State
		lastCheck time.Time
		woke      bool
		want      bool
	}{
		{name: "never tested by anyone", interval: 30 * time.Minute, state: connection.State{Default: "default",
			Profiles: []connection.ProfileState{{Profile: credstore.Profile{Name: "default"}}}}, want: true},
		{name: "the wizard tested it a minute ago", interval: 30 * time.Minute, state: verdict(time.Minute, connection.Connected), want: false},
		{name: "a failing test a minute ago", interval: 30 * time.Minute, state: verdict(time.Minute, connection.Failing), want: false},
		{name: "tested an interval ago", interval: 30 * time.Minute, state: verdict(30*time.Minute, connection.Connected), want: true},
		{name: "changed since its last test", interval: 30 * time.Minute, state: verdict(time.Minute, connection.ChangedSinceTest), want: true},
		{name: "this tray checked a minute ago", interval: 30 * time.Minute, state: verdict(time.Hour, connection.Connected),
			lastCheck: now.Add(-time.Minute), want: false},
		{name: "the computer woke", interval: 30 * time.Minute, state: verdict(time.Minute, connection.Connected), woke: true, want: true},
		{name: "re-checks off", interval: -1, state: verdict(time.Hour, connection.Connected), woke: true, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := &tray{u: &UI{opt: Options{CheckInterval: tc.interval}}, state: tc.state, lastCheck: tc.lastCheck}
			if got := tr.due(now, tc.woke); got != tc.want {
				t.Errorf("due = %v; want %v", got, tc.want)
			}
		})
	}
}
