package credstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
)

// diagnoseAccountPrefix starts the account of RoundTrip's throw-away
// entries. Like the probe account it begins with ':', which no profile's
// account can (profile names are never empty).
const diagnoseAccountPrefix = ":diagnose-"

// RoundTrip proves the keychain works end to end: it writes a throw-away
// entry with a random value under a unique account (":diagnose-<hex>"),
// reads it back, compares, and deletes it — the delete runs whatever
// happened before, within its own time limit. Each step is bounded by the
// read timeout, like Probe: nobody is waiting to type an unlock password.
// The error names the step that failed; it never holds the value.
func (s *Store) RoundTrip(ctx context.Context) (err error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return fmt.Errorf("keychain round trip: %w", err)
	}
	account := diagnoseAccountPrefix + hex.EncodeToString(raw[:8])
	value := hex.EncodeToString(raw[8:])

	kc, cancel := s.keychain(ctx, "save", s.readTimeout)
	defer cancel()
	if err := kc.set(account, value); err != nil {
		// A write that timed out may still land: try to remove it.
		s.deleteThrowaway(context.WithoutCancel(ctx), account)
		return fmt.Errorf("write: %w", err)
	}
	defer func() {
		if derr := s.deleteThrowaway(context.WithoutCancel(ctx), account); derr != nil && err == nil {
			err = fmt.Errorf("delete: %w", derr)
		}
	}()
	kc.op = "read"
	got, err := kc.get(account)
	switch {
	case errors.Is(err, errEntryNotFound):
		return errors.New("read: the entry just written is not there")
	case err != nil:
		return fmt.Errorf("read: %w", err)
	case got != value:
		return errors.New("read: the keychain returned a different value than was written")
	}
	return nil
}

// deleteThrowaway removes RoundTrip's entry with a fresh time limit.
func (s *Store) deleteThrowaway(ctx context.Context, account string) error {
	kc, cancel := s.keychain(ctx, "delete", s.readTimeout)
	defer cancel()
	_, err := kc.del(account)
	return err
}

// WriteFileAtomic replaces path with data, readable by this user only
// (0600): a temporary file beside it is written, flushed and renamed over
// path, so a reader sees the old content or the new, never a mix. It is
// how settings.json is written, for other private files of the app (a
// diagnostics report).
func WriteFileAtomic(path string, data []byte) error { return writeFileAtomic(path, data) }
