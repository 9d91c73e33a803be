// Package connection is the app's use-case layer: it joins the keychain
// and settings (credstore) to Salesforce (sfclient). Its Service runs every
// workflow — test, test and save, sign in and save, check a saved profile,
// open a session, remove — and Diagnose, Explain and Status report on the
// rest. Each returns one Outcome with a typed Code, a headline, the hint
// and the suspect field, which the command line, the window, the wizard
// and the tray only render, so they all give the same answer.
package connection

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// Error is the wrapped error's text, which names the profile already
// (credstore's errors do), else one that names it.
func (e *MissingError) Error() string {
	if e.Err != nil && strings.Contains(e.Err.Error(), fmt.Sprintf("profile %q", e.Profile)) {
		return e.Err.Error()
	}
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
