package credstore

// This file holds the keychain side of the Store: a profile's secrets read and
// updated, the keychain probed, and the status of every profile's entries.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Secrets reads the profile's secrets from the keychain: the kinds listed
// in Profile.Secrets, or every kind if its last save was interrupted. If a
// listed entry is missing (removed outside AdvoLogix Connect), Secrets
// returns the ones it found together with an error matching ErrNotFound
// that names the missing kinds. Keychain failures are *KeychainError.
func (s *Store) Secrets(ctx context.Context, name string) (Secrets, error) {
	p, err := s.Profile(name)
	if err != nil {
		return Secrets{}, err
	}
	kc, cancel := s.keychain(ctx, "read", s.readTimeout)
	defer cancel()
	sec, present, err := kc.read(p.Name, kindsToRead(p))
	if err != nil {
		return Secrets{}, err
	}
	if missing := missingKinds(p, present); len(missing) > 0 {
		return sec, fmt.Errorf("profile %q: the keychain has no %s entry (removed outside AdvoLogix Connect?): enter the credentials again: %w",
			p.Name, strings.Join(missing, ", "), ErrNotFound)
	}
	return sec, nil
}

func kindsToRead(p Profile) []string {
	if p.Interrupted() {
		return Kinds()
	}
	return p.Secrets
}

func missingKinds(p Profile, present map[string]bool) []string {
	var missing []string
	for _, k := range p.Secrets {
		if !present[k] {
			missing = append(missing, k)
		}
	}
	return missing
}

// read gets the given kinds of a profile; present tells which exist.
func (k keychainOp) read(profile string, kinds []string) (Secrets, map[string]bool, error) {
	var sec Secrets
	present := make(map[string]bool, len(kinds))
	for _, kind := range kinds {
		v, err := k.get(Account(profile, kind))
		if errors.Is(err, errEntryNotFound) {
			present[kind] = false
			continue
		}
		if err != nil {
			return Secrets{}, nil, err
		}
		sec.set(kind, v)
		present[kind] = true
	}
	return sec, present, nil
}

// UpdateSecret replaces one secret of an existing profile, e.g. a rotated
// refresh token; an empty value deletes it. A new kind is written to the
// keychain before settings.json lists it; a removed kind is unlisted
// before its entry is deleted.
func (s *Store) UpdateSecret(ctx context.Context, name, kind, value string) error {
	if err := validKind(kind); err != nil {
		return err
	}
	if len(value) > MaxSecretBytes {
		return &KeychainError{Kind: KeychainTooBig, Op: "save", Account: Account(name, kind), Size: len(value)}
	}
	kc, cancel := s.keychain(ctx, "save", s.saveTimeout)
	defer cancel()
	return s.update(kc.ctx, func(st Settings) error {
		i := st.index(name)
		if i < 0 {
			return profileNotFound(name)
		}
		p := &st.Profiles[i]
		listed := p.HasSecret(kind)
		if value != "" {
			if err := kc.set(Account(name, kind), value); err != nil {
				return err
			}
			if listed {
				return nil
			}
			p.Secrets = append(p.Secrets, kind)
			slices.SortFunc(p.Secrets, func(a, b string) int {
				return slices.Index(Kinds(), a) - slices.Index(Kinds(), b)
			})
			p.UpdatedAt = s.now().UTC().Truncate(time.Second)
			return s.write(st)
		}
		if listed {
			p.Secrets = slices.DeleteFunc(p.Secrets, func(k string) bool { return k == kind })
			p.UpdatedAt = s.now().UTC().Truncate(time.Second)
			if err := s.write(st); err != nil {
				return err
			}
		}
		kc.op = "delete"
		_, err := kc.del(Account(name, kind))
		return err
	})
}

// Probe checks that the keychain answers, by reading an entry that does
// not exist ("not found" means usable). On Linux this unlocks the keyring
// if it is locked, which may show a prompt.
func (s *Store) Probe(ctx context.Context) error {
	kc, cancel := s.keychain(ctx, "probe", s.readTimeout)
	defer cancel()
	_, err := kc.get(probeAccount)
	if errors.Is(err, errEntryNotFound) {
		return nil
	}
	return err
}

// ProfileStatus describes one profile and which of its keychain entries
// exist. It never holds a secret value.
type ProfileStatus struct {
	Profile   Profile
	IsDefault bool
	// Interrupted: the last save did not finish (see
	// Profile.SaveInterrupted).
	Interrupted bool
	// Present tells, for each kind checked (those in Profile.Secrets; every
	// kind for an interrupted profile), whether its entry exists.
	Present map[string]bool
	// Missing lists kinds in Profile.Secrets that have no entry.
	Missing []string
	// Err is set when the keychain could not be asked.
	Err error
}

// OK reports whether the profile is complete: not interrupted, nothing
// missing, no error.
func (ps ProfileStatus) OK() bool { return !ps.Interrupted && len(ps.Missing) == 0 && ps.Err == nil }

// Status reports every profile and which of its secrets the keychain holds.
// If the keychain fails, the statuses are still returned (with Err set
// from the failing profile on) together with that error.
func (s *Store) Status(ctx context.Context) ([]ProfileStatus, error) {
	st, err := s.Load()
	if err != nil {
		return nil, err
	}
	kc, cancel := s.keychain(ctx, "read", s.readTimeout)
	defer cancel()
	out := make([]ProfileStatus, 0, len(st.Profiles))
	var firstErr error
	for _, p := range st.Profiles {
		ps := ProfileStatus{Profile: p, IsDefault: p.Name == st.Default, Interrupted: p.Interrupted()}
		if firstErr != nil {
			ps.Err = firstErr
		} else {
			_, present, err := kc.read(p.Name, kindsToRead(p))
			if err != nil {
				firstErr, ps.Err = err, err
			} else {
				// An interrupted save reads every kind; report the
				// absent ones only if the profile listed them.
				for k, ok := range present {
					if !ok && !p.HasSecret(k) {
						delete(present, k)
					}
				}
				ps.Present = present
				ps.Missing = missingKinds(p, present)
			}
		}
		out = append(out, ps)
	}
	return out, firstErr
}
