package connection_test

import (
	"context"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// TestStateFollowsTheSavedProfile: only tests of the saved inputs give a
// verdict; a later save makes it "changed since the test".
func TestStateFollowsTheSavedProfile(t *testing.T) {
	f := newFixture(t)
	svc := f.service()
	ctx := context.Background()
	p := f.profile("default", credstore.MethodSOAP, jane)
	good := credstore.Secrets{Password: janePass, SecurityToken: janeToken}
	bad := credstore.Secrets{Password: janePass, SecurityToken: staleTok}

	if st := connection.LoadState(f.store); len(st.Profiles) != 0 || st.Err != nil {
		t.Fatalf("no settings: %+v", st)
	}
	f.save(t, p, good)
	if ps, _ := connection.LoadState(f.store).Profile(""); ps.Tested != connection.NotTested {
		t.Fatalf("saved, never tested: %v", ps.Tested)
	}

	// A test of typed (unsaved) inputs changes nothing, even failing.
	if o := svc.Test(ctx, p, bad); o.OK() {
		t.Fatal("a stale token passed")
	}
	if ps, _ := connection.LoadState(f.store).Profile(""); ps.Tested != connection.NotTested {
		t.Fatalf("after a test of unsaved inputs: %v", ps.Tested)
	}

	// A check of the saved profile is its verdict.
	if o := svc.CheckSaved(ctx, ""); !o.OK() {
		t.Fatalf("check: %v", o)
	}
	ps, _ := connection.LoadState(f.store).Profile("")
	if ps.Tested != connection.Connected || ps.Result.UserFullName == "" || ps.Result.Headline == "" || ps.At.IsZero() {
		t.Fatalf("after a good check: %+v", ps)
	}

	// Saved again without a test: changed since the test.
	if o := svc.TestAndSave(ctx, p, bad, connection.SaveOptions{NoCheck: true}); !o.Saved {
		t.Fatal(o)
	}
	if ps, _ := connection.LoadState(f.store).Profile(""); ps.Tested != connection.ChangedSinceTest {
		t.Fatalf("saved after the verdict: %v", ps.Tested)
	}
	if o := svc.CheckSaved(ctx, "default"); o.OK() {
		t.Fatal("the stale token passed")
	}
	if ps, _ := connection.LoadState(f.store).Profile(""); ps.Tested != connection.Failing || ps.Result.Code == "" {
		t.Fatalf("after a failing check: %+v", ps)
	}

	// A save that carried its test's verdict: connected, one login.
	before := logins(f.srv)
	tested := svc.Test(ctx, p, good)
	if o := svc.TestAndSave(ctx, p, good, connection.SaveOptions{Tested: &tested}); !o.Saved {
		t.Fatal(o)
	}
	if n := logins(f.srv) - before; n != 1 {
		t.Errorf("%d logins for a test and its save", n)
	}
	if ps, _ := connection.LoadState(f.store).Profile(""); ps.Tested != connection.Connected {
		t.Fatalf("after a tested save: %v", ps.Tested)
	}

	// Salesforce unreachable says nothing of the inputs.
	f.srv.Close()
	if o := svc.CheckSaved(ctx, ""); o.Kind() != connection.KindConnection {
		t.Fatalf("offline check: %v", o)
	}
	if ps, _ := connection.LoadState(f.store).Profile(""); ps.Tested != connection.Connected {
		t.Errorf("offline replaced the verdict: %v", ps.Tested)
	}
}
