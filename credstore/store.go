package credstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Default timeouts for keychain operations.
const (
	// DefaultReadTimeout bounds reads the app does on its own (status,
	// background tests): nobody is waiting to type an unlock password.
	DefaultReadTimeout = 3 * time.Second
	// DefaultSaveTimeout bounds operations a person started (save,
	// logout, rename): long enough to type a keychain password.
	DefaultSaveTimeout = 30 * time.Second
)

// MaxNameLen is the longest profile name, in characters.
const MaxNameLen = 64

// Options configure a Store. The zero value is the real thing: the user's
// settings folder and the OS keychain.
type Options struct {
	// Dir holds settings.json; default os.UserConfigDir()/advologix-connect.
	Dir string
	// Keyring is the keychain; default SystemKeyring().
	Keyring Keyring
	// ReadTimeout bounds Secrets, Status and Probe; default
	// DefaultReadTimeout.
	ReadTimeout time.Duration
	// SaveTimeout bounds Save, Delete, Rename and UpdateSecret, and the
	// wait for the settings lock; default DefaultSaveTimeout.
	SaveTimeout time.Duration
}

// Store keeps profiles in settings.json and their secrets in the OS
// keychain. It is safe for concurrent use, also by several processes
// sharing the same folder: every change of settings.json happens under an
// in-process lock and an OS file lock on settings.lock beside it.
type Store struct {
	dir, path, lockPath string
	kr                  Keyring
	readTimeout         time.Duration
	saveTimeout         time.Duration

	mu    chan struct{} // in-process writer lock, capacity 1
	guard callGuard

	now func() time.Time
	// hook, if set, runs after each named step of a multi-step change; an
	// error stops the operation on the spot, as a crash would (tests).
	hook func(step string) error
}

// Open returns a Store for opts. It touches neither the disk nor the
// keychain; the settings folder is created on the first write.
func Open(opts Options) (*Store, error) {
	dir := opts.Dir
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return nil, fmt.Errorf("credstore: no settings folder: %w", err)
		}
		dir = filepath.Join(base, "advologix-connect")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("credstore: settings folder: %w", err)
	}
	s := &Store{
		dir:         dir,
		path:        filepath.Join(dir, "settings.json"),
		lockPath:    filepath.Join(dir, "settings.lock"),
		kr:          opts.Keyring,
		readTimeout: opts.ReadTimeout,
		saveTimeout: opts.SaveTimeout,
		mu:          make(chan struct{}, 1),
		guard:       callGuard{slot: make(chan struct{}, 1)},
		now:         time.Now,
	}
	if s.kr == nil {
		s.kr = SystemKeyring()
	}
	if s.readTimeout <= 0 {
		s.readTimeout = DefaultReadTimeout
	}
	if s.saveTimeout <= 0 {
		s.saveTimeout = DefaultSaveTimeout
	}
	return s, nil
}

// Path returns the settings file's path.
func (s *Store) Path() string { return s.path }

// Load reads settings.json. A missing file is empty Settings. It does not
// touch the keychain. On Unix it narrows our own settings folder to 0700
// (and the file to 0600), and refuses (SETTINGS_INSECURE) a file or folder
// that another user owns or a file others may write; a file larger than
// MaxSettingsBytes is SETTINGS_TOO_BIG.
func (s *Store) Load() (Settings, error) {
	b, err := readSettings(s.dir, s.path)
	if notExist(err) {
		return Settings{Version: SchemaVersion}, nil
	}
	if err != nil {
		return Settings{}, &SettingsError{Path: s.path, Op: "read", Err: err}
	}
	st, err := parseSettings(b)
	if err != nil {
		return Settings{}, &SettingsError{Path: s.path, Op: "parse", Err: err}
	}
	return st, nil
}

// Profile returns the named profile (ErrNotFound if there is none).
func (s *Store) Profile(name string) (Profile, error) {
	st, err := s.Load()
	if err != nil {
		return Profile{}, err
	}
	p, ok := st.Profile(name)
	if !ok {
		return Profile{}, profileNotFound(name)
	}
	return p, nil
}

// Default returns the default profile (ErrNotFound if none is set).
func (s *Store) Default() (Profile, error) {
	st, err := s.Load()
	if err != nil {
		return Profile{}, err
	}
	if st.Default == "" {
		return Profile{}, fmt.Errorf("no default profile: %w", ErrNotFound)
	}
	p, ok := st.Profile(st.Default)
	if !ok {
		return Profile{}, profileNotFound(st.Default)
	}
	return p, nil
}

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
	if err := validateProfile(p); err != nil {
		return err
	}
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
		np.UpdatedAt = now
		np.SaveInterrupted = time.Time{}
		if i >= 0 {
			np.extra = st.Profiles[i].extra
			st.Profiles[i] = np
		} else {
			np.extra = nil
			st.Profiles = append(st.Profiles, np)
		}
		if st.Default == "" || st.index(st.Default) < 0 {
			st.Default = p.Name
		}
		return s.write(st)
	})
}

// SaveProfile changes the non-secret fields of an existing profile
// (ErrNotFound if there is none) and keeps its secrets. It cannot rename:
// use Rename.
func (s *Store) SaveProfile(p Profile) error {
	if err := validateProfile(p); err != nil {
		return err
	}
	return s.updateNoCtx(func(st Settings) error {
		i := st.index(p.Name)
		if i < 0 {
			return profileNotFound(p.Name)
		}
		old := st.Profiles[i]
		np := p
		np.Secrets = old.Secrets
		np.SaveInterrupted = old.SaveInterrupted
		np.UpdatedAt = s.now().UTC().Truncate(time.Second)
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
		st.Profiles[i].UpdatedAt = s.now().UTC().Truncate(time.Second)
		if st.Default == oldName {
			st.Default = newName
		}
		if err := s.write(st); err != nil {
			return err
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

// SavePrefs replaces the application preferences.
func (s *Store) SavePrefs(p Prefs) error {
	if _, err := ParseCheckInterval(p.CheckInterval); err != nil {
		return fmt.Errorf("check interval: %w: %v", ErrInvalid, err)
	}
	return s.updateNoCtx(func(st Settings) error {
		st.Prefs = p
		return s.write(st)
	})
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

// ResetCorrupt moves a settings.json that cannot be parsed aside, to
// settings.json.corrupt-<UTC time>, and returns that path; the next load
// starts empty (the keychain entries stay and are overwritten by the next
// save of the same profile names). If the file is missing or valid, it
// does nothing and returns "".
func (s *Store) ResetCorrupt() (string, error) {
	var moved string
	err := s.lockedNoCtx(func() error {
		b, err := readFile(s.path)
		if notExist(err) {
			return nil
		}
		if err != nil {
			return &SettingsError{Path: s.path, Op: "read", Err: err}
		}
		if _, err := parseSettings(b); err == nil {
			return nil
		}
		stamp := s.now().UTC().Format("20060102T150405Z")
		for n := 0; ; n++ {
			dst := s.path + ".corrupt-" + stamp
			if n > 0 {
				dst += fmt.Sprintf("-%d", n)
			}
			if _, err := os.Lstat(dst); err == nil {
				continue
			}
			if err := retryTransient(func() error { return os.Rename(s.path, dst) }); err != nil {
				return &SettingsError{Path: s.path, Op: "reset", Err: err}
			}
			moved = dst
			return syncDir(s.dir)
		}
	})
	return moved, err
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

// step runs the test hook.
func (s *Store) step(name string) error {
	if s.hook == nil {
		return nil
	}
	return s.hook(name)
}

// update runs fn on the current settings while holding both locks; fn
// writes with s.write as often as it needs.
func (s *Store) update(ctx context.Context, fn func(Settings) error) error {
	return s.locked(ctx, func() error {
		st, err := s.Load()
		if err != nil {
			return err
		}
		if st.Version > SchemaVersion {
			return &SettingsError{Path: s.path, Op: "write",
				Err: fmt.Errorf("%w (schema version %d; this one writes %d)", ErrNewerVersion, st.Version, SchemaVersion)}
		}
		return fn(st)
	})
}

func (s *Store) updateNoCtx(fn func(Settings) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.saveTimeout)
	defer cancel()
	return s.update(ctx, fn)
}

func (s *Store) lockedNoCtx(fn func() error) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.saveTimeout)
	defer cancel()
	return s.locked(ctx, fn)
}

// locked runs fn holding the in-process lock and the file lock.
func (s *Store) locked(ctx context.Context, fn func() error) error {
	busy := func(err error) error { return &SettingsError{Path: s.lockPath, Op: "lock", Err: err} }
	select {
	case s.mu <- struct{}{}:
	case <-ctx.Done():
		return busy(errors.New("another save in this process did not finish in time"))
	}
	defer func() { <-s.mu }()
	if err := ensureDir(s.dir); err != nil {
		return &SettingsError{Path: s.dir, Op: "write", Err: err}
	}
	l, err := lockFile(ctx, s.lockPath)
	if err != nil {
		return busy(err)
	}
	defer l.unlock()
	return fn()
}

// write replaces settings.json with st. Call it only inside locked.
func (s *Store) write(st Settings) error {
	st.Version = max(st.Version, SchemaVersion)
	b, err := encodeSettings(st)
	if err != nil {
		return &SettingsError{Path: s.path, Op: "write", Err: err}
	}
	if err := writeFileAtomic(s.path, b); err != nil {
		return &SettingsError{Path: s.path, Op: "write", Err: err}
	}
	return nil
}
