package credstore

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// The secret kinds: the part after the colon in a keychain account name.
const (
	KindPassword      = "password"
	KindSecurityToken = "security_token"
	KindRefreshToken  = "refresh_token"
	KindClientSecret  = "client_secret"
)

// Kinds returns every secret kind, in a fixed order.
func Kinds() []string {
	return []string{KindPassword, KindSecurityToken, KindRefreshToken, KindClientSecret}
}

// MaxSecretBytes is the largest secret credstore stores: Windows Credential
// Manager's limit, applied on every OS so a profile never depends on where
// it was saved.
const MaxSecretBytes = 2560

// Secrets are the values credstore keeps only in the OS keychain. An empty
// field means "no such entry". Printing Secrets with any fmt verb, or
// logging them with log/slog, shows only which fields are set; encoding
// them as JSON fails. (fmt cannot be stopped from printing a Secrets held
// in an unexported struct field: don't keep them there.)
type Secrets struct {
	Password      string
	SecurityToken string
	RefreshToken  string
	ClientSecret  string
}

// value returns the secret of the given kind.
func (s Secrets) value(kind string) string {
	switch kind {
	case KindPassword:
		return s.Password
	case KindSecurityToken:
		return s.SecurityToken
	case KindRefreshToken:
		return s.RefreshToken
	case KindClientSecret:
		return s.ClientSecret
	}
	return ""
}

func (s *Secrets) set(kind, v string) {
	switch kind {
	case KindPassword:
		s.Password = v
	case KindSecurityToken:
		s.SecurityToken = v
	case KindRefreshToken:
		s.RefreshToken = v
	case KindClientSecret:
		s.ClientSecret = v
	}
}

// IsZero reports whether no secret is set.
func (s Secrets) IsZero() bool { return s == Secrets{} }

// kinds returns the kinds whose value is set, in Kinds order.
func (s Secrets) kinds() []string {
	var out []string
	for _, k := range Kinds() {
		if s.value(k) != "" {
			out = append(out, k)
		}
	}
	return out
}

// String shows which secrets are set, never their values.
func (s Secrets) String() string {
	var b strings.Builder
	b.WriteString("credstore.Secrets{")
	for i, f := range []struct{ name, v string }{
		{"Password", s.Password}, {"SecurityToken", s.SecurityToken},
		{"RefreshToken", s.RefreshToken}, {"ClientSecret", s.ClientSecret},
	} {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.name)
		if f.v == "" {
			b.WriteString(":<empty>")
		} else {
			b.WriteString(":<redacted>")
		}
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, so %#v redacts too.
func (s Secrets) GoString() string { return s.String() }

// Format prints the redacted String for every verb (%v, %+v, %#v, %s, %q,
// %x, ...).
func (s Secrets) Format(f fmt.State, verb rune) {
	_, _ = f.Write([]byte(s.String()))
}

// LogValue keeps values out of log/slog output.
func (s Secrets) LogValue() slog.Value { return slog.StringValue(s.String()) }

// errSecretsJSON is returned by Secrets.MarshalJSON.
var errSecretsJSON = errors.New("credstore: Secrets are never encoded as JSON: they belong only in the keychain")

// MarshalJSON always fails, so secrets cannot end up in a JSON file or
// response by accident.
func (s Secrets) MarshalJSON() ([]byte, error) { return nil, errSecretsJSON }

// validate checks the sizes before anything is written.
func (s Secrets) validate(op, profile string) error {
	for _, k := range Kinds() {
		if n := len(s.value(k)); n > MaxSecretBytes {
			return &KeychainError{Kind: KeychainTooBig, Op: op, Account: Account(profile, k), Size: n}
		}
	}
	return nil
}

func validKind(kind string) error {
	for _, k := range Kinds() {
		if k == kind {
			return nil
		}
	}
	return fmt.Errorf("secret kind %q: %w (want one of %s)", kind, ErrInvalid, strings.Join(Kinds(), ", "))
}
