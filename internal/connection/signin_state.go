package connection

// This file holds the one reading of a dead sign-in: a browser profile whose
// refresh token Salesforce refused (revoked, idle too long, the app removed)
// on its last use as saved. `status`, the tray and Settings all ask
// ProfileState.SignInAgain, so they agree until the user signs in again (a
// new sign-in saves a new generation of the profile, with its own verdict).

import (
	"fmt"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// SignInAgain reports whether the profile's saved browser sign-in no
// longer works: the last verdict on it as saved is Salesforce refusing its
// refresh token.
func (ps ProfileState) SignInAgain() bool {
	return ps.Tested == Failing && ps.Profile.LoginMethod() == credstore.MethodOAuthBrowser && deadSignIn(ps.Result.Code)
}

// deadSignIn: the codes of a refresh token Salesforce no longer takes.
func deadSignIn(c sfclient.Code) bool {
	return c == sfclient.CodeOAuthInvalidGrant || c == sfclient.CodeOAuthRefreshTokenExpired
}

// SignInAgainHint says how to sign in again to profile p.
func SignInAgainHint(p credstore.Profile) string {
	return fmt.Sprintf("Sign in again: Settings, “Sign in again…”, or advologix-connect login --browser --profile %s --login-url %s.", p.Name, p.LoginURL)
}
