package credstore

// This file holds the cached session: the access token (or SOAP session id)
// of a profile's last login, kept in the keychain beside the refresh token
// so that every program asking for a session while it works gets the same
// one, and a refresh token is spent once per expiry, not once per caller.
// It is a cache: never listed in Profile.Secrets, never "missing"; it is
// about one generation of the profile (a new sign-in makes it stale) and
// Delete removes it with the profile.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// KindSession is the keychain account suffix of a profile's cached
// session ("<profile>:session"). It is not one of Kinds().
const KindSession = "session"

// CachedSession is a session a login opened, as kept in the keychain.
// AccessToken is a live bearer token: every printed, logged or JSON form
// hides it, as for Secrets.
type CachedSession struct {
	AccessToken    string
	InstanceURL    string
	OrganizationID string
	UserID         string
	Username       string
	// IssuedAt and ExpiresAt are Salesforce's (ExpiresAt zero: unknown,
	// as for OAuth).
	IssuedAt, ExpiresAt time.Time
	// VerifiedAt is when this computer last saw the session work.
	VerifiedAt time.Time
	// Generation is the profile's generation it was opened with.
	Generation uint64
	// APIVersion is the REST API version handed out with the session.
	APIVersion string
	// Refused, in an entry without AccessToken, is the hex SHA-256 of a
	// refresh token Salesforce refused (revoked, expired): no program
	// sends it again. RefusedResult is the refusal as a verdict keeps it.
	Refused       string
	RefusedResult json.RawMessage
}

// cachedSessionJSON is the keychain encoding of a CachedSession.
type cachedSessionJSON struct {
	AccessToken    string          `json:"access_token"`
	InstanceURL    string          `json:"instance_url"`
	OrganizationID string          `json:"organization_id"`
	UserID         string          `json:"user_id"`
	Username       string          `json:"username"`
	IssuedAt       time.Time       `json:"issued_at"`
	ExpiresAt      time.Time       `json:"expires_at,omitzero"`
	VerifiedAt     time.Time       `json:"verified_at"`
	Generation     uint64          `json:"generation"`
	APIVersion     string          `json:"api_version,omitempty"`
	Refused        string          `json:"refused,omitempty"`
	RefusedResult  json.RawMessage `json:"refused_result,omitempty"`
}

// String hides the token.
func (c CachedSession) String() string {
	tok := "<empty>"
	if c.AccessToken != "" {
		tok = "<redacted>"
	}
	return fmt.Sprintf("credstore.CachedSession{%s %s generation %d, access token %s}", c.InstanceURL, c.Username, c.Generation, tok)
}

// GoString is String.
func (c CachedSession) GoString() string { return c.String() }

// Format prints the redacted String for every verb.
func (c CachedSession) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue keeps the token out of log/slog output.
func (c CachedSession) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON always fails: the session belongs only in the keychain.
func (c CachedSession) MarshalJSON() ([]byte, error) { return nil, errSecretsJSON }

// CachedSession reads profile name's cached session (or the refusal of
// its refresh token). ok is false when there is none, or what is stored cannot be read (a cache: the next login
// replaces it). Keychain failures are *KeychainError.
func (s *Store) CachedSession(ctx context.Context, name string) (c CachedSession, ok bool, err error) {
	if err := ValidateName(name); err != nil {
		return CachedSession{}, false, err
	}
	kc, cancel := s.keychain(ctx, "read", s.readTimeout)
	defer cancel()
	v, err := kc.get(Account(name, KindSession))
	if errors.Is(err, errEntryNotFound) {
		return CachedSession{}, false, nil
	}
	if err != nil {
		return CachedSession{}, false, err
	}
	var j cachedSessionJSON
	if json.Unmarshal([]byte(v), &j) != nil || j.AccessToken == "" && j.Refused == "" {
		return CachedSession{}, false, nil
	}
	return CachedSession(j), true, nil
}

// SaveCachedSession replaces profile name's cached session. The profile
// must be saved; the session is refused when larger than MaxSecretBytes.
func (s *Store) SaveCachedSession(ctx context.Context, name string, c CachedSession) error {
	if _, err := s.Profile(name); err != nil {
		return err
	}
	b, err := json.Marshal(cachedSessionJSON(c))
	if err != nil {
		return fmt.Errorf("encode the session of profile %q: %w", name, err)
	}
	kc, cancel := s.keychain(ctx, "save", s.saveTimeout)
	defer cancel()
	return kc.set(Account(name, KindSession), string(b))
}

// DeleteCachedSession removes profile name's cached session, if any.
func (s *Store) DeleteCachedSession(ctx context.Context, name string) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	kc, cancel := s.keychain(ctx, "delete", s.saveTimeout)
	defer cancel()
	_, err := kc.del(Account(name, KindSession))
	return err
}
