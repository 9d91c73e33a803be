package credstore

// This file holds Switch: replacing a saved profile's way of logging in
// (a password login by a browser sign-in) in an order that a crash at
// any step leaves one working login, and Sweep, which finishes a switch
// a crash interrupted.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// ErrNotSwitchable: Switch was asked to keep a secret kind the new
// profile does not list, or to switch a profile a save left interrupted.
var ErrNotSwitchable = errors.New("the profile cannot be switched as it is")

// Switch replaces saved profile p.Name's login with p and its secrets sec,
// keeping nothing of the old secrets, and records v (the sign-in's
// verdict) for the new generation. It goes in four steps, so that a crash
// (kill -9, power loss) at any point leaves a login that works:
//
//  1. the new secrets are written beside the old ones (the old login
//     still works: settings.json still names it);
//  2. settings.json is written with the new profile, listing the kinds it
//     no longer uses under Retired (the new login works from here on);
//  3. the retired secrets are deleted from the keychain;
//  4. settings.json is written again without the list.
//
// A Retired list left by a crash after step 2 is finished by Sweep (the
// connection layer calls it whenever it uses such a profile) or by the
// next Save or Delete of the profile.
func (s *Store) Switch(ctx context.Context, p Profile, sec Secrets, v Verdict) error {
	if err := validateProfile(p); err != nil {
		return err
	}
	p.Method = p.LoginMethod()
	if err := sec.validate("switch", p.Name); err != nil {
		return err
	}
	kc, cancel := s.keychain(ctx, "switch", s.saveTimeout)
	defer cancel()
	return s.update(kc.ctx, func(st Settings) error {
		i := st.index(p.Name)
		if i < 0 {
			return profileNotFound(p.Name)
		}
		old := st.Profiles[i]
		if old.Interrupted() {
			return fmt.Errorf("profile %q: %w: its last save did not finish; save it again first", p.Name, ErrNotSwitchable)
		}
		// 1. The new secrets, beside the old ones.
		for _, kind := range sec.kinds() {
			if err := kc.set(Account(p.Name, kind), sec.value(kind)); err != nil {
				return err
			}
			if err := s.step("switch:secret:" + kind); err != nil {
				return err
			}
		}
		// 2. The new profile, naming what is left to delete.
		np := p
		np.Secrets = sec.kinds()
		np.Retired = retiredKinds(old, np.Secrets)
		np.UpdatedAt = s.now().UTC().Truncate(time.Second)
		np.SaveInterrupted = time.Time{}
		np.Generation = s.nextGeneration(old.Generation)
		np.extra = old.extra
		st.Profiles[i] = np
		if err := s.write(st); err != nil {
			return err
		}
		w := v
		w.Profile, w.Generation = np.Name, np.Generation
		_ = s.writeVerdict(st, w)
		if err := s.step("switch:settings"); err != nil {
			return err
		}
		// 3 and 4. The old secrets go.
		return s.sweepLocked(kc, st, i)
	})
}

// Sweep deletes from the keychain the secrets a switch of profile name
// retired but did not delete (it was interrupted after the new login was
// saved), then clears the list. A profile with nothing retired is left
// alone without a keychain call.
func (s *Store) Sweep(ctx context.Context, name string) error {
	p, err := s.Profile(name)
	if err != nil || len(p.Retired) == 0 {
		return err
	}
	kc, cancel := s.keychain(ctx, "sweep", s.saveTimeout)
	defer cancel()
	return s.update(kc.ctx, func(st Settings) error {
		i := st.index(name)
		if i < 0 || len(st.Profiles[i].Retired) == 0 {
			return nil
		}
		return s.sweepLocked(kc, st, i)
	})
}

// sweepLocked deletes the retired secrets of st.Profiles[i] and writes
// settings.json without the list. Call it only inside locked.
func (s *Store) sweepLocked(kc keychainOp, st Settings, i int) error {
	p := st.Profiles[i]
	for _, kind := range p.Retired {
		if slices.Contains(p.Secrets, kind) {
			continue // never delete what the profile uses
		}
		if _, err := kc.del(Account(p.Name, kind)); err != nil {
			return fmt.Errorf("delete the old %s of profile %q: %w", kind, p.Name, err)
		}
		if err := s.step("switch:delete:" + kind); err != nil {
			return err
		}
	}
	st.Profiles[i].Retired = nil
	return s.write(st)
}

// retiredKinds are the kinds old may have in the keychain that the new
// profile does not use: the ones old lists, and the password kinds
// whatever it lists (a login saved by an older version).
func retiredKinds(old Profile, keep []string) []string {
	var out []string
	for _, k := range Kinds() {
		if slices.Contains(keep, k) {
			continue
		}
		if slices.Contains(old.Secrets, k) || k == KindPassword || k == KindSecurityToken {
			out = append(out, k)
		}
	}
	return out
}
