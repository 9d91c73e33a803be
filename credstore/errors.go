package credstore

import (
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Sentinel errors. Match them with errors.Is; the returned errors wrap them
// with the profile or entry they are about.
var (
	// ErrNotFound: no such profile, or no such keychain entry.
	ErrNotFound = errors.New("not found")
	// ErrExists: a profile with that name (compared without regard to
	// case, as Windows Credential Manager compares names) already exists.
	ErrExists = errors.New("already exists")
	// ErrInvalid: a profile name, secret kind or profile field that
	// credstore refuses to store.
	ErrInvalid = errors.New("invalid")
	// ErrCorrupt: settings.json cannot be parsed. It is never overwritten;
	// see Store.ResetCorrupt.
	ErrCorrupt = errors.New("settings file is damaged")
	// ErrNewerVersion: settings.json was written by a newer AdvoLogix
	// Connect with an incompatible schema. It can be read, not written.
	ErrNewerVersion = errors.New("settings file is from a newer version")
	// ErrInsecure: settings.json or its folder belongs to another user or
	// may be written by others, so its login URLs cannot be trusted with
	// the saved password. It is neither read nor written.
	ErrInsecure = errors.New("settings file is not safe to use")
	// ErrTooBig: settings.json is larger than MaxSettingsBytes.
	ErrTooBig = errors.New("settings file is too big")
)

// insecureError says why settings cannot be trusted and the command that
// fixes it.
type insecureError struct{ why, fix string }

func (e *insecureError) Error() string { return ErrInsecure.Error() + ": " + e.why }
func (e *insecureError) Unwrap() error { return ErrInsecure }

// KeychainErrKind sorts keychain failures into the few cases a caller can
// do something different about.
type KeychainErrKind int

// The kinds of keychain failure.
const (
	// KeychainOther is any failure not covered by the kinds below.
	KeychainOther KeychainErrKind = iota
	// KeychainUnavailable: there is no keychain to talk to (no Secret
	// Service on the session bus, no login keychain, no logon session).
	KeychainUnavailable
	// KeychainLocked: the keychain is locked, an unlock prompt was
	// dismissed, or it did not answer in time (usually an unanswered
	// unlock prompt).
	KeychainLocked
	// KeychainTooBig: a secret exceeds MaxSecretBytes.
	KeychainTooBig
)

// String returns the kind's name.
func (k KeychainErrKind) String() string {
	switch k {
	case KeychainUnavailable:
		return "unavailable"
	case KeychainLocked:
		return "locked"
	case KeychainTooBig:
		return "too big"
	default:
		return "other"
	}
}

// KeychainError is returned for every failure of the OS keychain. Its
// message says what went wrong and what to do about it on the running OS,
// and never contains a secret value.
type KeychainError struct {
	Kind KeychainErrKind
	// Op is what credstore was doing: "read", "save", "delete" or "probe".
	Op string
	// Account is the keychain account ("<profile>:<kind>"), if the
	// failure concerns one entry.
	Account string
	// Timeout is set when the keychain did not answer within this time.
	Timeout time.Duration
	// Size is the rejected secret's length in bytes (KeychainTooBig).
	Size int
	// Err is the underlying error, if any.
	Err error
}

// Code returns a stable identifier for the failure, for scripts and logs:
// KEYCHAIN_UNAVAILABLE, KEYCHAIN_LOCKED, KEYCHAIN_TOO_BIG or KEYCHAIN_ERROR.
func (e *KeychainError) Code() string {
	switch e.Kind {
	case KeychainUnavailable:
		return "KEYCHAIN_UNAVAILABLE"
	case KeychainLocked:
		return "KEYCHAIN_LOCKED"
	case KeychainTooBig:
		return "KEYCHAIN_TOO_BIG"
	default:
		return "KEYCHAIN_ERROR"
	}
}

// Error says what is wrong and what to do, for the running OS.
func (e *KeychainError) Error() string { return e.text(runtime.GOOS) }

// Hint returns only the "what to do" part of the message.
func (e *KeychainError) Hint() string {
	_, hint := e.explain(runtime.GOOS)
	return hint
}

// Unwrap returns the underlying error.
func (e *KeychainError) Unwrap() error { return e.Err }

func (e *KeychainError) text(goos string) string {
	problem, hint := e.explain(goos)
	msg := "keychain"
	if e.Op != "" {
		msg += " " + e.Op
	}
	if e.Account != "" {
		msg += " " + e.Account
	}
	msg += ": " + problem + ": " + hint
	if e.Err != nil && e.Timeout == 0 && e.Kind != KeychainTooBig {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

// explain returns the problem and the remedy for goos. Kept separate from
// runtime.GOOS so that every OS's text is tested everywhere.
func (e *KeychainError) explain(goos string) (problem, hint string) {
	switch e.Kind {
	case KeychainUnavailable:
		switch goos {
		case "darwin":
			return "the macOS keychain cannot be used (no login keychain, or the security tool failed)",
				"open Keychain Access, make sure a login keychain exists and is the default keychain, then try again"
		case "windows":
			return "Windows Credential Manager is not available to this account (no logon session, as in a service or some remote sessions)",
				"run AdvoLogix Connect as the signed-in Windows user"
		default:
			return "no Secret Service is running",
				"install and unlock GNOME Keyring (gnome-keyring) or enable KeePassXC's Secret Service integration"
		}
	case KeychainLocked:
		var problem string
		switch {
		case e.Timeout > 0 && goos == "windows":
			return fmt.Sprintf("Windows Credential Manager did not answer within %s", roundDuration(e.Timeout)),
				"try again; if it keeps happening, check that the Credential Manager service (VaultSvc) is running, or restart Windows"
		case e.Timeout > 0:
			problem = fmt.Sprintf("the keychain did not answer within %s; it is probably locked", roundDuration(e.Timeout))
		default:
			problem = "the keychain is locked and was not unlocked"
		}
		switch goos {
		case "darwin":
			return problem, "unlock the login keychain in Keychain Access (or answer the macOS prompt) and try again"
		case "windows":
			return problem, "sign out of Windows and in again, then try again"
		default:
			return problem, "unlock it (e.g. log out and in, or open Passwords and Keys) and try again; a keyring service that was stopped or restarted comes back locked"
		}
	case KeychainTooBig:
		if e.Size == 0 {
			return "the secret is too big for the keychain",
				"check that the right value was pasted"
		}
		return fmt.Sprintf("the secret is %d bytes; the keychain takes at most %d bytes per secret", e.Size, MaxSecretBytes),
			"check that the right value was pasted (Windows Credential Manager's limit applies on every system so that profiles stay portable)"
	default:
		return "the keychain reported an error", "try again; if it keeps failing, check the system keychain (or restart the session)"
	}
}

func roundDuration(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// SettingsError is returned for problems with the settings file: it cannot
// be read, parsed, locked or written.
type SettingsError struct {
	// Path is the settings file (or its lock file).
	Path string
	// Op is "read", "parse", "lock", "write" or "reset".
	Op  string
	Err error
}

// Code returns a stable identifier: SETTINGS_CORRUPT, SETTINGS_NEWER_VERSION,
// SETTINGS_INSECURE, SETTINGS_TOO_BIG, SETTINGS_BUSY or SETTINGS_IO.
func (e *SettingsError) Code() string {
	switch {
	case errors.Is(e.Err, ErrInsecure):
		return "SETTINGS_INSECURE"
	case errors.Is(e.Err, ErrTooBig):
		return "SETTINGS_TOO_BIG"
	case errors.Is(e.Err, ErrCorrupt):
		return "SETTINGS_CORRUPT"
	case errors.Is(e.Err, ErrNewerVersion):
		return "SETTINGS_NEWER_VERSION"
	case e.Op == "lock":
		return "SETTINGS_BUSY"
	default:
		return "SETTINGS_IO"
	}
}

// Hint says what to do about the error.
func (e *SettingsError) Hint() string {
	switch e.Code() {
	case "SETTINGS_INSECURE":
		var ie *insecureError
		if errors.As(e.Err, &ie) && ie.fix != "" {
			return "another user could have changed where your saved password is sent, so it is not used: check the file's content, then run: " + ie.fix
		}
		return "another user could have changed where your saved password is sent, so it is not used: make the settings folder and file yours and private"
	case "SETTINGS_TOO_BIG":
		return fmt.Sprintf("no real settings file is larger than %d KiB: move it away (AdvoLogix Connect then starts with no profiles) or restore a backup", MaxSettingsBytes>>10)
	case "SETTINGS_CORRUPT":
		return "AdvoLogix Connect will not overwrite it: repair it by hand, or reset it (the damaged file is kept as settings.json.corrupt-<time>)"
	case "SETTINGS_NEWER_VERSION":
		return "update AdvoLogix Connect to change these settings"
	case "SETTINGS_BUSY":
		return "another AdvoLogix Connect window or command is saving; try again"
	default:
		return "check that the folder exists and that you may write to it"
	}
}

// Error names the file, the problem and what to do.
func (e *SettingsError) Error() string {
	return fmt.Sprintf("settings %s %s: %v: %s", e.Op, e.Path, e.Err, e.Hint())
}

// Unwrap returns the underlying error.
func (e *SettingsError) Unwrap() error { return e.Err }
