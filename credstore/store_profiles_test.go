package credstore

import (
	"context"
	"errors"
	"slices"
	"testing"
)

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
	wantDefault(t, s, "c")
	// Deleting the default moves it to the first remaining profile.
	mustDelete(t, s, "c")
	wantDefault(t, s, "a")
	// Renaming the default keeps it the default.
	if err := s.Rename(ctx, "a", "alpha"); err != nil {
		t.Fatal(err)
	}
	wantDefault(t, s, "alpha")
	// Deleting a non-default keeps the default.
	mustDelete(t, s, "b")
	wantDefault(t, s, "alpha")
	mustDelete(t, s, "alpha")
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
	wantDefault(t, s, "real")
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

func TestDelete(t *testing.T) {
	s, kr := newTestStore(t)
	ctx := context.Background()
	mustSave(t, s, prof("production"), Secrets{Password: "p1", SecurityToken: "t1"})
	mustSave(t, s, prof("sandbox"), Secrets{Password: "p2", SecurityToken: "t2"})
	mustDelete(t, s, "production")
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
