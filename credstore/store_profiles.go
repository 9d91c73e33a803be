package credstore

// This file holds the profile changes of the Store: Save, SaveProfile, Delete,
// Rename and SetDefault, and the checks of a profile's name and fields.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxNameLen is the longest profile name, in characters.
const MaxNameLen = 64

// Save stores a profile and its secrets: the non-empty fields of sec are
// written to the keychain, the empty ones are deleted from it, then
// settings.json is written to point at them. The first profile saved
// becomes the default. p.Secrets, p.UpdatedAt and p.SaveInterrupted are
// set by Save.
//
// Changing an existing profile marks it SaveInterrupted in settings.json
// before the keychain is touched and clears the mark afterwards, so a
// crash in between is visible on the next load.
func (s *Store) Save(ctx context.Context, p Profile, sec Secrets) error {
	return s.save(ctx, p, sec, nil)
}

// save is Save, and with v also the verdict on what it saved
// (SaveWithVerdict).
func (s *Store) save(ctx context.Context, p Profile, sec Secrets, v *Verdict) error {
	if err := validateProfile(p); err != nil {
		return err
	}
	p.Method = p.LoginMethod()
	if err := sec.validate("save", p.Name); err != nil {
		return err
	}
	kc, cancel := s.keychain(ctx, "save", s.saveTimeout)
	defer cancel()
	return s.update(kc.ctx, func(st Settings) error {
		i := st.index(p.Name)
		if i < 0 {
			if j := st.indexFold(p.Name); j >= 0 {
				return fmt.Errorf("profile %q: %w as %q (names that differ only in case are the same on Windows)",
					p.Name, ErrExists, st.Profiles[j].Name)
			}
		}
		now := s.now().UTC().Truncate(time.Second)
		if i >= 0 {
			marked := st.clone()
			marked.Profiles[i].SaveInterrupted = now
			if err := s.write(marked); err != nil {
				return err
			}
			if err := s.step("save:marked"); err != nil {
				return err
			}
		}
		changed := false
		for _, kind := range Kinds() {
			account := Account(p.Name, kind)
			var err error
			if v := sec.value(kind); v != "" {
				err = kc.set(account, v)
				changed = changed || err == nil
			} else {
				var existed bool
				existed, err = kc.del(account)
				changed = changed || existed
			}
			if err != nil {
				// Nothing changed and nothing may still change (no
				// abandoned call): put the unmarked profile back.
				var ke *KeychainError
				if i >= 0 && !changed && !(errors.As(err, &ke) && ke.Timeout > 0) {
					_ = s.write(st)
				}
				return err
			}
			if err := s.step("save:secret:" + kind); err != nil {
				return err
			}
		}
		np := p
		np.Secrets = sec.kinds()
		np.Retired = nil // every kind not set was deleted above
		np.UpdatedAt = now
		np.SaveInterrupted = time.Time{}
		if i >= 0 {
			np.extra = st.Profiles[i].extra
			np.Generation = s.nextGeneration(st.Profiles[i].Generation)
			st.Profiles[i] = np
		} else {
			np.extra = nil
			np.Generation = s.nextGeneration(0)
			st.Profiles = append(st.Profiles, np)
		}
		if st.Default == "" || st.index(st.Default) < 0 {
			st.Default = p.Name
		}
		if err := s.write(st); err != nil || v == nil {
			return err
		}
		// The profile is saved: a verdict that cannot be written only
		// leaves it "not tested since the last change".
		w := *v
		w.Profile, w.Generation = np.Name, np.Generation
		_ = s.writeVerdict(st, w)
		return nil
	})
}

// SaveProfile changes the non-secret fields of an existing profile
// (ErrNotFound if there is none) and keeps its secrets. It cannot rename:
// use Rename.
func (s *Store) SaveProfile(p Profile) error {
	if err := validateProfile(p); err != nil {
		return err
	}
	p.Method = p.LoginMethod()
	return s.updateNoCtx(func(st Settings) error {
		i := st.index(p.Name)
		if i < 0 {
			return profileNotFound(p.Name)
		}
		old := st.Profiles[i]
		np := p
		np.Secrets = old.Secrets
		np.Retired = old.Retired
		np.SaveInterrupted = old.SaveInterrupted
		np.UpdatedAt = s.now().UTC().Truncate(time.Second)
		np.Generation = s.nextGeneration(old.Generation)
		np.extra = old.extra
		st.Profiles[i] = np
		return s.write(st)
	})
}

// Delete removes a profile (logout): first from settings.json, then its
// keychain entries. If it was the default, the first remaining profile
// becomes the default. The keychain is asked first, so a locked keychain
// fails the logout before anything changes. If the keychain fails after
// the settings were written, the profile is gone and the *KeychainError is
// returned; a later Save or Delete of the same name removes the leftovers.
// Delete of a name without a profile removes such leftovers and returns
// ErrNotFound if there were none.
func (s *Store) Delete(ctx context.Context, name string) error {
	kc, cancel := s.keychain(ctx, "delete", s.saveTimeout)
	defer cancel()
	return s.update(kc.ctx, func(st Settings) error {
		i := st.index(name)
		if i >= 0 {
			// Unlock (or fail) before the settings change.
			if _, err := kc.get(probeAccount); err != nil && !errors.Is(err, errEntryNotFound) {
				return err
			}
			st.Profiles = slices.Delete(st.Profiles, i, i+1)
			if st.Default == name {
				st.Default = ""
				if len(st.Profiles) > 0 {
					st.Default = st.Profiles[0].Name
				}
			}
			if err := s.write(st); err != nil {
				return err
			}
			if err := s.step("delete:settings"); err != nil {
				return err
			}
		} else if ValidateName(name) != nil {
			return profileNotFound(name)
		}
		found := false
		for _, kind := range Kinds() {
			existed, err := kc.del(Account(name, kind))
			if err != nil {
				return err
			}
			found = found || existed
		}
		if i < 0 && !found {
			return profileNotFound(name)
		}
		return nil
	})
}

