package credstore

// This file holds the per-profile lock: one process at a time spends a
// profile's refresh token. It is an OS file lock (flock on Unix, LockFileEx
// on Windows, as settings.lock) on a file of its own per profile in the
// settings folder's locks/ folder; the file holds no secret, only the lock.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultProfileLockTimeout is how long LockProfile waits for another
// process by default: a refresh takes one request, bounded by the login
// timeout (30 s), plus the keychain writes.
const DefaultProfileLockTimeout = 45 * time.Second

// ProfileBusyError is a profile whose lock another process held for
// longer than the caller would wait. Its code is PROFILE_BUSY.
type ProfileBusyError struct {
	Profile string
	Waited  time.Duration
	Path    string
}

func (e *ProfileBusyError) Error() string {
	return fmt.Sprintf("profile %q: another AdvoLogix Connect program is renewing its session and did not finish within %s (lock %s)",
		e.Profile, roundDuration(e.Waited), e.Path)
}

// Code is the outcome code of a busy profile.
func (e *ProfileBusyError) Code() string { return "PROFILE_BUSY" }

// Hint says what to do.
func (e *ProfileBusyError) Hint() string {
	return "Try again in a minute. If it keeps happening, end the AdvoLogix Connect programs that hang (the tray, scripts calling advologix-connect session) and try again."
}

// ProfileLockPath is the lock file of profile name: locks/<hash>.lock in
// the settings folder. Names that differ only in case share one lock, as
// they share one keychain entry on Windows.
func (s *Store) ProfileLockPath(name string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(name)))
	return filepath.Join(s.dir, "locks", hex.EncodeToString(sum[:8])+".lock")
}

// LockProfile takes profile name's lock across processes, waiting until
// ctx ends (without a deadline: DefaultProfileLockTimeout). The returned
// unlock releases it; a process that dies releases it too (the OS drops
// its locks). A wait that runs out is a *ProfileBusyError.
func (s *Store) LockProfile(ctx context.Context, name string) (unlock func(), err error) {
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultProfileLockTimeout)
		defer cancel()
	}
	path := s.ProfileLockPath(name)
	if err := ensureDir(s.dir); err != nil {
		return nil, &SettingsError{Path: s.dir, Op: "write", Err: err}
	}
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, &SettingsError{Path: filepath.Dir(path), Op: "write", Err: err}
	}
	start := time.Now()
	l, err := lockFile(ctx, path)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &ProfileBusyError{Profile: name, Waited: time.Since(start), Path: path}
		}
		return nil, &SettingsError{Path: path, Op: "lock", Err: err}
	}
	return l.unlock, nil
}
