package credstore

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// After a simulated crash, a new Store (a restarted app) must find a state
// that is the old one, the new one, or the old one marked interrupted; and
// the next Save must clean everything up.

func TestCrashWhileUpdatingAnExistingProfile(t *testing.T) {
	oldSec := Secrets{Password: "old-pw", SecurityToken: "old-tok"}
	newSec := Secrets{Password: "new-pw", RefreshToken: "new-rt"}
	tests := []struct {
		step string
		// what the keychain holds after the crash
		want Secrets
	}{
		{"save:marked", oldSec},
		{"save:secret:password", Secrets{Password: "new-pw", SecurityToken: "old-tok"}},
		{"save:secret:security_token", Secrets{Password: "new-pw"}},
		{"save:secret:client_secret", newSec}, // all entries written, settings not
	}
	for _, tc := range tests {
		t.Run(tc.step, func(t *testing.T) {
			dir, kr := t.TempDir(), newMem()
			s := openTest(t, dir, kr)
			old := prof("p")
			old.Username = "old@example.com"
			mustSave(t, s, old, oldSec)

			crashAt(s, tc.step)
			upd := prof("p")
			upd.Username = "new@example.com"
			upd.Method = MethodOAuthBrowser
			if err := s.Save(context.Background(), upd, newSec); !errors.Is(err, errCrash) {
				t.Fatalf("Save = %v, want the simulated crash", err)
			}

			// The app starts again.
			s2 := openTest(t, dir, kr)
			p := mustProfile(t, s2, "p")
			if !p.Interrupted() {
				t.Fatal("profile not marked as interrupted")
			}
			if p.Username != "old@example.com" || !slices.Equal(p.Secrets, oldSec.kinds()) {
				t.Fatalf("the marked profile should keep its old fields: %+v", p)
			}
			// An interrupted profile reads every kind there is.
			got, err := s2.Secrets(context.Background(), "p")
			if err != nil && !errors.Is(err, ErrNotFound) {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("after the crash the keychain holds %v, want %v", got.kinds(), tc.want.kinds())
			}
			sts, err := s2.Status(context.Background())
			if err != nil || len(sts) != 1 || !sts[0].Interrupted || sts[0].OK() {
				t.Fatalf("Status = %+v, %v", sts, err)
			}

			// Saving again repairs it.
			mustSave(t, s2, upd, newSec)
			p = mustProfile(t, s2, "p")
			if p.Interrupted() || p.Username != "new@example.com" {
				t.Fatalf("after a new save: %+v", p)
			}
			if got := mustSecrets(t, s2, "p"); got != newSec {
				t.Fatal("secrets after repair differ")
			}
			if accts := kr.Accounts(Service); !slices.Equal(accts, []string{"p:password", "p:refresh_token"}) {
				t.Fatalf("accounts = %q", accts)
			}
		})
	}
}

func TestCrashWhileSavingANewProfile(t *testing.T) {
	for _, step := range []string{"save:secret:password", "save:secret:client_secret"} {
		t.Run(step, func(t *testing.T) {
			dir, kr := t.TempDir(), newMem()
			s := openTest(t, dir, kr)
			mustSave(t, s, prof("existing"), Secrets{Password: "e"})
			crashAt(s, step)
			if err := s.Save(context.Background(), prof("new"), Secrets{Password: "pw", SecurityToken: "tok"}); !errors.Is(err, errCrash) {
				t.Fatal(err)
			}
			s2 := openTest(t, dir, kr)
			st := mustLoad(t, s2)
			if _, ok := st.Profile("new"); ok {
				t.Fatal("a profile whose save crashed before the settings were written appeared")
			}
			if st.Default != "existing" || mustSecrets(t, s2, "existing").Password != "e" {
				t.Fatal("the other profile was disturbed")
			}
			// The unreferenced entries are removed by Delete of that name
			// (which then succeeds because there was something to remove)...
			if err := s2.Delete(context.Background(), "new"); err != nil {
				t.Fatalf("Delete of leftovers = %v", err)
			}
			if accts := kr.Accounts(Service); !slices.Equal(accts, []string{"existing:password"}) {
				t.Fatalf("accounts = %q", accts)
			}
			if err := s2.Delete(context.Background(), "new"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("second Delete = %v", err)
			}
		})
	}
}

func TestSaveOverwritesLeftoversOfACrashedNewProfile(t *testing.T) {
	dir, kr := t.TempDir(), newMem()
	s := openTest(t, dir, kr)
	crashAt(s, "save:secret:client_secret")
	_ = s.Save(context.Background(), prof("p"), Secrets{Password: "pw", SecurityToken: "tok"})
	s2 := openTest(t, dir, kr)
	mustSave(t, s2, prof("p"), Secrets{Password: "pw2"})
	if accts := kr.Accounts(Service); !slices.Equal(accts, []string{"p:password"}) {
		t.Fatalf("accounts = %q: the stale security token should be gone", accts)
	}
}

