package credstore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

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
