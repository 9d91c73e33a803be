package credstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// newMem returns an in-memory keychain; several Stores may share one.
func newMem() *testfix.Keyring { return testfix.NewKeyring() }

func openTest(t *testing.T, dir string, kr Keyring) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir, Keyring: kr, ReadTimeout: 2 * time.Second, SaveTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newTestStore(t *testing.T) (*Store, *testfix.Keyring) {
	t.Helper()
	kr := newMem()
	return openTest(t, t.TempDir(), kr), kr
}

func prof(name string) Profile {
	return Profile{Name: name, LoginURL: "https://login.salesforce.com", Username: name + "@example.com", Method: MethodSOAP}
}

func mustSave(t *testing.T, s *Store, p Profile, sec Secrets) {
	t.Helper()
	if err := s.Save(context.Background(), p, sec); err != nil {
		t.Fatalf("Save(%s): %v", p.Name, err)
	}
}

func mustDelete(t *testing.T, s *Store, name string) {
	t.Helper()
	if err := s.Delete(context.Background(), name); err != nil {
		t.Fatalf("Delete(%s): %v", name, err)
	}
}

// wantDefault fails the test unless the default profile is want.
func wantDefault(t *testing.T, s *Store, want string) {
	t.Helper()
	if d, err := s.Default(); d.Name != want {
		t.Fatalf("default = %q (%v), want %q", d.Name, err, want)
	}
}

func mustLoad(t *testing.T, s *Store) Settings {
	t.Helper()
	st, err := s.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return st
}

func mustProfile(t *testing.T, s *Store, name string) Profile {
	t.Helper()
	p, err := s.Profile(name)
	if err != nil {
		t.Fatalf("Profile(%s): %v", name, err)
	}
	return p
}

func mustSecrets(t *testing.T, s *Store, name string) Secrets {
	t.Helper()
	sec, err := s.Secrets(context.Background(), name)
	if err != nil {
		t.Fatalf("Secrets(%s): %v", name, err)
	}
	return sec
}

func readSettingsFile(t *testing.T, s *Store) []byte {
	t.Helper()
	b, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeSettingsFile(t *testing.T, dir, content string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

var errCrash = errors.New("simulated crash")

// crashAt makes the store stop at the named step, as if the process died.
func crashAt(s *Store, step string) {
	s.hook = func(got string) error {
		if got == step {
			return errCrash
		}
		return nil
	}
}

func asKeychainError(t *testing.T, err error) *KeychainError {
	t.Helper()
	var ke *KeychainError
	if !errors.As(err, &ke) {
		t.Fatalf("error %v (%T) is not a *KeychainError", err, err)
	}
	return ke
}