func TestCrashInDeleteBetweenSettingsAndSecrets(t *testing.T) {
	dir, kr := t.TempDir(), newMem()
	s := openTest(t, dir, kr)
	mustSave(t, s, prof("p"), Secrets{Password: "pw", SecurityToken: "tok"})
	mustSave(t, s, prof("q"), Secrets{Password: "q"})
	crashAt(s, "delete:settings")
	if err := s.Delete(context.Background(), "p"); !errors.Is(err, errCrash) {
		t.Fatal(err)
	}
	s2 := openTest(t, dir, kr)
	st := mustLoad(t, s2)
	if _, ok := st.Profile("p"); ok {
		t.Fatal("the deleted profile is still listed")
	}
	if st.Default != "q" {
		t.Fatalf("default = %q", st.Default)
	}
	if sts, err := s2.Status(context.Background()); err != nil || len(sts) != 1 || !sts[0].OK() {
		t.Fatalf("Status = %+v, %v", sts, err)
	}
	// A new profile of the same name does not inherit the old token.
	mustSave(t, s2, prof("p"), Secrets{Password: "fresh"})
	if accts := kr.Accounts(Service); !slices.Equal(accts, []string{"p:password", "q:password"}) {
		t.Fatalf("accounts = %q", accts)
	}
	if got := mustSecrets(t, s2, "p"); got != (Secrets{Password: "fresh"}) {
		t.Fatal("wrong secrets")
	}
}

func TestCrashInRename(t *testing.T) {
	for _, tc := range []struct {
		step      string
		wantName  string
		leftovers []string
	}{
		{"rename:copied", "old", []string{"new:password", "new:security_token"}},
		{"rename:settings", "new", []string{"old:password", "old:security_token"}},
	} {
		t.Run(tc.step, func(t *testing.T) {
			dir, kr := t.TempDir(), newMem()
			s := openTest(t, dir, kr)
			sec := Secrets{Password: "pw", SecurityToken: "tok"}
			mustSave(t, s, prof("old"), sec)
			crashAt(s, tc.step)
			if err := s.Rename(context.Background(), "old", "new"); !errors.Is(err, errCrash) {
				t.Fatal(err)
			}
			s2 := openTest(t, dir, kr)
			st := mustLoad(t, s2)
			if len(st.Profiles) != 1 || st.Profiles[0].Name != tc.wantName || st.Default != tc.wantName {
				t.Fatalf("after crash: %+v", st)
			}
			if got := mustSecrets(t, s2, tc.wantName); got != sec {
				t.Fatal("the surviving profile lost secrets")
			}
			for _, a := range tc.leftovers {
				if _, ok := kr.Lookup(Service, a); !ok {
					t.Fatalf("expected leftover %s", a)
				}
			}
			// Delete of the other name cleans the leftovers.
			other := "new"
			if tc.wantName == "new" {
				other = "old"
			}
			if err := s2.Delete(context.Background(), other); err != nil {
				t.Fatal(err)
			}
			if got := mustSecrets(t, s2, tc.wantName); got != sec {
				t.Fatal("cleaning leftovers touched the live profile")
			}
		})
	}
}

// A keychain error (not a crash) in the middle of the entries leaves the
// mark; an error before any entry changed takes it away again.
func TestKeychainFailureDuringSave(t *testing.T) {
	for _, tc := range []struct {
		name       string
		failOnSet  int // fail the n-th Set after the first save
		wantMarked bool
	}{
		{"first entry fails", 1, false},
		{"second entry fails", 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, kr := t.TempDir(), newMem()
			s := openTest(t, dir, kr)
			mustSave(t, s, prof("p"), Secrets{Password: "old"})
			kr.FailSet(func(_ string, n int) error {
				if n == tc.failOnSet {
					return errors.New("keychain refused")
				}
				return nil
			})
			err := s.Save(context.Background(), prof("p"), Secrets{Password: "new", SecurityToken: "tok"})
			asKeychainError(t, err)
			if p := mustProfile(t, s, "p"); p.Interrupted() != tc.wantMarked {
				t.Fatalf("Interrupted = %v, want %v", p.Interrupted(), tc.wantMarked)
			}
		})
	}
}

// A Set that timed out may still land later: the mark must stay.
func TestTimeoutDuringSaveKeepsTheMark(t *testing.T) {
	dir, kr := t.TempDir(), newMem()
	s, err := Open(Options{Dir: dir, Keyring: kr, SaveTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, prof("p"), Secrets{Password: "old"})
	release := kr.Lock()
	err = s.Save(context.Background(), prof("p"), Secrets{Password: "new"})
	if ke := asKeychainError(t, err); ke.Kind != KeychainLocked {
		t.Fatalf("kind = %v", ke.Kind)
	}
	release()
	if p := mustProfile(t, s, "p"); !p.Interrupted() {
		t.Fatal("mark removed although the timed-out write may still happen")
	}
}
