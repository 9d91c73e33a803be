package testfix

import (
	"slices"
	"strings"
	"sync"

	dbus "github.com/godbus/dbus/v5"
	gokeyring "github.com/zalando/go-keyring"
)

// ErrNoService is what a Linux desktop without a Secret Service answers:
// the D-Bus error for a name nobody owns.
var ErrNoService error = dbus.Error{
	Name: "org.freedesktop.DBus.Error.ServiceUnknown",
	Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"},
}

// Keyring is an in-memory keychain with credstore.Keyring's methods, safe
// for concurrent use; several stores may share one, as they share the OS
// keychain. A missing entry is go-keyring's ErrNotFound, as from the real
// one. It can fail like a real keychain: every call ([Keyring.FailWith]),
// chosen writes ([Keyring.FailSet]), or by never answering
// ([Keyring.Lock]).
type Keyring struct {
	mu      sync.Mutex
	entries map[string]string // service "\x00" user -> secret
	fail    error             // every call fails with this, when set
	failSet func(user string, n int) error
	sets    int           // Set calls since failSet was installed
	block   chan struct{} // every call waits on this, when set
	calls   int
}

// NewKeyring returns an empty Keyring.
func NewKeyring() *Keyring { return &Keyring{entries: map[string]string{}} }

func key(service, user string) string { return service + "\x00" + user }

// Get implements credstore.Keyring.
func (k *Keyring) Get(service, user string) (string, error) {
	if err := k.enter(); err != nil {
		return "", err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.entries[key(service, user)]
	if !ok {
		return "", gokeyring.ErrNotFound
	}
	return v, nil
}

// Set implements credstore.Keyring.
func (k *Keyring) Set(service, user, secret string) error {
	if err := k.enter(); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.failSet != nil {
		k.sets++
		if err := k.failSet(user, k.sets); err != nil {
			return err
		}
	}
	k.entries[key(service, user)] = secret
	return nil
}

// Delete implements credstore.Keyring.
func (k *Keyring) Delete(service, user string) error {
	if err := k.enter(); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.entries[key(service, user)]; !ok {
		return gokeyring.ErrNotFound
	}
	delete(k.entries, key(service, user))
	return nil
}

// enter counts a call, waits while the keyring is locked, and returns the
// error every call fails with (nil when none).
func (k *Keyring) enter() error {
	k.mu.Lock()
	k.calls++
	block := k.block
	k.mu.Unlock()
	if block != nil {
		<-block
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.fail
}

// Lookup reads an entry directly, for assertions: no call is counted and
// no fault applies.
func (k *Keyring) Lookup(service, user string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.entries[key(service, user)]
	return v, ok
}

// Accounts returns the sorted user names of service's entries.
func (k *Keyring) Accounts(service string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for kk := range k.entries {
		if svc, user, _ := strings.Cut(kk, "\x00"); svc == service {
			out = append(out, user)
		}
	}
	slices.Sort(out)
	return out
}

// Len is the number of entries.
func (k *Keyring) Len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.entries)
}

// Values returns every stored secret, for "never in a file" checks.
func (k *Keyring) Values() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]string, 0, len(k.entries))
	for _, v := range k.entries {
		out = append(out, v)
	}
	return out
}

// Calls is how many Get, Set and Delete calls the keyring has had.
func (k *Keyring) Calls() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.calls
}

// FailWith makes every later call fail with err (nil: work again).
func (k *Keyring) FailWith(err error) {
	k.mu.Lock()
	k.fail = err
	k.mu.Unlock()
}

// FailSet asks f before each later Set that reaches the keyring, with the
// entry's user and n counting those Sets from 1; an error from f fails
// that Set and leaves the entry as it was. A nil f stops asking.
func (k *Keyring) FailSet(f func(user string, n int) error) {
	k.mu.Lock()
	k.failSet, k.sets = f, 0
	k.mu.Unlock()
}

// Lock makes every later call block, like an unlock prompt nobody answers,
// until the returned function is called (more than once is harmless).
func (k *Keyring) Lock() (unlock func()) {
	ch := make(chan struct{})
	k.mu.Lock()
	k.block = ch
	k.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			k.mu.Lock()
			k.block = nil
			k.mu.Unlock()
			close(ch)
		})
	}
}
