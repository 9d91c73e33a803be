// Package connection joins a saved profile (credstore) to a login check
// (sfclient). The command line, the window, the wizard and the tray all test
// credentials through it, so they give the same answer.
package connection

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// Store is what a check needs from credstore.
type Store interface {
	Secrets(ctx context.Context, name string) (credstore.Secrets, error)
	UpdateSecret(ctx context.Context, name, kind, value string) error
}

// Config returns the checker configuration of p.
func Config(p credstore.Profile, timeout time.Duration) sfclient.Config {
	return sfclient.Config{
		LoginURL:   p.LoginURL,
		Method:     sfclient.Method(p.Method),
		ClientID:   p.ClientID,
		APIVersion: p.APIVersion,
		Timeout:    timeout,
		CAFile:     p.CAFile,
		Proxy:      p.Proxy,
	}
}

// Credentials turns a profile's username and secrets into the credentials
// of one attempt.
func Credentials(p credstore.Profile, s credstore.Secrets) sfclient.Credentials {
	return sfclient.Credentials{
		Username:      p.Username,
		Password:      s.Password,
		SecurityToken: s.SecurityToken,
		ClientSecret:  s.ClientSecret,
		RefreshToken:  s.RefreshToken,
	}
}

// SecretsFor keeps only the secrets p's method uses: a browser profile keeps
// no password, a password profile no refresh token.
func SecretsFor(p credstore.Profile, s credstore.Secrets) credstore.Secrets {
	out := credstore.Secrets{ClientSecret: s.ClientSecret}
	if p.Method == credstore.MethodOAuthBrowser {
		out.RefreshToken = s.RefreshToken
		return out
	}
	out.Password, out.SecurityToken = s.Password, s.SecurityToken
	if p.Method == credstore.MethodSOAP || p.Method == "" {
		out.ClientSecret = ""
	}
	return out
}

// Check tests credentials as typed (nothing is read from or written to the
// keychain). A *sfclient.ConfigError means the profile's settings are
// unusable.
func Check(ctx context.Context, p credstore.Profile, s credstore.Secrets, timeout time.Duration) (sfclient.Result, error) {
	c, err := sfclient.New(Config(p, timeout))
	if err != nil {
		return sfclient.Result{}, err
	}
	return c.Check(ctx, Credentials(p, s)), nil
}

// ErrSecretsMissing means the keychain lacks a secret the profile needs.
var ErrSecretsMissing = errors.New("secrets missing from the keychain")

// MissingError names the saved profile whose secrets are gone.
type MissingError struct {
	Profile string
	Err     error
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("profile %q: %v", e.Profile, e.Err)
}

// Unwrap lets errors.Is find ErrSecretsMissing and credstore.ErrNotFound.
func (e *MissingError) Unwrap() []error { return []error{ErrSecretsMissing, e.Err} }

// Code is the stable code of the error.
func (e *MissingError) Code() string { return string(CodeSecretsMissing) }

// Hint says what to do.
func (e *MissingError) Hint() string {
	return "The keychain no longer holds this profile's saved credentials. Enter them again (Settings, or advologix-connect login --profile " + e.Profile + ")."
}

// CheckSaved tests a saved profile with the secrets from the keychain. A
// refresh token that Salesforce rotates during the check replaces the saved
// one. Errors are keychain failures (*credstore.KeychainError), missing
// secrets (*MissingError) or an unusable profile (*sfclient.ConfigError);
// a failed login is a Result, not an error.
func CheckSaved(ctx context.Context, st Store, p credstore.Profile, timeout time.Duration) (sfclient.Result, error) {
	sec, err := st.Secrets(ctx, p.Name)
	if err != nil {
		if errors.Is(err, credstore.ErrNotFound) {
			return sfclient.Result{}, &MissingError{Profile: p.Name, Err: err}
		}
		return sfclient.Result{}, err
	}
	c, err := sfclient.New(Config(p, timeout))
	if err != nil {
		return sfclient.Result{}, err
	}
	cr := Credentials(p, sec)
	var saveErr error
	cr.OnRefreshTokenRotated = func(newToken string) {
		saveErr = st.UpdateSecret(ctx, p.Name, credstore.KindRefreshToken, newToken)
	}
	res := c.Check(ctx, cr)
	if saveErr != nil {
		return res, fmt.Errorf("save the refresh token Salesforce rotated: %w", saveErr)
	}
	return res, nil
}
