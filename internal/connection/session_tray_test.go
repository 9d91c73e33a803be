package connection_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

// TestChecksAndSessionsShareThePath: the tray's watch and a window's Test
// (CheckSaved, CheckProfile) and `session` programs at once, each with a
// Store of its own, rotation on, two rounds across an expiry: none fails
// (no program sends a refresh token another one spent), each check spends
// one refresh token under the profile's lock, and the sessions spend at
// most one more between them.
func TestChecksAndSessionsShareThePath(t *testing.T) {
	f := newFixture(t)
	clock := &sftest.Clock{}
	f.srv.SetClock(clock.Now)
	f.saveBrowser(t, jane)
	const checks, sessions = 3, 9
	progs := f.programs(t, checks+sessions)
	for round := range 2 {
		f.srv.ResetRequests()
		outs := make([]connection.Outcome, len(progs))
		var wg sync.WaitGroup
		for i, svc := range progs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch {
				case i == 0:
					outs[i] = svc.CheckSaved(context.Background(), "") // the tray: the default profile
				case i < checks:
					p, err := f.store.Profile("browser")
					if err != nil {
						t.Error(err)
						return
					}
					outs[i] = svc.CheckProfile(context.Background(), p) // Settings' Test
				default:
					outs[i] = svc.Session(context.Background(), "browser").Outcome
				}
			}()
		}
		wg.Wait()
		for i, o := range outs {
			if !o.OK() {
				t.Errorf("round %d, program %d: %v", round, i, o)
			}
		}
		if n := refreshGrants(f.srv); n < checks || n > checks+1 {
			t.Errorf("round %d: %d refresh grants, want %d checks and at most one for the sessions", round, n, checks)
		}
		clock.Move(sftest.SessionLifetime + time.Minute)
	}
	f.srv.ResetRequests()
	if o := progs[0].Session(context.Background(), "browser"); !o.OK() || refreshGrants(f.srv) != 1 {
		t.Errorf("after the last expiry: %v, %d refresh grants", o.Outcome, refreshGrants(f.srv))
	}
	f.srv.ResetRequests()
	if o := progs[1].Session(context.Background(), "browser"); !o.OK() || refreshGrants(f.srv) != 0 {
		t.Errorf("the next program: %v, %d refresh grants (want the cached session)", o.Outcome, refreshGrants(f.srv))
	}
}

// TestCheckProfileBusy: the tray's check of a browser profile waits for
// the profile's lock as session does: PROFILE_BUSY, nothing sent.
func TestCheckProfileBusy(t *testing.T) {
	f := newFixture(t)
	f.saveBrowser(t, jane)
	unlock, err := f.programs(t, 1)[0].Store.(connection.SessionCache).LockProfile(context.Background(), "browser")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if o := f.service().CheckSaved(ctx, "browser"); o.Code != connection.CodeProfileBusy || len(f.srv.Requests()) != 0 {
		t.Errorf("%v, %d requests", o, len(f.srv.Requests()))
	}
}
