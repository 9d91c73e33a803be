package connection

// This file holds which consumer key (client id) browser sign-in uses: the
// IT policy's, the profile's own, the firm's defaults, or the one built
// into the release.

import (
	"strings"

	"github.com/advologix/advologix-connect/credstore"
)

// ClientIDEnv names the environment variable with the connected app's
// consumer key for browser sign-in; it overrides the settings file's
// default_client_id, not the IT policy.
const ClientIDEnv = "ADVOLOGIX_CLIENT_ID"

// BuiltInClientID is the consumer key of the AdvoLogix External Client App
// compiled into a release (make dist ADVOLOGIX_CLIENT_ID_BUILTIN=…, which
// passes go build -ldflags "-X …/internal/connection.BuiltInClientID=…").
// A development build has none: "".
var BuiltInClientID = ""

// ClientIDSource says where the consumer key browser sign-in uses comes
// from.
type ClientIDSource string

// Where a client id comes from, highest precedence first.
const (
	FromPolicyLocked ClientIDSource = "policy (locked)"
	FromProfile      ClientIDSource = "profile"
	FromPolicy       ClientIDSource = "policy"
	FromEnv          ClientIDSource = "$" + ClientIDEnv
	FromSettings     ClientIDSource = "default_client_id"
	FromBuiltIn      ClientIDSource = "built-in"
	FromNone         ClientIDSource = ""
)

// ChooseClientID is the consumer key browser sign-in uses for a profile
// whose own client id is own, and where it comes from. Highest first:
//
//  1. the IT policy's client_id when it is locked (enforced everywhere);
//  2. the profile's own (a saved browser sign-in's refresh token belongs
//     to the app that issued it, so a default never replaces it);
//  3. the IT policy's client_id, unlocked: the firm's default;
//  4. $ADVOLOGIX_CLIENT_ID, then the settings file's default_client_id;
//  5. the one built into the release (BuiltInClientID).
//
// FromNone and "" mean none is configured.
func ChooseClientID(own string, pol credstore.Policy, prefs credstore.Prefs, getenv func(string) string) (string, ClientIDSource) {
	polID := strings.TrimSpace(pol.ClientID)
	if polID != "" && pol.IsLocked(credstore.PolicyClientID) {
		return polID, FromPolicyLocked
	}
	if v := strings.TrimSpace(own); v != "" {
		return v, FromProfile
	}
	if polID != "" {
		return polID, FromPolicy
	}
	if getenv != nil {
		if v := strings.TrimSpace(getenv(ClientIDEnv)); v != "" {
			return v, FromEnv
		}
	}
	if v := strings.TrimSpace(prefs.DefaultClientID); v != "" {
		return v, FromSettings
	}
	if v := strings.TrimSpace(BuiltInClientID); v != "" {
		return v, FromBuiltIn
	}
	return "", FromNone
}

// BuildClientIDLine says, for `version` and Settings, whether this build
// has a built-in client id for browser sign-in.
func BuildClientIDLine() string {
	line := "browser sign-in: " + builtInNote()
	if strings.TrimSpace(BuiltInClientID) == "" {
		line += "; set one with --client-id, $" + ClientIDEnv + ", default_client_id in the settings file or the IT policy's client_id"
	}
	return line
}

// builtInNote is diagnose's word on the build's client id.
func builtInNote() string {
	if id := strings.TrimSpace(BuiltInClientID); id != "" {
		return "built-in client id " + id
	}
	return "no built-in client id (development build)"
}

// DefaultClientID is the client id for a profile that names none, without
// an IT policy: $ADVOLOGIX_CLIENT_ID, the settings file's
// default_client_id, the built-in one (ChooseClientID's order).
func DefaultClientID(prefs credstore.Prefs, getenv func(string) string) string {
	id, _ := ChooseClientID("", credstore.Policy{}, prefs, getenv)
	return id
}
