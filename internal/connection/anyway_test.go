package connection_test

import (
	"context"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// TestSaveAnywayKeepsTheFailedVerdict: "Save anyway" after a failed test
// of exactly these inputs saves without a new login, and that failure is
// the saved profile's verdict (the tray says "not connected", not "not
// tested"); with other inputs than the ones tested, nothing is known.
func TestSaveAnywayKeepsTheFailedVerdict(t *testing.T) {
	tests := []struct {
		name      string
		saveSec   func(tested credstore.Secrets) credstore.Secrets
		want      connection.Tested
		wantLogin int
	}{
		{"same inputs", func(s credstore.Secrets) credstore.Secrets { return s }, connection.Failing, 0},
		{"other inputs", func(s credstore.Secrets) credstore.Secrets { s.SecurityToken += "x"; return s }, connection.NotTested, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			svc := f.service()
			ctx := context.Background()
			p := f.profile("default", credstore.MethodSOAP, jane)
			f.save(t, p, credstore.Secrets{Password: janePass, SecurityToken: janeToken})
			bad := credstore.Secrets{Password: janePass, SecurityToken: staleTok}
			tested := svc.Test(ctx, p, bad)
			if tested.OK() {
				t.Fatal("a stale token passed")
			}
			before := logins(f.srv)
			o := svc.TestAndSave(ctx, p, tt.saveSec(bad), connection.SaveOptions{Anyway: true, Tested: &tested})
			if !o.Saved {
				t.Fatalf("not saved: %+v", o)
			}
			if n := logins(f.srv) - before; n != tt.wantLogin {
				t.Errorf("%d logins for Save anyway, want %d", n, tt.wantLogin)
			}
			ps, _ := connection.LoadState(f.store).Profile("default")
			if ps.Tested != tt.want {
				t.Errorf("state after Save anyway: %v, want %v", ps.Tested, tt.want)
			}
		})
	}
}
