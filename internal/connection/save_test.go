package connection_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
	"github.com/advologix/advologix-connect/sfclient"
)

func TestServiceTestAndSave(t *testing.T) {
	ctx := context.Background()
	t.Run("a failed test saves nothing", func(t *testing.T) {
		f := newFixture(t)
		out := f.service().TestAndSave(ctx, f.profile("jane", credstore.MethodSOAP, jane), credstore.Secrets{Password: janePass, SecurityToken: staleTok}, connection.SaveOptions{})
		if out.Code != sfclient.CodeInvalidLogin || out.Saved || !out.Checked {
			t.Fatalf("%+v", out)
		}
		if _, err := f.store.Profile("jane"); !errors.Is(err, credstore.ErrNotFound) || f.kr.Len() != 0 {
			t.Errorf("saved after a failed test: %v, %d entries", err, f.kr.Len())
		}
	})
	t.Run("a passing test saves, the first profile becomes the default", func(t *testing.T) {
		f := newFixture(t)
		out := f.service().TestAndSave(ctx, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets, connection.SaveOptions{})
		if !out.OK() || !out.Saved || !out.Default || !out.Checked || out.Result.UserFullName != "Jane Doe" || logins(f.srv) != 1 {
			t.Fatalf("%+v", out)
		}
		sec, err := f.store.Secrets(ctx, "jane")
		if err != nil || sec != janeSecrets {
			t.Errorf("saved secrets: %v", err)
		}
	})
	t.Run("only the secrets the method uses are saved", func(t *testing.T) {
		f := newFixture(t)
		sec := janeSecrets
		sec.RefreshToken, sec.ClientSecret = "stray-refresh", "stray-secret"
		if out := f.service().TestAndSave(ctx, f.profile("jane", credstore.MethodSOAP, jane), sec, connection.SaveOptions{}); !out.Saved {
			t.Fatalf("%+v", out)
		}
		for _, v := range f.kr.Values() {
			if strings.HasPrefix(v, "stray") {
				t.Errorf("a secret SOAP does not use was saved")
			}
		}
	})
	t.Run("NoCheck saves without a login", func(t *testing.T) {
		f := newFixture(t)
		out := f.service().TestAndSave(ctx, f.profile("jane", credstore.MethodSOAP, jane), credstore.Secrets{Password: "anything"}, connection.SaveOptions{NoCheck: true})
		if !out.OK() || !out.Saved || out.Checked || len(f.srv.Requests()) != 0 {
			t.Fatalf("%+v, %d requests", out, len(f.srv.Requests()))
		}
	})
	t.Run("NoCheck does not save what cannot be a credential", func(t *testing.T) {
		f := newFixture(t)
		out := f.service().TestAndSave(ctx, f.profile("jane", credstore.MethodSOAP, jane), credstore.Secrets{Password: "a\x00b"}, connection.SaveOptions{NoCheck: true})
		if out.Code != sfclient.CodeCredentialsMalformed || out.Saved || !out.Usage() || f.kr.Len() != 0 {
			t.Fatalf("%+v", out)
		}
	})
	t.Run("MakeDefault", func(t *testing.T) {
		f := newFixture(t)
		svc := f.service()
		first := svc.TestAndSave(ctx, f.profile("one", credstore.MethodSOAP, jane), janeSecrets, connection.SaveOptions{})
		second := svc.TestAndSave(ctx, f.profile("two", credstore.MethodSOAP, jane), janeSecrets, connection.SaveOptions{})
		third := svc.TestAndSave(ctx, f.profile("three", credstore.MethodSOAP, jane), janeSecrets, connection.SaveOptions{MakeDefault: true})
		if !first.Default || second.Default || !second.Saved || !third.Default {
			t.Errorf("defaults: %v %v %v", first.Default, second.Default, third.Default)
		}
		if st, _ := f.store.Load(); st.Default != "three" {
			t.Errorf("default %q, want three", st.Default)
		}
	})
	t.Run("a keychain that cannot save costs no login", func(t *testing.T) {
		for _, tested := range []bool{false, true} {
			f := newFixture(t)
			svc := f.service()
			p := f.profile("jane", credstore.MethodSOAP, jane)
			opts := connection.SaveOptions{}
			if tested {
				o := svc.Test(ctx, p, janeSecrets)
				opts.Tested = &o
			}
			f.kr.FailWith(testfix.ErrNoService)
			f.srv.ResetRequests()
			out := svc.TestAndSave(ctx, p, janeSecrets, opts)
			if out.Code != connection.CodeKeychainUnavailable || out.Saved || len(f.srv.Requests()) != 0 {
				t.Errorf("tested %v: %+v, %d requests", tested, out, len(f.srv.Requests()))
			}
			if _, err := os.Stat(f.store.Path()); !os.IsNotExist(err) {
				t.Errorf("settings written without secrets: %v", err)
			}
		}
	})
	t.Run("a failed Test is not sent again for the same inputs", func(t *testing.T) {
		f := newFixture(t)
		svc := f.service()
		p, sec := f.profile("jane", credstore.MethodSOAP, jane), credstore.Secrets{Password: "Wr0ng-Horse", SecurityToken: janeToken}
		tested := svc.Test(ctx, p, sec)
		f.srv.ResetRequests()
		out := svc.TestAndSave(ctx, p, sec, connection.SaveOptions{Tested: &tested})
		if out.Code != sfclient.CodeInvalidLogin || out.Saved || logins(f.srv) != 0 {
			t.Errorf("%+v, %d logins", out, logins(f.srv))
		}
	})
	t.Run("a Test of a profile by another name is reused", func(t *testing.T) {
		f := newFixture(t)
		svc := f.service()
		tested := svc.Test(ctx, f.profile("", credstore.MethodSOAP, jane), janeSecrets)
		f.srv.ResetRequests()
		out := svc.TestAndSave(ctx, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets, connection.SaveOptions{Tested: &tested})
		if !out.Saved || logins(f.srv) != 0 || out.Profile.Name != "jane" {
			t.Errorf("%+v, %d logins", out, logins(f.srv))
		}
	})
	t.Run("an outcome that is no Test is never reused", func(t *testing.T) {
		f := newFixture(t)
		svc := f.service()
		p := f.profile("jane", credstore.MethodSOAP, jane)
		for _, fake := range []connection.Outcome{
			{Checked: true, Result: sfclient.Result{OK: true}},
			svc.TestAndSave(ctx, p, janeSecrets, connection.SaveOptions{NoCheck: true}),
		} {
			f.srv.ResetRequests()
			out := svc.TestAndSave(ctx, p, credstore.Secrets{Password: "Wr0ng-Horse", SecurityToken: janeToken}, connection.SaveOptions{Tested: &fake})
			if out.Code != sfclient.CodeInvalidLogin || logins(f.srv) != 1 {
				t.Errorf("%+v, %d logins", out, logins(f.srv))
			}
		}
	})
}

