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