// Rename gives a profile a new name. The secrets are copied to the new
// keychain accounts first, then settings.json is written, then the old
// entries are deleted: a crash leaves the old profile intact or the new
// one complete, plus unreferenced entries that a later Save or Delete of
// that name removes. Names that differ only in case are refused (they are
// one name in Windows Credential Manager).
func (s *Store) Rename(ctx context.Context, oldName, newName string) error {
	if err := ValidateName(newName); err != nil {
		return err
	}
	if oldName == newName {
		_, err := s.Profile(oldName)
		return err
	}
	if strings.EqualFold(oldName, newName) {
		return fmt.Errorf("rename %q to %q: %w: names that differ only in case are the same name in Windows Credential Manager; rename to another name first",
			oldName, newName, ErrInvalid)
	}
	kc, cancel := s.keychain(ctx, "save", s.saveTimeout)
	defer cancel()
	return s.update(kc.ctx, func(st Settings) error {
		i := st.index(oldName)
		if i < 0 {
			return profileNotFound(oldName)
		}
		if j := st.indexFold(newName); j >= 0 {
			return fmt.Errorf("profile %q: %w", st.Profiles[j].Name, ErrExists)
		}
		p := st.Profiles[i]
		sec, _, err := kc.read(oldName, kindsToRead(p))
		if err != nil {
			return err
		}
		for _, kind := range Kinds() {
			account := Account(newName, kind)
			if v := sec.value(kind); v != "" {
				err = kc.set(account, v)
			} else {
				_, err = kc.del(account)
			}
			if err != nil {
				return err
			}
		}
		if err := s.step("rename:copied"); err != nil {
			return err
		}
		st.Profiles[i].Name = newName
		st.Profiles[i].Retired = nil // not copied; deleted with the old name below
		st.Profiles[i].UpdatedAt = s.now().UTC().Truncate(time.Second)
		if st.Default == oldName {
			st.Default = newName
		}
		if err := s.write(st); err != nil {
			return err
		}
		// The saved inputs are the same under the new name: so is the
		// verdict on them (a verdict file that cannot be read is only a
		// cache: the next test writes it again).
		if vs, err := s.Verdicts(); err == nil {
			if v, ok := vs[oldName]; ok && v.Generation == p.Generation {
				v.Profile = newName
				_ = s.writeVerdict(st, v)
			}
		}
		if err := s.step("rename:settings"); err != nil {
			return err
		}
		kc.op = "delete"
		for _, kind := range Kinds() {
			if _, err := kc.del(Account(oldName, kind)); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetDefault makes the named profile the default.
func (s *Store) SetDefault(name string) error {
	return s.updateNoCtx(func(st Settings) error {
		if st.index(name) < 0 {
			return profileNotFound(name)
		}
		if st.Default == name {
			return nil
		}
		st.Default = name
		return s.write(st)
	})
}

// ValidateName checks a profile name: 1 to MaxNameLen characters of valid
// UTF-8, no ':' (it separates name and kind in keychain accounts), no
// control or invisible formatting characters (U+202E, U+200B, … make one
// name look like another), no leading or trailing space.
func ValidateName(name string) error {
	bad := func(why string) error { return fmt.Errorf("profile name %q: %w: %s", name, ErrInvalid, why) }
	switch {
	case name == "":
		return fmt.Errorf("profile name: %w: it is empty", ErrInvalid)
	case !utf8.ValidString(name):
		return bad("not valid UTF-8")
	case utf8.RuneCountInString(name) > MaxNameLen:
		return bad(fmt.Sprintf("longer than %d characters", MaxNameLen))
	case strings.Contains(name, ":"):
		return bad("':' is not allowed")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return bad("control characters are not allowed")
	case strings.IndexFunc(name, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0:
		// U+202E reverses the text after it, U+200B is invisible: either
		// makes one name look like another.
		return bad("invisible formatting characters (such as U+202E or U+200B) are not allowed")
	case strings.TrimSpace(name) != name:
		return bad("leading or trailing spaces are not allowed")
	}
	return nil
}

// validateProfile checks what Save and SaveProfile accept.
func validateProfile(p Profile) error {
	if err := ValidateName(p.Name); err != nil {
		return err
	}
	for _, f := range []struct{ name, v string }{{"login URL", p.LoginURL}, {"proxy", p.Proxy}} {
		if u, err := url.Parse(f.v); err == nil && u.User != nil {
			if _, has := u.User.Password(); has {
				// Never report the value: it holds a password.
				return fmt.Errorf("profile %q: %s: %w: it contains a password, which would be stored in plain text; remove it from the URL",
					p.Name, f.name, ErrInvalid)
			}
		}
	}
	return nil
}

func profileNotFound(name string) error {
	return fmt.Errorf("profile %q: %w", name, ErrNotFound)
}
