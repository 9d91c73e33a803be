package sfclient

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on credentials, checked before anything is sent. Salesforce
// usernames are at most 80 characters (they have the form of an email
// address); security tokens are 24 or 25 letters and digits, so 64 leaves
// room for any future form; 256 characters is far above any password
// policy and any password a person types or a manager generates.
const (
	MaxUsernameLen = 80
	MaxPasswordLen = 256
	MaxTokenLen    = 64
)

// InputError is a credential that cannot be right, found before any
// request: what is wrong and with which field. Its text never holds the
// value.
type InputError struct {
	Field  Field  // FieldUsername, FieldPassword or FieldToken
	Reason string // e.g. "contains a control character"
}

func (e *InputError) Error() string { return "the " + fieldName(e.Field) + " " + e.Reason }

// Code is CREDENTIALS_MALFORMED.
func (e *InputError) Code() string { return string(CodeCredentialsMalformed) }

func fieldName(f Field) string {
	if f == FieldToken {
		return "security token"
	}
	return string(f)
}

// ValidateCredentials checks what a password login would send: a username
// that is not blank, at most MaxUsernameLen characters, without spaces or
// control characters; a non-empty password of at most MaxPasswordLen
// characters of valid UTF-8 without control characters other than Tab; a
// token of at most MaxTokenLen characters without spaces or control
// characters. encoding/xml would silently turn NUL and invalid UTF-8 into
// U+FFFD, and a failed login counts towards a lockout, so these are
// refused instead of sent. Username and token are taken as Check takes
// them, trimmed.
func ValidateCredentials(cr Credentials) error {
	user := strings.TrimSpace(cr.Username)
	token := strings.TrimSpace(cr.SecurityToken)
	switch {
	case user == "":
		return &InputError{FieldUsername, "is empty"}
	case !utf8.ValidString(user):
		return &InputError{FieldUsername, "is not valid text (UTF-8)"}
	case utf8.RuneCountInString(user) > MaxUsernameLen:
		return &InputError{FieldUsername, fmt.Sprintf("is longer than %d characters, the longest a Salesforce username can be", MaxUsernameLen)}
	case strings.IndexFunc(user, badTextRune) >= 0:
		return &InputError{FieldUsername, "contains a control or invisible formatting character"}
	case strings.IndexFunc(user, unicode.IsSpace) >= 0:
		return &InputError{FieldUsername, "contains a space; Salesforce usernames look like an email address (jane@firm.com)"}
	}
	if err := validateSecret(FieldPassword, cr.Password, MaxPasswordLen, true); err != nil {
		return err
	}
	if err := validateSecret(FieldToken, token, MaxTokenLen, false); err != nil {
		return err
	}
	if strings.IndexFunc(token, unicode.IsSpace) >= 0 {
		return &InputError{FieldToken, "contains a space; security tokens are letters and digits only"}
	}
	return nil
}

func validateSecret(f Field, v string, max int, required bool) error {
	switch {
	case v == "" && required:
		return &InputError{f, "is empty"}
	case !utf8.ValidString(v):
		return &InputError{f, "is not valid text (UTF-8); it may have been read from a file in another encoding"}
	case utf8.RuneCountInString(v) > max:
		return &InputError{f, fmt.Sprintf("is longer than %d characters; check that the right value was pasted", max)}
	case strings.IndexFunc(v, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }) >= 0:
		return &InputError{f, "contains a control character (such as NUL or a line break), which Salesforce cannot receive; type it again"}
	}
	return nil
}

// badTextRune reports control and format characters (bidi overrides,
// zero-width characters), which make a name look like another.
func badTextRune(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }
