package credstore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSaveAndReadBack(t *testing.T) {
	tests := []struct {
		name     string
		p        Profile
		sec      Secrets
		accounts []string
	}{
		{
			name:     "soap password and token",
			p:        prof("production"),
			sec:      Secrets{Password: "pw-1", SecurityToken: "tok-1"},
			accounts: []string{"production:password", "production:security_token"},
		},
		{
			name:     "oauth browser refresh token",
			p:        Profile{Name: "sandbox", LoginURL: "https://test.salesforce.com", Method: MethodOAuthBrowser, ClientID: "3MVG9"},
			sec:      Secrets{RefreshToken: "5Aep861", ClientSecret: "cs"},
			accounts: []string{"sandbox:client_secret", "sandbox:refresh_token"},
		},
		{
			name:     "all four, unicode name",
			p:        prof("Büro Köln"),
			sec:      Secrets{Password: "p ä ✓", SecurityToken: "t", RefreshToken: "r", ClientSecret: "c"},
			accounts: []string{"Büro Köln:client_secret", "Büro Köln:password", "Büro Köln:refresh_token", "Büro Köln:security_token"},
		},
		{
			name: "no secrets at all",
			p:    prof("empty"),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, kr := newTestStore(t)
			mustSave(t, s, tc.p, tc.sec)
			if got := kr.Accounts(Service); !slices.Equal(got, tc.accounts) {
				t.Errorf("keychain accounts = %q, want %q", got, tc.accounts)
			}
			if got := mustSecrets(t, s, tc.p.Name); got != tc.sec {
				t.Errorf("Secrets() differ from what was saved")
			}
			p := mustProfile(t, s, tc.p.Name)
			if !slices.Equal(p.Secrets, tc.sec.kinds()) {
				t.Errorf("Profile.Secrets = %q, want %q", p.Secrets, tc.sec.kinds())
			}
			if p.UpdatedAt.IsZero() || p.Interrupted() {
				t.Errorf("UpdatedAt=%v Interrupted=%v", p.UpdatedAt, p.Interrupted())
			}
			if p.LoginURL != tc.p.LoginURL || p.Method != tc.p.Method || p.ClientID != tc.p.ClientID {
				t.Errorf("profile fields changed: %+v", p)
			}
			if d, err := s.Default(); err != nil || d.Name != tc.p.Name {
				t.Errorf("Default() = %q, %v; the first profile should become the default", d.Name, err)
			}
		})
	}
}

func TestSaveRemovesSecretsNoLongerGiven(t *testing.T) {
	s, kr := newTestStore(t)
	mustSave(t, s, prof("p"), Secrets{Password: "a", SecurityToken: "b"})
	p := prof("p")
	p.Method = MethodOAuthBrowser
	mustSave(t, s, p, Secrets{RefreshToken: "r"})
	if got := kr.Accounts(Service); !slices.Equal(got, []string{"p:refresh_token"}) {
		t.Fatalf("accounts = %q", got)
	}
	if got := mustProfile(t, s, "p"); !slices.Equal(got.Secrets, []string{KindRefreshToken}) || got.Method != MethodOAuthBrowser {
		t.Fatalf("profile = %+v", got)
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"default", true},
		{"Production EU", true},
		{"sandbox-2 (dev)", true},
		{"Büro", true},
		{strings.Repeat("x", 64), true},
		{strings.Repeat("é", 64), true},
		{"", false},
		{strings.Repeat("x", 65), false},
		{"a:b", false},
		{"tab\there", false},
		{"new\nline", false},
		{"nul\x00", false},
		{"\u0085next-line", false},
		{" lead", false},
		{"trail ", false},
		{"bad\xffutf8", false},
	}
	for _, tc := range tests {
		err := ValidateName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidateName(%q) error %v is not ErrInvalid", tc.name, err)
		}
	}

	s, kr := newTestStore(t)
	if err := s.Save(context.Background(), prof("a:b"), Secrets{Password: "x"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Save with ':' in name = %v", err)
	}
	if len(kr.Accounts(Service)) != 0 {
		t.Fatal("an invalid save wrote to the keychain")
	}
}

func TestSaveRefusesPasswordsInURLs(t *testing.T) {
	s, kr := newTestStore(t)
	for _, p := range []Profile{
		{Name: "a", LoginURL: "https://user:hunter2@login.salesforce.com"},
		{Name: "b", LoginURL: "https://login.salesforce.com", Proxy: "http://bob:hunter2@proxy:3128"},
	} {
		err := s.Save(context.Background(), p, Secrets{Password: "x"})
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("Save(%s) = %v, want ErrInvalid", p.Name, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("error repeats the password: %v", err)
		}
	}
	if len(kr.Accounts(Service)) != 0 {
		t.Fatal("keychain written")
	}
	// A proxy with a user name only is fine.
	p := prof("c")
	p.Proxy = "http://bob@proxy:3128"
	mustSave(t, s, p, Secrets{})
}

func TestNamesDifferingOnlyInCase(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	mustSave(t, s, prof("Prod"), Secrets{Password: "a"})
	if err := s.Save(ctx, prof("prod"), Secrets{Password: "b"}); !errors.Is(err, ErrExists) {
		t.Fatalf("Save(prod) next to Prod = %v, want ErrExists", err)
	}
	mustSave(t, s, prof("other"), Secrets{})
	if err := s.Rename(ctx, "other", "PROD"); !errors.Is(err, ErrExists) {
		t.Fatalf("Rename to PROD = %v, want ErrExists", err)
	}
	if err := s.Rename(ctx, "Prod", "prod"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("case-only Rename = %v, want ErrInvalid", err)
	}
	if got := mustSecrets(t, s, "Prod"); got.Password != "a" {
		t.Fatal("Prod's password changed")
	}
}

func TestSavePrefs(t *testing.T) {
	s, _ := newTestStore(t)
	if err := s.SavePrefs(Prefs{StartInTray: true, CheckInterval: "30m"}); err != nil {
		t.Fatal(err)
	}
	if st := mustLoad(t, s); !st.StartInTray || st.CheckInterval != "30m" {
		t.Fatalf("prefs = %+v", st.Prefs)
	}
	if err := s.SavePrefs(Prefs{CheckInterval: "soon"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad interval = %v", err)
	}
	if !strings.Contains(string(readSettingsFile(t, s)), `"start_in_tray": true`) {
		t.Fatal("start_in_tray not at the top level of settings.json")
	}
}
