package credstore

// This file holds the Store itself: its options, Open, reading the settings
// and a profile, and the preferences. Changing profiles is in
// store_profiles.go, their secrets in store_secrets.go, writing settings.json
// in store_write.go.

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
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
