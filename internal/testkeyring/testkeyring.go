// Package testkeyring is an in-memory credstore.Keyring for unit tests of
// the command line and the window, where a real Secret Service adds nothing
// (the integration tests use gnome-keyring). It can also fail like a real
// keychain: missing, or locked behind a prompt nobody answers.
package testkeyring

import (
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

// Keyring is a thread-safe in-memory keychain.
type Keyring struct {
	mu      sync.Mutex
	entries map[string]string
	fail    error         // every call fails with this, when set
	block   chan struct{} // every call waits on this, when set
	calls   int
}

// New returns an empty Keyring.
func New() *Keyring { return &Keyring{entries: map[string]string{}} }

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

func (k *Keyring) enter() error {
	k.mu.Lock()
	k.calls++
	fail, block := k.fail, k.block
	k.mu.Unlock()
	if block != nil {
		<-block
	}
	return fail
}

// Lookup reads an entry directly, for assertions.
func (k *Keyring) Lookup(service, user string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.entries[key(service, user)]
	return v, ok
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

// FailWith makes every later call fail with err (nil: work again).
func (k *Keyring) FailWith(err error) {
	k.mu.Lock()
	k.fail = err
	k.mu.Unlock()
}

// Lock makes every later call block, like an unlock prompt nobody answers,
// until the returned function is called.
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
