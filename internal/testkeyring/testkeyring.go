// Package testkeyring is the former home of the in-memory keychain, now
// [testfix.Keyring]. It remains, as aliases, only until the last tests
// that import it move to internal/testfix; new tests use testfix.
package testkeyring

import "github.com/advologix/advologix-connect/internal/testfix"

// ErrNoService is [testfix.ErrNoService].
var ErrNoService = testfix.ErrNoService

// Keyring is [testfix.Keyring].
type Keyring = testfix.Keyring

// New is [testfix.NewKeyring].
func New() *Keyring { return testfix.NewKeyring() }
