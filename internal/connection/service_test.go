package connection_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

var janeSecrets = credstore.Secrets{Password: janePass, SecurityToken: janeToken}

func TestServiceTest(t *testing.T) {
	tests := []struct {
		name    string
		mod     func(f *fixture, p *credstore.Profile, s *credstore.Secrets)
		code    sfclient.Code
		checked bool // a login was sent
		usage   bool // the command line exits 2
		suspect sfclient.Field
	}{
		{"works", nil, "", true, false, ""},
		{"wrong password", func(_ *fixture, _ *credstore.Profile, s *credstore.Secrets) { s.Password = "Wr0ng-Horse" },
			sfclient.CodeInvalidLogin, true, false, sfclient.FieldToken},
		{"stale token", func(_ *fixture, _ *credstore.Profile, s *credstore.Secrets) { s.SecurityToken = staleTok },
			sfclient.CodeInvalidLogin, true, false, sfclient.FieldToken},
		{"NUL in the password sends nothing", func(_ *fixture, _ *credstore.Profile, s *credstore.Secrets) { s.Password = "Corr3ct\x00Horse" },
			sfclient.CodeCredentialsMalformed, true, true, sfclient.FieldPassword},
		{"blank username sends nothing", func(_ *fixture, p *credstore.Profile, _ *credstore.Secrets) { p.Username = "  " },
			sfclient.CodeCredentialsMalformed, true, true, sfclient.FieldUsername},
		{"plain http login URL sends nothing", func(_ *fixture, p *credstore.Profile, _ *credstore.Secrets) {
			p.LoginURL = "http://login.salesforce.com"
		},
			connection.CodeInvalidProfile, false, false, sfclient.FieldEnvironment},
		{"unknown method sends nothing", func(_ *fixture, p *credstore.Profile, _ *credstore.Secrets) { p.Method = "ntlm" },
			connection.CodeInvalidProfile, false, false, sfclient.FieldAdvanced},
		{"missing CA file sends nothing", func(f *fixture, p *credstore.Profile, _ *credstore.Secrets) { p.CAFile = f.ca + ".gone" },
			connection.CodeInvalidProfile, false, false, sfclient.FieldAdvanced},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			p, sec := f.profile("jane", credstore.MethodSOAP, jane), janeSecrets
			if tt.mod != nil {
				tt.mod(f, &p, &sec)
			}
			out := f.service().Test(context.Background(), p, sec)
			if out.Code != tt.code || out.OK() != (tt.code == "") || out.Checked != tt.checked || out.Usage() != tt.usage {
				t.Fatalf("code %q checked %v usage %v, want %q %v %v: %+v", out.Code, out.Checked, out.Usage(), tt.code, tt.checked, tt.usage, out)
			}
			if out.Headline == "" || !out.OK() && out.Hint == "" {
				t.Errorf("no headline or hint: %+v", out)
			}
			if out.Suspect != tt.suspect {
				t.Errorf("suspect %q, want %q", out.Suspect, tt.suspect)
			}
			wantLogins := 0
			if tt.checked && !tt.usage {
				wantLogins = 1
			}
			if n := len(f.srv.Requests()); n != wantLogins {
				t.Errorf("%d requests, want %d", n, wantLogins)
			}
			if f.kr.Len() != 0 {
				t.Errorf("Test wrote %d keychain entries", f.kr.Len())
			}
		})
	}
}

// failingRotation is a store that cannot keep a rotated refresh token.
type failingRotation struct{ *credstore.Store }

func (failingRotation) UpdateSecret(context.Context, string, string, string) error {
	return errors.New("the keychain refused the update")
}

func TestServiceCheckSaved(t *testing.T) {
	ctx := context.Background()
	t.Run("the default profile", func(t *testing.T) {
		f := newFixture(t)
		f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
		f.save(t, f.profile("stale", credstore.MethodSOAP, jane), credstore.Secrets{Password: janePass, SecurityToken: staleTok})
		out := f.service().CheckSaved(ctx, "")
		if !out.OK() || out.Profile.Name != "jane" || !out.Checked || logins(f.srv) != 1 {
			t.Errorf("%+v", out)
		}
		if out := f.service().CheckSaved(ctx, "stale"); out.Code != sfclient.CodeInvalidLogin || out.Profile.Name != "stale" {
			t.Errorf("named: %+v", out)
		}
	})
	t.Run("no such profile", func(t *testing.T) {
		f := newFixture(t)
		out := f.service().CheckSaved(ctx, "")
		if out.Code != connection.CodeProfileNotFound || out.Headline != "No profile is saved yet" || !errors.Is(out.Err, credstore.ErrNotFound) {
			t.Errorf("none saved: %+v", out)
		}
		f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
		out = f.service().CheckSaved(ctx, "nope")
		if out.Code != connection.CodeProfileNotFound || !strings.Contains(out.Message, `"nope"`) || out.Hint == "" || len(f.srv.Requests()) != 0 {
			t.Errorf("unknown name: %+v", out)
		}
	})
	t.Run("secrets missing", func(t *testing.T) {
		f := newFixture(t)
		f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
		if err := f.kr.Delete(credstore.Service, credstore.Account("jane", credstore.KindPassword)); err != nil {
			t.Fatal(err)
		}
		out := f.service().CheckSaved(ctx, "jane")
		if out.Code != connection.CodeSecretsMissing || !errors.Is(out.Err, connection.ErrSecretsMissing) || out.Hint == "" || out.Checked || len(f.srv.Requests()) != 0 {
			t.Errorf("%+v", out)
		}
	})
	t.Run("an unusable saved profile", func(t *testing.T) {
		f := newFixture(t)
		p := f.profile("jane", credstore.MethodSOAP, jane)
		p.CAFile = f.ca + ".gone"
		f.save(t, p, janeSecrets)
		out := f.service().CheckSaved(ctx, "jane")
		if out.Code != connection.CodeInvalidProfile || out.Usage() || !strings.Contains(out.Message, `profile "jane"`) || len(f.srv.Requests()) != 0 {
			t.Errorf("%+v", out)
		}
	})
	t.Run("a rotated refresh token is kept", func(t *testing.T) {
		f := newFixture(t)
		old := f.saveBrowser(t, jane)
		out := f.service().CheckSaved(ctx, "browser")
		sec, err := f.store.Secrets(ctx, "browser")
		if !out.OK() || rotationWarning(out) || err != nil || sec.RefreshToken == old || sec.RefreshToken == "" || refreshGrants(f.srv) != 1 {
			t.Errorf("%+v (%v)", out, err)
		}
		// The kept token works.
		if out := f.service().CheckSaved(ctx, "browser"); !out.OK() {
			t.Errorf("with the rotated token: %+v", out)
		}
	})
	t.Run("a rotated refresh token that cannot be kept is a warning", func(t *testing.T) {
		f := newFixture(t)
		f.saveBrowser(t, jane)
		svc := &connection.Service{Store: failingRotation{f.store}, Timeout: 10 * time.Second}
		out := svc.CheckSaved(ctx, "browser")
		if !out.OK() || !rotationWarning(out) || !strings.Contains(strings.Join(out.Result.Warnings, "\n"), "rotated") {
			t.Errorf("%+v", out)
		}
	})
}

func TestServiceRemove(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
	if out := f.service().Remove(ctx, "jane"); !out.OK() || f.kr.Len() != 0 {
		t.Errorf("%+v, %d entries left", out, f.kr.Len())
	}
	if out := f.service().Remove(ctx, "jane"); out.Code != connection.CodeProfileNotFound || !errors.Is(out.Err, credstore.ErrNotFound) {
		t.Errorf("again: %+v", out)
	}
}
