package credstore

// This file holds how the Store changes settings.json: under the in-process and
// the file lock, replaced atomically, with the test hook between steps; and
// moving a corrupt file aside.

import (
	"context"
	"errors"
	"fmt"
	"os"
)

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

// step runs the test hook, and in a crash-test build the process's crash
// point (processCrash).
func (s *Store) step(name string) error {
	if processCrash != nil {
		processCrash(name)
	}
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
