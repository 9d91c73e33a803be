package credstore

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestKeychainErrorMessages(t *testing.T) {
	locked := &KeychainError{Kind: KeychainLocked, Op: "read", Account: "default:password", Timeout: 3 * time.Second}
	tests := []struct {
		err  *KeychainError
		goos string
		code string
		want []string
	}{
		{&KeychainError{Kind: KeychainUnavailable, Op: "save", Err: errors.New("org.freedesktop.secrets was not provided")}, "linux", "KEYCHAIN_UNAVAILABLE",
			[]string{"no Secret Service is running: install and unlock GNOME Keyring (gnome-keyring) or enable KeePassXC's Secret Service integration", "was not provided"}},
		{locked, "linux", "KEYCHAIN_LOCKED",
			[]string{"keychain read default:password: the keychain did not answer within 3s; it is probably locked: unlock it (e.g. log out and in, or open Passwords and Keys) and try again"}},
		{&KeychainError{Kind: KeychainLocked, Op: "read"}, "linux", "KEYCHAIN_LOCKED", []string{"is locked and was not unlocked"}},
		{&KeychainError{Kind: KeychainUnavailable}, "darwin", "KEYCHAIN_UNAVAILABLE", []string{"Keychain Access", "login keychain"}},
		{locked, "darwin", "KEYCHAIN_LOCKED", []string{"within 3s", "unlock the login keychain in Keychain Access"}},
		{&KeychainError{Kind: KeychainUnavailable}, "windows", "KEYCHAIN_UNAVAILABLE", []string{"Windows Credential Manager is not available", "signed-in Windows user"}},
		{locked, "windows", "KEYCHAIN_LOCKED", []string{"Windows Credential Manager did not answer within 3s", "VaultSvc"}},
		{&KeychainError{Kind: KeychainTooBig, Size: 4000}, "linux", "KEYCHAIN_TOO_BIG", []string{"4000 bytes", "at most 2560 bytes"}},
		{&KeychainError{Kind: KeychainOther, Err: errors.New("boom")}, "linux", "KEYCHAIN_ERROR", []string{"try again", "(boom)"}},
	}
	for _, tc := range tests {
		msg := tc.err.text(tc.goos)
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s %v: message %q lacks %q", tc.goos, tc.err.Kind, msg, w)
			}
		}
		if tc.err.Code() != tc.code {
			t.Errorf("Code() = %s, want %s", tc.err.Code(), tc.code)
		}
	}
	if locked.Hint() == "" || !strings.Contains(locked.Error(), locked.Hint()) {
		t.Error("Error() should end with Hint()")
	}
}

func TestSettingsErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		err  *SettingsError
		code string
	}{
		{&SettingsError{Path: "/x/settings.json", Op: "parse", Err: ErrCorrupt}, "SETTINGS_CORRUPT"},
		{&SettingsError{Path: "/x/settings.json", Op: "write", Err: ErrNewerVersion}, "SETTINGS_NEWER_VERSION"},
		{&SettingsError{Path: "/x/settings.lock", Op: "lock", Err: errors.New("busy")}, "SETTINGS_BUSY"},
		{&SettingsError{Path: "/x/settings.json", Op: "write", Err: errors.New("disk full")}, "SETTINGS_IO"},
	} {
		if tc.err.Code() != tc.code || !strings.Contains(tc.err.Error(), tc.err.Path) || tc.err.Hint() == "" {
			t.Errorf("%v: code %s, want %s", tc.err, tc.err.Code(), tc.code)
		}
	}
}