// inputs is one login's inputs, as a form holds them.
type inputs struct {
	p       credstore.Profile
	sec     credstore.Secrets
	timeout time.Duration
}

// TestTestAndSaveReusesTestedOnlyForTheSameInputs changes one input at a
// time between Test and TestAndSave: each change logs in again, exactly
// once; no change (or one the login does not see) reuses the answer.
func TestTestAndSaveReusesTestedOnlyForTheSameInputs(t *testing.T) {
	ctx := context.Background()
	type change func(t *testing.T, f *fixture, in *inputs)
	tests := []struct {
		name   string
		method string
		change change
		again  bool
	}{
		{"nothing", credstore.MethodSOAP, func(*testing.T, *fixture, *inputs) {}, false},
		{"login URL typed differently", credstore.MethodSOAP, func(_ *testing.T, f *fixture, in *inputs) { in.p.LoginURL = f.srv.URL() + "/" }, false},
		{"a secret the method does not use", credstore.MethodSOAP, func(_ *testing.T, _ *fixture, in *inputs) { in.sec.RefreshToken = "unused" }, false},
		{"profile name", credstore.MethodSOAP, func(_ *testing.T, _ *fixture, in *inputs) { in.p.Name = "other" }, false},

		{"login URL", credstore.MethodSOAP, func(_ *testing.T, f *fixture, in *inputs) {
			in.p.LoginURL = strings.Replace(f.srv.URL(), "127.0.0.1", "localhost", 1)
		}, true},
		{"username", credstore.MethodSOAP, func(_ *testing.T, _ *fixture, in *inputs) { in.p.Username = "ann@firm.example.com" }, true},
		{"method", credstore.MethodSOAP, func(_ *testing.T, _ *fixture, in *inputs) { in.p.Method = credstore.MethodOAuthPassword }, true},
		{"client id", credstore.MethodOAuthPassword, func(_ *testing.T, _ *fixture, in *inputs) { in.p.ClientID = "3MVG9.another.app" }, true},
		{"API version", credstore.MethodSOAP, func(_ *testing.T, _ *fixture, in *inputs) { in.p.APIVersion = "63.0" }, true},
		{"proxy", credstore.MethodSOAP, func(t *testing.T, _ *fixture, in *inputs) {
			proxy, err := sftest.NewConnectProxy("", false)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(proxy.Close)
			in.p.Proxy = "http://" + proxy.Addr()
		}, true},
		{"CA file", credstore.MethodSOAP, func(t *testing.T, f *fixture, in *inputs) {
			b, err := os.ReadFile(f.ca)
			if err != nil {
				t.Fatal(err)
			}
			in.p.CAFile = filepath.Join(t.TempDir(), "same-ca.pem")
			if err := os.WriteFile(in.p.CAFile, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"password", credstore.MethodSOAP, func(_ *testing.T, _ *fixture, in *inputs) { in.sec.Password = "Wr0ng-Horse" }, true},
		{"token", credstore.MethodSOAP, func(_ *testing.T, _ *fixture, in *inputs) { in.sec.SecurityToken = staleTok }, true},
		{"client secret", credstore.MethodOAuthPassword, func(_ *testing.T, _ *fixture, in *inputs) { in.sec.ClientSecret = "an-app-secret" }, true},
		{"refresh token", credstore.MethodOAuthBrowser, func(t *testing.T, f *fixture, in *inputs) {
			tok, err := f.srv.BrowserSignIn(jane, clientID, redirect)
			if err != nil {
				t.Fatal(err)
			}
			in.sec.RefreshToken = tok
		}, true},
		{"timeout", credstore.MethodSOAP, func(_ *testing.T, _ *fixture, in *inputs) { in.timeout = 11 * time.Second }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			in := inputs{p: f.profile("jane", tt.method, jane), sec: janeSecrets, timeout: 10 * time.Second}
			if tt.method == credstore.MethodOAuthBrowser {
				f.saveBrowser(t, jane)
				in.sec, _ = f.store.Secrets(ctx, "browser")
			}
			svc := &connection.Service{Store: f.store, Timeout: in.timeout}
			tested := svc.Test(ctx, in.p, in.sec)
			if !tested.OK() {
				t.Fatalf("the first test failed: %+v", tested)
			}
			tt.change(t, f, &in)
			svc = &connection.Service{Store: f.store, Timeout: in.timeout}
			if got := svc.TestedWith(tested, in.p, in.sec); got == tt.again {
				t.Errorf("TestedWith = %v, want %v", got, !tt.again)
			}
			f.srv.ResetRequests()
			out := svc.TestAndSave(ctx, in.p, in.sec, connection.SaveOptions{Tested: &tested})
			want := 0
			if tt.again {
				want = 1
			}
			if n := attempts(f.srv); n != want {
				t.Errorf("%d logins, want %d (%s)", n, want, out)
			}
			if !tt.again && (!out.Saved || out.Result.ElapsedMS != tested.Result.ElapsedMS) {
				t.Errorf("the earlier answer was not the one saved: %+v", out)
			}
		})
	}
}

func TestTestAndSaveRefusesANameTakenInAnotherCase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
	out := f.service().TestAndSave(ctx, f.profile("Jane", credstore.MethodSOAP, jane), janeSecrets, connection.SaveOptions{NoCheck: true})
	if out.Code != connection.CodeProfileExists || out.Saved || !errors.Is(out.Err, credstore.ErrExists) || out.Hint == "" {
		t.Errorf("%+v", out)
	}
}

