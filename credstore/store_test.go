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

func TestDefaultHandling(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	if _, err := s.Default(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Default() on empty store = %v", err)
	}
	mustSave(t, s, prof("a"), Secrets{Password: "1"})
	mustSave(t, s, prof("b"), Secrets{Password: "2"})
	mustSave(t, s, prof("c"), Secrets{Password: "3"})
	if st := mustLoad(t, s); st.Default != "a" {
		t.Fatalf("default = %q, want the first profile", st.Default)
	}
	if err := s.SetDefault("c"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDefault("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("SetDefault(nope) = %v", err)
	}
	if d, _ := s.Default(); d.Name != "c" {
		t.Fatalf("default = %q", d.Name)
	}
	// Deleting the default moves it to the first remaining profile.
	if err := s.Delete(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Default(); d.Name != "a" {
		t.Fatalf("default after deleting it = %q, want a", d.Name)
	}
	// Renaming the default keeps it the default.
	if err := s.Rename(ctx, "a", "alpha"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Default(); d.Name != "alpha" {
		t.Fatalf("default after rename = %q", d.Name)
	}
	// Deleting a non-default keeps the default.
	if err := s.Delete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Default(); d.Name != "alpha" {
		t.Fatalf("default = %q", d.Name)
	}
	if err := s.Delete(ctx, "alpha"); err != nil {
		t.Fatal(err)
	}
	if st := mustLoad(t, s); st.Default != "" || len(st.Profiles) != 0 {
		t.Fatalf("after deleting all: %+v", st)
	}
	if _, err := s.Default(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Default() = %v", err)
	}
	// A default naming a missing profile (hand-edited file) is repaired
	// by the next save.
	writeSettingsFile(t, s.dir, `{"version":1,"default":"ghost","profiles":[]}`)
	if _, err := s.Default(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Default() with dangling name = %v", err)
	}
	mustSave(t, s, prof("real"), Secrets{})
	if d, _ := s.Default(); d.Name != "real" {
		t.Fatalf("default = %q", d.Name)
	}
}

func TestRename(t *testing.T) {
	s, kr := newTestStore(t)
	ctx := context.Background()
	sec := Secrets{Password: "pw", SecurityToken: "tok"}
	mustSave(t, s, prof("old"), sec)
	mustSave(t, s, prof("keep"), Secrets{Password: "k"})
	before := mustProfile(t, s, "old")

	if err := s.Rename(ctx, "old", "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Profile("old"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old profile still there: %v", err)
	}
	p := mustProfile(t, s, "new")
	if p.Username != before.Username || !slices.Equal(p.Secrets, before.Secrets) {
		t.Fatalf("renamed profile = %+v", p)
	}
	if got := mustSecrets(t, s, "new"); got != sec {
		t.Fatal("secrets did not follow the rename")
	}
	want := []string{"keep:password", "new:password", "new:security_token"}
	if got := kr.Accounts(Service); !slices.Equal(got, want) {
		t.Fatalf("accounts = %q, want %q", got, want)
	}
	if names := profileNames(mustLoad(t, s)); !slices.Equal(names, []string{"new", "keep"}) {
		t.Fatalf("order = %q, the renamed profile keeps its place", names)
	}

	for _, tc := range []struct {
		old, new string
		want     error
	}{
		{"missing", "x", ErrNotFound},
		{"new", "keep", ErrExists},
		{"new", "bad:name", ErrInvalid},
		{"new", "", ErrInvalid},
	} {
		if err := s.Rename(ctx, tc.old, tc.new); !errors.Is(err, tc.want) {
			t.Errorf("Rename(%q, %q) = %v, want %v", tc.old, tc.new, err, tc.want)
		}
	}
	if err := s.Rename(ctx, "new", "new"); err != nil {
		t.Errorf("Rename to the same name = %v", err)
	}
}

func profileNames(st Settings) []string {
	var out []string
	for _, p := range st.Profiles {
		out = append(out, p.Name)
	}
	return out
}

func TestSaveProfileKeepsSecrets(t *testing.T) {
	s, kr := newTestStore(t)
	mustSave(t, s, prof("p"), Secrets{Password: "pw", SecurityToken: "t"})
	before := kr.Calls()
	p := mustProfile(t, s, "p")
	p.APIVersion = "62.0"
	p.Secrets = nil // ignored
	if err := s.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	got := mustProfile(t, s, "p")
	if got.APIVersion != "62.0" || !slices.Equal(got.Secrets, []string{KindPassword, KindSecurityToken}) {
		t.Fatalf("profile = %+v", got)
	}
	if kr.Calls() != before {
		t.Fatal("SaveProfile touched the keychain")
	}
	if err := s.SaveProfile(prof("nope")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("SaveProfile(nope) = %v", err)
	}
}

func TestUpdateSecret(t *testing.T) {
	s, kr := newTestStore(t)
	ctx := context.Background()
	p := prof("o")
	p.Method = MethodOAuthBrowser
	mustSave(t, s, p, Secrets{ClientSecret: "cs"})

	// A new kind is added and listed in Kinds order.
	if err := s.UpdateSecret(ctx, "o", KindRefreshToken, "r1"); err != nil {
		t.Fatal(err)
	}
	if got := mustProfile(t, s, "o").Secrets; !slices.Equal(got, []string{KindRefreshToken, KindClientSecret}) {
		t.Fatalf("Secrets = %q", got)
	}
	// A rotated value replaces the entry; the settings stay as they are.
	fileBefore := string(readSettingsFile(t, s))
	if err := s.UpdateSecret(ctx, "o", KindRefreshToken, "r2"); err != nil {
		t.Fatal(err)
	}
	if v, _ := kr.Lookup(Service, "o:refresh_token"); v != "r2" {
		t.Fatalf("refresh token = %q", v)
	}
	if string(readSettingsFile(t, s)) != fileBefore {
		t.Fatal("rotating a token rewrote settings.json")
	}
	// An empty value removes it.
	if err := s.UpdateSecret(ctx, "o", KindRefreshToken, ""); err != nil {
		t.Fatal(err)
	}
	if _, ok := kr.Lookup(Service, "o:refresh_token"); ok {
		t.Fatal("entry not deleted")
	}
	if got := mustProfile(t, s, "o").Secrets; !slices.Equal(got, []string{KindClientSecret}) {
		t.Fatalf("Secrets = %q", got)
	}
	if err := s.UpdateSecret(ctx, "o", "pin", "x"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown kind = %v", err)
	}
	if err := s.UpdateSecret(ctx, "nope", KindPassword, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown profile = %v", err)
	}
}

func TestDelete(t *testing.T) {
	s, kr := newTestStore(t)
	ctx := context.Background()
	mustSave(t, s, prof("production"), Secrets{Password: "p1", SecurityToken: "t1"})
	mustSave(t, s, prof("sandbox"), Secrets{Password: "p2", SecurityToken: "t2"})
	if err := s.Delete(ctx, "production"); err != nil {
		t.Fatal(err)
	}
	if got := kr.Accounts(Service); !slices.Equal(got, []string{"sandbox:password", "sandbox:security_token"}) {
		t.Fatalf("accounts = %q", got)
	}
	if got := mustSecrets(t, s, "sandbox"); got.Password != "p2" || got.SecurityToken != "t2" {
		t.Fatal("logging out of production changed sandbox")
	}
	if err := s.Delete(ctx, "production"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete = %v", err)
	}
	if err := s.Delete(ctx, "bad:name"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete(bad:name) = %v", err)
	}
}

func TestSecretsReportsMissingEntries(t *testing.T) {
	s, kr := newTestStore(t)
	mustSave(t, s, prof("p"), Secrets{Password: "pw", SecurityToken: "tok"})
	kr.Delete(Service, "p:security_token") // e.g. deleted in Passwords and Keys
	sec, err := s.Secrets(context.Background(), "p")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "security_token") {
		t.Fatalf("err = %v, want ErrNotFound naming security_token", err)
	}
	if sec.Password != "pw" || sec.SecurityToken != "" {
		t.Fatal("the entries that exist should still be returned")
	}
	if _, err := s.Secrets(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Secrets(nope) = %v", err)
	}
}

func TestStatus(t *testing.T) {
	s, kr := newTestStore(t)
	ctx := context.Background()
	mustSave(t, s, prof("a"), Secrets{Password: "pw", SecurityToken: "tok"})
	mustSave(t, s, prof("b"), Secrets{RefreshToken: "r"})
	kr.Delete(Service, "b:refresh_token")

	sts, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 2 {
		t.Fatalf("%d statuses", len(sts))
	}
	a, b := sts[0], sts[1]
	if !a.IsDefault || b.IsDefault || !a.OK() || b.OK() {
		t.Fatalf("a=%+v b=%+v", a, b)
	}
	if !a.Present[KindPassword] || !a.Present[KindSecurityToken] || len(a.Missing) != 0 {
		t.Fatalf("a = %+v", a)
	}
	if b.Present[KindRefreshToken] || !slices.Equal(b.Missing, []string{KindRefreshToken}) {
		t.Fatalf("b = %+v", b)
	}

	// A failing keychain still lists the profiles, with the error.
	kr.FailWith(errors.New("boom"))
	sts, err = s.Status(ctx)
	if err == nil || len(sts) != 2 || sts[0].Err == nil || sts[1].Err == nil {
		t.Fatalf("Status with failing keychain = %+v, %v", sts, err)
	}
	asKeychainError(t, err)
}

func TestProbe(t *testing.T) {
	s, kr := newTestStore(t)
	if err := s.Probe(context.Background()); err != nil {
		t.Fatalf("Probe = %v", err)
	}
	kr.FailWith(errors.New("boom"))
	if ke := asKeychainError(t, s.Probe(context.Background())); ke.Kind != KeychainOther || ke.Op != "probe" {
		t.Fatalf("Probe error = %+v", ke)
	}
}

func TestDeleteFailsBeforeChangingAnythingWhenKeychainFails(t *testing.T) {
	s, kr := newTestStore(t)
	mustSave(t, s, prof("p"), Secrets{Password: "pw"})
	before := string(readSettingsFile(t, s))
	kr.FailWith(errors.New("locked"))
	if err := s.Delete(context.Background(), "p"); err == nil {
		t.Fatal("Delete succeeded with a failing keychain")
	}
	if string(readSettingsFile(t, s)) != before {
		t.Fatal("settings changed although the keychain could not be asked")
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
