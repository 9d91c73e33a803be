package credstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// Service is the keychain service name of every entry credstore writes.
const Service = "advologix-connect"

// probeAccount is read by Store.Probe. No profile can have it: profile
// names are never empty.
const probeAccount = ":probe"

// Account returns the keychain account name of one secret of a profile:
// "<profile>:<kind>". It is part of the stable schema (see the README).
func Account(profile, kind string) string { return profile + ":" + kind }

// Keyring is the OS keychain as credstore uses it. The default,
// SystemKeyring, is github.com/zalando/go-keyring. Get and Delete report a
// missing entry with an error matching go-keyring's ErrNotFound or this
// package's ErrNotFound.
// Calls may block for ever (an unanswered unlock prompt): Store bounds each
// one with a deadline and runs it on its own goroutine.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// SystemKeyring returns the OS keychain through go-keyring: macOS Keychain,
// Windows Credential Manager, or the Secret Service on Linux and BSD.
func SystemKeyring() Keyring { return systemKeyring{} }

type systemKeyring struct{}

func (systemKeyring) Get(service, user string) (string, error) {
	return gokeyring.Get(service, user)
}

func (systemKeyring) Set(service, user, secret string) error {
	return gokeyring.Set(service, user, secret)
}

func (systemKeyring) Delete(service, user string) error {
	return gokeyring.Delete(service, user)
}

// errEntryNotFound is the internal "no such entry" result of a keychain call.
var errEntryNotFound = fmt.Errorf("keychain entry: %w", ErrNotFound)

// errStuck is the cause of a fail-fast KeychainLocked error.
var errStuck = errors.New("an earlier keychain call is still waiting for an answer")

// callGuard lets one keychain call run at a time per Store, and remembers
// when the running one was abandoned by its caller (it hit its deadline
// and is probably stuck on an unlock prompt). Then new calls fail at once
// instead of piling up blocked goroutines: at most one leaks per Store.
type callGuard struct {
	slot chan struct{} // capacity 1

	mu         sync.Mutex
	stuck      bool
	stuckAfter time.Duration
}

// keychainOp is one Store operation's access to the keychain: every call
// shares the operation's context, and errors name the operation.
type keychainOp struct {
	s       *Store
	ctx     context.Context
	op      string
	timeout time.Duration // the operation's time budget, for messages
}

// keychain starts a keychain operation with the given default timeout,
// shortened by ctx's own deadline if that comes first.
func (s *Store) keychain(ctx context.Context, op string, timeout time.Duration) (keychainOp, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) < timeout {
		timeout = max(time.Until(d), 0)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return keychainOp{s: s, ctx: ctx, op: op, timeout: timeout}, cancel
}

// get reads one entry; a missing entry is errEntryNotFound.
func (k keychainOp) get(account string) (string, error) {
	var v string
	err := k.call(account, func(kr Keyring) error {
		var err error
		v, err = kr.Get(Service, account)
		return err
	})
	if err != nil {
		return "", err
	}
	return v, nil
}

func (k keychainOp) set(account, value string) error {
	if len(value) > MaxSecretBytes {
		return &KeychainError{Kind: KeychainTooBig, Op: k.op, Account: account, Size: len(value)}
	}
	err := k.call(account, func(kr Keyring) error { return kr.Set(Service, account, value) })
	var ke *KeychainError
	if errors.As(err, &ke) && ke.Kind == KeychainTooBig {
		ke.Size = len(value)
	}
	return err
}

// del deletes one entry; existed reports whether there was one. It deletes
// until the entry is gone, because a Secret Service may hold several items
// with the same attributes (written by other tools).
func (k keychainOp) del(account string) (existed bool, err error) {
	for range 8 {
		err := k.call(account, func(kr Keyring) error { return kr.Delete(Service, account) })
		if errors.Is(err, errEntryNotFound) {
			return existed, nil
		}
		if err != nil {
			return existed, err
		}
		existed = true
	}
	return existed, nil
}

// call runs fn on its own goroutine under the guard and the deadline.
func (k keychainOp) call(account string, fn func(Keyring) error) error {
	label := account // for messages
	g := &k.s.guard
	if label == probeAccount {
		label = ""
	}
	if err := k.ctx.Err(); err != nil {
		return k.ctxErr(label)
	}
	select {
	case g.slot <- struct{}{}:
	default:
		g.mu.Lock()
		stuck, after := g.stuck, g.stuckAfter
		g.mu.Unlock()
		if stuck {
			return &KeychainError{Kind: KeychainLocked, Op: k.op, Account: label, Timeout: after, Err: errStuck}
		}
		select {
		case g.slot <- struct{}{}:
		case <-k.ctx.Done():
			return k.ctxErr(label)
		}
	}

	done := make(chan error, 1)
	var mu sync.Mutex // guards finished
	finished := false
	go func() {
		err := fn(k.s.kr)
		mu.Lock()
		finished = true
		mu.Unlock()
		g.mu.Lock()
		g.stuck = false
		g.mu.Unlock()
		<-g.slot
		done <- err
	}()

	select {
	case err := <-done:
		return k.classify(label, err)
	case <-k.ctx.Done():
		mu.Lock()
		// Only a call that outlived its deadline counts as stuck; one the
		// caller cancelled is probably just about to finish.
		if !finished && errors.Is(k.ctx.Err(), context.DeadlineExceeded) {
			g.mu.Lock()
			g.stuck, g.stuckAfter = true, k.timeout
			g.mu.Unlock()
		}
		mu.Unlock()
		return k.ctxErr(label)
	}
}

func (k keychainOp) ctxErr(account string) error {
	if errors.Is(k.ctx.Err(), context.Canceled) {
		return fmt.Errorf("keychain %s: %w", strings.TrimSpace(k.op+" "+account), context.Canceled)
	}
	return &KeychainError{Kind: KeychainLocked, Op: k.op, Account: account, Timeout: max(k.timeout, time.Millisecond), Err: context.DeadlineExceeded}
}

// classify maps a Keyring error to credstore's errors.
func (k keychainOp) classify(account string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gokeyring.ErrNotFound), errors.Is(err, ErrNotFound):
		return errEntryNotFound
	}
	var ke *KeychainError
	if errors.As(err, &ke) {
		return err
	}
	kind := KeychainOther
	switch {
	case errors.Is(err, gokeyring.ErrSetDataTooBig):
		kind = KeychainTooBig
	case errors.Is(err, gokeyring.ErrUnsupportedPlatform):
		kind = KeychainUnavailable
	default:
		kind = classifyPlatform(err)
	}
	return &KeychainError{Kind: kind, Op: k.op, Account: account, Err: err}
}
