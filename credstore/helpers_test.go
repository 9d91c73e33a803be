package credstore

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// memKeyring is a goroutine-safe in-memory Keyring with fault injection.
// It is shared by several Stores to stand in for one OS keychain.
type memKeyring struct {
	mu      sync.Mutex
	entries map[string]string // "service\x00account" -> secret
	calls   []string          // "get a", "set a", "del a"

	// failSet, if set, is asked before each Set; a non-nil error fails it.
	failSet func(account string, n int) error
	sets    int
	// block, if set, makes Get/Set/Delete wait until it is closed.
	block chan struct{}
	// err, if set, fails every call.
	err error
}

func newMem() *memKeyring { return &memKeyring{entries: map[string]string{}} }

func key(service, user string) string { return service + "\x00" + user }

func (m *memKeyring) wait() {
	m.mu.Lock()
	b := m.block
	m.mu.Unlock()
	if b != nil {
		<-b
	}
}

func (m *memKeyring) Get(service, user string) (string, error) {
	m.wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "get "+user)
	if m.err != nil {
		return "", m.err
	}
	v, ok := m.entries[key(service, user)]
	if !ok {
		return "", gokeyring.ErrNotFound
	}
	return v, nil
}

func (m *memKeyring) Set(service, user, secret string) error {
	m.wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "set "+user)
	if m.err != nil {
		return m.err
	}
	m.sets++
	if m.failSet != nil {
		if err := m.failSet(user, m.sets); err != nil {
			return err
		}
	}
	m.entries[key(service, user)] = secret
	return nil
}

func (m *memKeyring) Delete(service, user string) error {
	m.wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, "del "+user)
	if m.err != nil {
		return m.err
	}
	k := key(service, user)
	if _, ok := m.entries[k]; !ok {
		return gokeyring.ErrNotFound
	}
	delete(m.entries, k)
	return nil
}

// accounts returns the sorted accounts stored under Service.
func (m *memKeyring) accounts() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for k := range m.entries {
		if svc, acct, ok := cut0(k); ok && svc == Service {
			out = append(out, acct)
		}
	}
	slices.Sort(out)
	return out
}

func (m *memKeyring) value(account string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.entries[key(Service, account)]
	return v, ok
}

func (m *memKeyring) put(account, v string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[key(Service, account)] = v
}

func (m *memKeyring) remove(account string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key(Service, account))
}

func (m *memKeyring) snapshot() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.entries)
}

func cut0(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == 0 {
			return s[:i], s[i+1:], true
		}
	}
	return "", "", false
}

func openTest(t *testing.T, dir string, kr Keyring) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir, Keyring: kr, ReadTimeout: 2 * time.Second, SaveTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newTestStore(t *testing.T) (*Store, *memKeyring) {
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
