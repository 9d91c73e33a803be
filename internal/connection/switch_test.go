package connection_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

// switchFixture is the emulator approving browser sign-ins as authorizeAs,
// and Jane's password profile "firm", tested once (so its org is known),
// with a proxy-free set of settings the switch must keep.
func switchFixture(t *testing.T, authorizeAs string, otherOrg bool) (*testfix.Emulator, *credstore.Store, *testfix.Keyring) {
	t.Helper()
	emu := testfix.StartEmulator(t, func(c *sftest.Config) {
		c.Users = append(c.Users, sftest.User{Username: "ann@firm.example.com", Password: "ann-pass", SecurityToken: "AnnTokenAnnTokenAnnToken"})
		c.Apps = []sftest.App{{ClientID: clientID, RedirectURIs: []string{"http://localhost:7890/OauthRedirect"}, AnyLoopbackPort: true, RequirePKCE: true}}
		c.AuthorizeAs = authorizeAs
	})
	kr := testfix.NewKeyring()
	st, err := credstore.Open(credstore.Options{Dir: t.TempDir(), Keyring: kr})
	if err != nil {
		t.Fatal(err)
	}
	p := credstore.Profile{Name: "firm", LoginURL: emu.URL(), Username: jane, Method: credstore.MethodSOAP,
		ClientID: clientID, CAFile: emu.CAFile, APIVersion: "62.0"}
	svc := &connection.Service{Store: st, Timeout: 10 * time.Second}
	if o := svc.TestAndSave(context.Background(), p, credstore.Secrets{Password: janePass, SecurityToken: janeToken}, connection.SaveOptions{}); !o.OK() || !o.Saved {
		t.Fatalf("saving the password profile: %v", o)
	}
	if otherOrg {
		// The last test saw another org: a verdict from elsewhere.
		v, _ := st.Verdicts()
		rec := v["firm"]
		rec.Result = []byte(`{"ok":true,"organization_id":"00D000000000OTHER"}`)
		if err := st.RecordVerdict(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	emu.ResetRequests()
	return emu, st, kr
}

func TestSwitchToBrowser(t *testing.T) {
	emu, st, kr := switchFixture(t, jane, false)
	before, _ := st.Profile("firm")
	svc := &connection.Service{Store: st, Timeout: 10 * time.Second}
	out := svc.SwitchToBrowser(context.Background(), "firm", "", sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 10 * time.Second, Open: emu.Browser(nil, nil)})
	if !out.OK() || !out.Saved {
		t.Fatalf("switch: %v (%s)", out.Outcome, out.Hint)
	}
	p, err := st.Profile("firm")
	if err != nil {
		t.Fatal(err)
	}
	if p.LoginMethod() != credstore.MethodOAuthBrowser || p.LoginURL != before.LoginURL || p.APIVersion != "62.0" ||
		p.CAFile != before.CAFile || p.Username != jane || !slices.Equal(p.Secrets, []string{credstore.KindRefreshToken}) {
		t.Errorf("switched profile: %+v", p)
	}
	for _, v := range kr.Values() {
		if v == janePass || v == janeToken {
			t.Error("the password or security token is still in the keychain")
		}
	}
	// The new login works, and the state says it was tested as saved.
	if o := svc.CheckSaved(context.Background(), "firm"); !o.OK() {
		t.Errorf("check after the switch: %v", o)
	}
	if ps, _ := connection.LoadState(st).Profile("firm"); ps.Tested != connection.Connected {
		t.Errorf("state after the switch: %v", ps.Tested)
	}
	// Once more: nothing to do, and no sign-in.
	emu.ResetRequests()
	again := svc.SwitchToBrowser(context.Background(), "firm", "", sfclient.SignInOptions{Port: sfclient.AnyPort, Open: emu.Browser(nil, nil)})
	if !again.OK() || again.Saved || emu.Count("GET", "/services/oauth2/authorize") != 0 {
		t.Errorf("second switch: %v saved=%v", again.Outcome, again.Saved)
	}
}

// A browser sign-in as another user, or in another org than the profile
// was tested in, changes nothing.
func TestSwitchToBrowserRefusesSomeoneElse(t *testing.T) {
	tests := []struct {
		name        string
		authorizeAs string
		otherOrg    bool
	}{
		{"another user", "ann@firm.example.com", false},
		{"another org", jane, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			emu, st, kr := switchFixture(t, tc.authorizeAs, tc.otherOrg)
			before, _ := st.Profile("firm")
			keys := sorted(kr.Values())
			svc := &connection.Service{Store: st, Timeout: 10 * time.Second}
			out := svc.SwitchToBrowser(context.Background(), "firm", "", sfclient.SignInOptions{Port: sfclient.AnyPort, Timeout: 10 * time.Second, Open: emu.Browser(nil, nil)})
			if out.Code != connection.CodeSwitchOtherUser || out.Saved {
				t.Fatalf("switch as %s: %v", tc.authorizeAs, out.Outcome)
			}
			after, _ := st.Profile("firm")
			if after.Generation != before.Generation || after.LoginMethod() != credstore.MethodSOAP {
				t.Errorf("the profile changed: %+v", after)
			}
			if !slices.Equal(sorted(kr.Values()), keys) {
				t.Error("the keychain changed")
			}
			if o := svc.CheckSaved(context.Background(), "firm"); !o.OK() {
				t.Errorf("the password login no longer works: %v", o)
			}
		})
	}
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}
