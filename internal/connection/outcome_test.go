package connection_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

func TestFailed(t *testing.T) {
	base := credstore.Profile{Name: "jane"}
	signIn := func(c sfclient.Code) error { return &sfclient.SignInError{Code: c, Message: "it did not finish"} }
	tests := []struct {
		name    string
		err     error
		code    connection.Code
		suspect sfclient.Field
		usage   bool
		has     string // in the message
	}{
		{"keychain unavailable", &credstore.KeychainError{Kind: credstore.KeychainUnavailable, Op: "read"}, connection.CodeKeychainUnavailable, "", false, ""},
		{"keychain locked", &credstore.KeychainError{Kind: credstore.KeychainLocked, Op: "save", Timeout: time.Second}, connection.CodeKeychainLocked, "", false, ""},
		{"keychain too big", &credstore.KeychainError{Kind: credstore.KeychainTooBig, Op: "save", Size: 1 << 20}, connection.CodeKeychainTooBig, "", false, ""},
		{"keychain other", &credstore.KeychainError{Kind: credstore.KeychainOther, Op: "delete", Err: errors.New("dbus said no")}, connection.CodeKeychainError, "", false, ""},
		{"keychain, wrapped", &wrapped{&credstore.KeychainError{Kind: credstore.KeychainLocked, Op: "read"}}, connection.CodeKeychainLocked, "", false, ""},
		{"settings insecure", &credstore.SettingsError{Path: "/s.json", Op: "read", Err: credstore.ErrInsecure}, connection.CodeSettingsInsecure, "", false, "/s.json"},
		{"settings too big", &credstore.SettingsError{Path: "/s.json", Op: "read", Err: credstore.ErrTooBig}, connection.CodeSettingsTooBig, "", false, ""},
		{"settings corrupt", &credstore.SettingsError{Path: "/s.json", Op: "parse", Err: credstore.ErrCorrupt}, connection.CodeSettingsCorrupt, "", false, ""},
		{"settings newer", &credstore.SettingsError{Path: "/s.json", Op: "parse", Err: credstore.ErrNewerVersion}, connection.CodeSettingsNewerVersion, "", false, ""},
		{"settings busy", &credstore.SettingsError{Path: "/s.lock", Op: "lock", Err: errors.New("held")}, connection.CodeSettingsBusy, "", false, ""},
		{"settings io", &credstore.SettingsError{Path: "/s.json", Op: "write", Err: os.ErrPermission}, connection.CodeSettingsIO, "", false, ""},
		{"policy unusable", &credstore.PolicyError{Source: "/etc/p.json", Err: errors.New("not JSON")}, connection.CodePolicyInvalid, "", false, "/etc/p.json"},
		{"policy insecure", &credstore.PolicyError{Source: "/etc/p.json", Insecure: true, Err: errors.New("/etc/p.json belongs to uid 1000")}, connection.CodePolicyInsecure, "", false, "/etc/p.json"},
		{"policy violation", &connection.PolicyViolation{Field: credstore.PolicyMethods, Source: "/etc/p.json", Reason: "soap is not allowed"}, connection.CodePolicyViolation, sfclient.FieldAdvanced, false, "soap is not allowed"},
		{"login URL unusable", &sfclient.ConfigError{Field: "login URL", Value: "http://x", Reason: "must start with https://"}, connection.CodeInvalidProfile, sfclient.FieldEnvironment, false, `profile "jane"`},
		{"CA file unusable", &sfclient.ConfigError{Field: "ca-file", Value: "/ca.pem", Reason: "cannot be read"}, connection.CodeInvalidProfile, sfclient.FieldAdvanced, false, "ca-file"},
		{"malformed input", &sfclient.InputError{Field: sfclient.FieldPassword, Reason: "contains a control character"}, sfclient.CodeCredentialsMalformed, sfclient.FieldPassword, true, "password"},
		{"secrets missing", &connection.MissingError{Profile: "jane", Err: credstore.ErrNotFound}, connection.CodeSecretsMissing, "", false, `"jane"`},
		{"no such profile", connection.NoProfile("jane"), connection.CodeProfileNotFound, "", false, `"jane"`},
		{"no profile at all", connection.NoProfile(""), connection.CodeProfileNotFound, "", false, "no profile is saved yet"},
		{"sign-in timeout", signIn(sfclient.CodeSignInTimeout), sfclient.CodeSignInTimeout, "", false, "did not finish"},
		{"sign-in exchange timeout", signIn(sfclient.CodeSignInExchangeTimeout), sfclient.CodeSignInExchangeTimeout, "", false, ""},
		{"sign-in port in use", signIn(sfclient.CodeSignInPortInUse), sfclient.CodeSignInPortInUse, "", false, ""},
		{"sign-in browser", signIn(sfclient.CodeSignInBrowser), sfclient.CodeSignInBrowser, "", false, ""},
		{"sign-in no refresh token", signIn(sfclient.CodeSignInNoRefreshToken), sfclient.CodeSignInNoRefreshToken, "", false, ""},
		{"sign-in cancelled", signIn(sfclient.CodeCanceled), sfclient.CodeCanceled, "", false, ""},
		{"sign-in declined", signIn(sfclient.CodeOAuthAccessDenied), sfclient.CodeOAuthAccessDenied, "", false, ""},
		{"profile exists", fmt.Errorf("profile %q: %w", "Jane", credstore.ErrExists), connection.CodeProfileExists, "", false, `"Jane"`},
		{"session refused", &sfclient.GrantError{Code: sfclient.CodeInstanceRefused, Field: "instance_url", Value: "https://evil.example", Reason: "is not a Salesforce domain"}, connection.CodeInstanceRefused, "", false, "evil.example"},
		{"switch to someone else", connection.SwitchRefused("jane", "jane@firm.example.com", "ann@firm.example.com, not jane@firm.example.com"), connection.CodeSwitchOtherUser, "", false, "ann@firm.example.com"},
		{"anything else", errors.New("the disk caught fire"), connection.CodeError, "", false, "the disk caught fire"},
	}
	seen := map[connection.Code]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := connection.Failed(base, tt.err)
			seen[out.Code] = true
			if out.Code != tt.code || out.OK() || out.Checked || out.Usage() != tt.usage || out.Suspect != tt.suspect {
				t.Fatalf("code %q usage %v suspect %q, want %q %v %q: %+v", out.Code, out.Usage(), out.Suspect, tt.code, tt.usage, tt.suspect, out)
			}
			if out.Headline == "" || out.Headline == "Something went wrong" && tt.code != connection.CodeError {
				t.Errorf("headline %q", out.Headline)
			}
			if !strings.Contains(out.Message, tt.has) || out.Message == "" {
				t.Errorf("message %q lacks %q", out.Message, tt.has)
			}
			if !errors.Is(out.Err, tt.err) || out.Profile.Name != "jane" {
				t.Errorf("Err %v, profile %q", out.Err, out.Profile.Name)
			}
			if out.Kind() != connection.KindLocal && out.Kind() != connection.KindConnection {
				t.Errorf("kind %v", out.Kind())
			}
		})
	}
	t.Run("a sign-in Salesforce answered keeps its Result", func(t *testing.T) {
		r := sfclient.Result{Code: sfclient.CodeOAuthInvalidGrant, Headline: "The sign-in was refused", Suspect: sfclient.FieldAdvanced}
		out := connection.Failed(base, &sfclient.SignInError{Code: r.Code, Message: "expired authorization code", Result: &r})
		if out.Code != sfclient.CodeOAuthInvalidGrant || !out.Checked || out.Headline != r.Headline || out.Suspect != r.Suspect || out.Kind() != connection.KindCredentials {
			t.Errorf("%+v", out)
		}
	})
	// The two outcomes of input a face refuses itself.
	for _, o := range []connection.Outcome{connection.Usage("--username is required"), connection.Locked("--proxy contradicts the IT policy")} {
		seen[o.Code] = true
		if !o.Usage() || o.OK() || o.Headline == "" || o.Message == "" || o.Kind() != connection.KindLocal {
			t.Errorf("%+v", o)
		}
	}
	// SwitchToBrowser's refusal of someone else is its own outcome, from a
	// real sign-in (switch_test.go), not an error's.
	seen[connection.CodeSwitchOtherUser] = true
	// Every code of this package is in the table.
	for _, c := range connection.Codes {
		if !seen[c] {
			t.Errorf("no case gives %s", c)
		}
	}
}

// wrapped hides an error behind another, as callers add context.
type wrapped struct{ err error }

func (w *wrapped) Error() string { return "save the profile: " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }
