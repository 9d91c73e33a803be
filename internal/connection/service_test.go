package connection_test

import (
	"context"
	"errors"
	"fmt"
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

func TestStatus(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		setup    func(t *testing.T, f *fixture)
		code     connection.Code
		profiles int
		complete bool
	}{
		{"none saved", func(*testing.T, *fixture) {}, connection.CodeProfileNotFound, 0, true},
		{"complete", func(t *testing.T, f *fixture) {
			f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
		}, "", 1, true},
		{"a secret missing", func(t *testing.T, f *fixture) {
			f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
			if err := f.kr.Delete(credstore.Service, credstore.Account("jane", credstore.KindPassword)); err != nil {
				t.Fatal(err)
			}
		}, "", 1, false},
		{"no keychain", func(t *testing.T, f *fixture) {
			f.save(t, f.profile("jane", credstore.MethodSOAP, jane), janeSecrets)
			f.kr.FailWith(testfix.ErrNoService)
		}, connection.CodeKeychainUnavailable, -1, false},
		{"settings damaged", func(t *testing.T, f *fixture) {
			if err := os.MkdirAll(filepath.Dir(f.store.Path()), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f.store.Path(), []byte("{not json"), 0o600); err != nil {
				t.Fatal(err)
			}
		}, connection.CodeSettingsCorrupt, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(t, f)
			rep := connection.Status(ctx, f.store)
			if rep.Code != tt.code || rep.SettingsPath != f.store.Path() || rep.Complete() != tt.complete {
				t.Errorf("code %q complete %v, want %q %v: %+v", rep.Code, rep.Complete(), tt.code, tt.complete, rep)
			}
			if tt.profiles >= 0 && len(rep.Profiles) != tt.profiles {
				t.Errorf("%d profiles, want %d", len(rep.Profiles), tt.profiles)
			}
			if !rep.OK() && (rep.Hint == "" || rep.Headline == "") {
				t.Errorf("no headline or hint: %+v", rep.Outcome)
			}
		})
	}
}

func TestFailed(t *testing.T) {
	base := credstore.Profile{Name: "jane"}
	signIn := func(c sfclient.Code) error { return &sfclient.SignInError{Code: c, Message: "it did not finish"} }
	tests := []struct {
		name    string
		err     error
		code    connection.Code
		suspect sfclient.Field
		usage   bool
		has     string // in the message
	}{
		{"keychain unavailable", &credstore.KeychainError{Kind: credstore.KeychainUnavailable, Op: "read"}, connection.CodeKeychainUnavailable, "", false, ""},
		{"keychain locked", &credstore.KeychainError{Kind: credstore.KeychainLocked, Op: "save", Timeout: time.Second}, connection.CodeKeychainLocked, "", false, ""},
		{"keychain too big", &credstore.KeychainError{Kind: credstore.KeychainTooBig, Op: "save", Size: 1 << 20}, connection.CodeKeychainTooBig, "", false, ""},
		{"keychain other", &credstore.KeychainError{Kind: credstore.KeychainOther, Op: "delete", Err: errors.New("dbus said no")}, connection.CodeKeychainError, "", false, ""},
		{"keychain, wrapped", &wrapped{&credstore.KeychainError{Kind: credstore.KeychainLocked, Op: "read"}}, connection.CodeKeychainLocked, "", false, ""},
		{"settings insecure", &credstore.SettingsError{Path: "/s.json", Op: "read", Err: credstore.ErrInsecure}, connection.CodeSettingsInsecure, "", false, "/s.json"},
		{"settings too big", &credstore.SettingsError{Path: "/s.json", Op: "read", Err: credstore.ErrTooBig}, connection.CodeSettingsTooBig, "", false, ""},
		{"settings corrupt", &credstore.SettingsError{Path: "/s.json", Op: "parse", Err: credstore.ErrCorrupt}, connection.CodeSettingsCorrupt, "", false, ""},
		{"settings newer", &credstore.SettingsError{Path: "/s.json", Op: "parse", Err: credstore.ErrNewerVersion}, connection.CodeSettingsNewerVersion, "", false, ""},
		{"settings busy", &credstore.SettingsError{Path: "/s.lock", Op: "lock", Err: errors.New("held")}, connection.CodeSettingsBusy, "", false, ""},
		{"settings io", &credstore.SettingsError{Path: "/s.json", Op: "write", Err: os.ErrPermission}, connection.CodeSettingsIO, "", false, ""},
		{"policy unusable", &credstore.PolicyError{Source: "/etc/p.json", Err: errors.New("not JSON")}, connection.CodePolicyInvalid, "", false, "/etc/p.json"},
		{"policy violation", &connection.PolicyViolation{Field: credstore.PolicyMethods, Source: "/etc/p.json", Reason: "soap is not allowed"}, connection.CodePolicyViolation, sfclient.FieldAdvanced, false, "soap is not allowed"},
		{"login URL unusable", &sfclient.ConfigError{Field: "login URL", Value: "http://x", Reason: "must start with https://"}, connection.CodeInvalidProfile, sfclient.FieldEnvironment, false, `profile "jane"`},
		{"CA file unusable", &sfclient.ConfigError{Field: "ca-file", Value: "/ca.pem", Reason: "cannot be read"}, connection.CodeInvalidProfile, sfclient.FieldAdvanced, false, "ca-file"},
		{"malformed input", &sfclient.InputError{Field: sfclient.FieldPassword, Reason: "contains a control character"}, sfclient.CodeCredentialsMalformed, sfclient.FieldPassword, true, "password"},
		{"secrets missing", &connection.MissingError{Profile: "jane", Err: credstore.ErrNotFound}, connection.CodeSecretsMissing, "", false, `"jane"`},
		{"no such profile", connection.NoProfile("jane"), connection.CodeProfileNotFound, "", false, `"jane"`},
		{"no profile at all", connection.NoProfile(""), connection.CodeProfileNotFound, "", false, "no profile is saved yet"},
		{"sign-in timeout", signIn(sfclient.CodeSignInTimeout), sfclient.CodeSignInTimeout, "", false, "did not finish"},
		{"sign-in exchange timeout", signIn(sfclient.CodeSignInExchangeTimeout), sfclient.CodeSignInExchangeTimeout, "", false, ""},
		{"sign-in port in use", signIn(sfclient.CodeSignInPortInUse), sfclient.CodeSignInPortInUse, "", false, ""},
		{"sign-in browser", signIn(sfclient.CodeSignInBrowser), sfclient.CodeSignInBrowser, "", false, ""},
		{"sign-in no refresh token", signIn(sfclient.CodeSignInNoRefreshToken), sfclient.CodeSignInNoRefreshToken, "", false, ""},
		{"sign-in cancelled", signIn(sfclient.CodeCanceled), sfclient.CodeCanceled, "", false, ""},
		{"sign-in declined", signIn(sfclient.CodeOAuthAccessDenied), sfclient.CodeOAuthAccessDenied, "", false, ""},
		{"profile exists", fmt.Errorf("profile %q: %w", "Jane", credstore.ErrExists), connection.CodeProfileExists, "", false, `"Jane"`},
		{"anything else", errors.New("the disk caught fire"), connection.CodeError, "", false, "the disk caught fire"},
	}
	seen := map[connection.Code]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := connection.Failed(base, tt.err)
			seen[out.Code] = true
			if out.Code != tt.code || out.OK() || out.Checked || out.Usage() != tt.usage || out.Suspect != tt.suspect {
				t.Fatalf("code %q usage %v suspect %q, want %q %v %q: %+v", out.Code, out.Usage(), out.Suspect, tt.code, tt.usage, tt.suspect, out)
			}
			if out.Headline == "" || out.Headline == "Something went wrong" && tt.code != connection.CodeError {
				t.Errorf("headline %q", out.Headline)
			}
			if !strings.Contains(out.Message, tt.has) || out.Message == "" {
				t.Errorf("message %q lacks %q", out.Message, tt.has)
			}
			if !errors.Is(out.Err, tt.err) || out.Profile.Name != "jane" {
				t.Errorf("Err %v, profile %q", out.Err, out.Profile.Name)
			}
			if out.Kind() != connection.KindLocal && out.Kind() != connection.KindConnection {
				t.Errorf("kind %v", out.Kind())
			}
		})
	}
	t.Run("a sign-in Salesforce answered keeps its Result", func(t *testing.T) {
		r := sfclient.Result{Code: sfclient.CodeOAuthInvalidGrant, Headline: "The sign-in was refused", Suspect: sfclient.FieldAdvanced}
		out := connection.Failed(base, &sfclient.SignInError{Code: r.Code, Message: "expired authorization code", Result: &r})
		if out.Code != sfclient.CodeOAuthInvalidGrant || !out.Checked || out.Headline != r.Headline || out.Suspect != r.Suspect || out.Kind() != connection.KindCredentials {
			t.Errorf("%+v", out)
		}
	})
	// The two outcomes of input a face refuses itself.
	for _, o := range []connection.Outcome{connection.Usage("--username is required"), connection.Locked("--proxy contradicts the IT policy")} {
		seen[o.Code] = true
		if !o.Usage() || o.OK() || o.Headline == "" || o.Message == "" || o.Kind() != connection.KindLocal {
			t.Errorf("%+v", o)
		}
	}
	// Every code of this package is in the table.
	for _, c := range connection.Codes {
		if !seen[c] {
			t.Errorf("no case gives %s", c)
		}
	}
}

// wrapped hides an error behind another, as callers add context.
type wrapped struct{ err error }

func (w *wrapped) Error() string { return "save the profile: " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

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