// Browser sign-in fails before the browser opens when it cannot end in a
// saved profile.
func TestSignInAndSaveStopsBeforeTheBrowser(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(f *fixture, svc *connection.Service, p *credstore.Profile)
		code   connection.Code
		detail string // in the message or hint
	}{
		{"no client id anywhere", func(_ *fixture, _ *connection.Service, p *credstore.Profile) { p.ClientID = "" },
			connection.CodeInvalidProfile, connection.ClientIDEnv},
		{"no keychain", func(f *fixture, _ *connection.Service, _ *credstore.Profile) { f.kr.FailWith(testfix.ErrNoService) },
			connection.CodeKeychainUnavailable, ""},
		{"the policy forbids browser sign-in", func(_ *fixture, svc *connection.Service, _ *credstore.Profile) {
			svc.Policy = credstore.Policy{Sources: []string{"/etc/advologix-connect/policy.json"}, Methods: []string{credstore.MethodSOAP}}
		}, connection.CodePolicyViolation, "/etc/advologix-connect/policy.json"},
		{"an unusable login URL", func(_ *fixture, _ *connection.Service, p *credstore.Profile) {
			p.LoginURL = "http://login.salesforce.com"
		},
			connection.CodeInvalidProfile, "https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			svc := f.service()
			p := f.profile("browser", credstore.MethodOAuthBrowser, "")
			tt.setup(f, svc, &p)
			opened := false
			res := svc.SignInAndSave(context.Background(), p, "", false, sfclient.SignInOptions{
				Port: 1, Open: func(string) error { opened = true; return nil }})
			if res.Code != tt.code || res.Saved || opened || len(f.srv.Requests()) != 0 {
				t.Fatalf("code %q saved %v opened %v, %d requests: %+v", res.Code, res.Saved, opened, len(f.srv.Requests()), res.Outcome)
			}
			if !strings.Contains(res.Message+res.Hint, tt.detail) || res.Headline == "" {
				t.Errorf("message %q hint %q lack %q", res.Message, res.Hint, tt.detail)
			}
		})
	}
}
