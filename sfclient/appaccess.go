package sfclient

// This file classifies Salesforce's answers that say the app itself may not
// be used — blocked, not installed, the user not approved — and a saved
// browser sign-in that Salesforce no longer accepts, and says what the user
// and the Salesforce admin do about each (which Setup page).

import (
	"regexp"
	"strings"
)

// Codes of answers about the app (the External Client App or connected app
// that browser sign-in uses) and about a saved sign-in. Salesforce words
// each of them in more than one way — upper-case names at the authorization
// redirect, lower-case OAuth errors at the token endpoint, the same error
// with different descriptions — so each gets one code here; Result.Message
// keeps Salesforce's own words.
const (
	// CodeOAuthAppBlocked: an admin blocked the app in the org (Connected
	// Apps OAuth Usage → Block): error=OAUTH_APP_BLOCKED, "this app is
	// blocked by admin".
	CodeOAuthAppBlocked Code = "OAUTH_APP_BLOCKED"
	// CodeOAuthApprovalErrorGeneric: the app is not installed in the org
	// and the user lacks "Approve Uninstalled Connected Apps": Salesforce's
	// OAUTH_APPROVAL_ERROR_GENERIC page, whose address and the token
	// endpoint say invalid_client "app must be installed into org".
	CodeOAuthApprovalErrorGeneric Code = "OAUTH_APPROVAL_ERROR_GENERIC"
	// CodeOAuthAppNotInstalled: the org does not know the External Client
	// App's consumer key: app_not_found (token endpoint) or
	// OAUTH_EC_APP_NOT_FOUND (redirect), "External client app is not
	// installed in this org".
	CodeOAuthAppNotInstalled Code = "OAUTH_APP_NOT_INSTALLED"
	// CodeOAuthUserNotApproved: the app admits only admin-approved users
	// and this user is not one: invalid_app_access (token endpoint) or
	// OAUTH_APP_ACCESS_DENIED (redirect), "user is not admin approved to
	// access this app".
	CodeOAuthUserNotApproved Code = "OAUTH_USER_NOT_APPROVED"
	// CodeOAuthRefreshTokenExpired: Salesforce refused a saved refresh
	// token: invalid_grant "expired access/refresh token". It is the answer
	// to a token that expired (the app's refresh-token policy, 30 days idle
	// for partner apps), was revoked (by the user, an admin, an uninstall),
	// or was the oldest of more than 5 sign-ins of the user with the app,
	// which Salesforce revokes silently: the answer does not tell them
	// apart.
	CodeOAuthRefreshTokenExpired Code = "OAUTH_REFRESH_TOKEN_EXPIRED"
)

// AppAccessCodes lists the codes of this file, for tests and documentation.
var AppAccessCodes = []Code{CodeOAuthAppBlocked, CodeOAuthApprovalErrorGeneric, CodeOAuthAppNotInstalled,
	CodeOAuthUserNotApproved, CodeOAuthRefreshTokenExpired}

// salesforceOAuthNameRE matches Salesforce's own upper-case error names at
// the authorization redirect ("OAUTH_APP_BLOCKED").
var salesforceOAuthNameRE = regexp.MustCompile(`^OAUTH_[A-Z0-9]+(?:_[A-Z0-9]+)*$`)

// ClassifyOAuthError turns an OAuth error parameter and its description,
// from the authorization redirect or the token endpoint, into a Code: the
// app-access answers into this file's codes, Salesforce's upper-case names
// verbatim, any other OAuth error into OAuthCode's. It returns "" for a
// value that is not an error name. invalid_grant stays
// OAUTH_INVALID_GRANT whatever its description: only the refresh of a
// saved sign-in (refreshFailure) tells an expired token from a refused
// password.
func ClassifyOAuthError(errorParam, description string) Code {
	e := strings.TrimSpace(errorParam)
	d := strings.ToLower(description)
	if len(e) <= 61 && salesforceOAuthNameRE.MatchString(e) {
		switch e {
		case "OAUTH_APP_BLOCKED":
			return CodeOAuthAppBlocked
		case "OAUTH_APPROVAL_ERROR_GENERIC":
			return CodeOAuthApprovalErrorGeneric
		case "OAUTH_EC_APP_NOT_FOUND":
			return CodeOAuthAppNotInstalled
		case "OAUTH_APP_ACCESS_DENIED":
			return CodeOAuthUserNotApproved
		}
		return Code(e)
	}
	code := OAuthCode(e)
	switch {
	case code == "" || code == CodeOAuthInvalidGrant:
		return code
	case e == "app_not_found" || strings.Contains(d, "not installed in this org"):
		return CodeOAuthAppNotInstalled
	case strings.Contains(d, "must be installed into org"):
		return CodeOAuthApprovalErrorGeneric
	case e == "invalid_app_access" || strings.Contains(d, "not admin approved"):
		return CodeOAuthUserNotApproved
	case strings.Contains(d, "blocked by admin"):
		return CodeOAuthAppBlocked
	}
	return code
}

// refreshFailure turns a failed refresh of a saved sign-in into a Result:
// tokenFailure's, with invalid_grant "expired access/refresh token" (and
// its variants naming a refresh token or a revocation) as
// OAUTH_REFRESH_TOKEN_EXPIRED.
func (c *Checker) refreshFailure(err error) Result {
	r := c.tokenFailure(err)
	if r.Code == CodeOAuthInvalidGrant && refreshTokenRefused(r.Message) {
		r.Code = CodeOAuthRefreshTokenExpired
	}
	return r
}

// refreshTokenRefused tells whether an invalid_grant description of a
// refresh says the token itself is no longer good.
func refreshTokenRefused(desc string) bool {
	d := strings.ToLower(desc)
	return strings.Contains(d, "expired access/refresh token") || strings.Contains(d, "refresh token") ||
		strings.Contains(d, "revoked")
}

// Setup pages the hints below name.
const (
	setupOAuthUsage = "Setup → Apps → Connected Apps OAuth Usage"
	setupECAPolicy  = "Setup → External Client Apps → External Client App Manager → the app → Policies → OAuth Policies"
	signInAgain     = "Sign in again: “Sign in with browser”, or advologix-connect login --browser."
)

// appAnswer is what people are told about one of this file's codes: the
// cause, the user's next step and the Salesforce admin's (which Setup page).
type appAnswer struct {
	headline, cause, you, admin string
	suspect                     Field
}

var appAnswers = map[Code]appAnswer{
	CodeOAuthAppBlocked: {headline: "Your Salesforce org blocks this app",
		cause:   "An admin of your org has blocked the app AdvoLogix Connect signs in with (Salesforce: “this app is blocked by admin”); nothing on this computer can change that.",
		you:     "ask your Salesforce admin to unblock it.",
		admin:   setupOAuthUsage + " → the app's row → Unblock (with API Access Control on, Install it there too and give users access under Manage App Policies).",
		suspect: FieldAccount},
	CodeOAuthApprovalErrorGeneric: {headline: "The app is not installed in your Salesforce org",
		cause: "Salesforce lets only users with the “Approve Uninstalled Connected Apps” permission use an app that is not installed in the org, and shows everyone else OAUTH_APPROVAL_ERROR_GENERIC (“app must be installed into org”). " +
			"The same page also appears for a user with an Integration or API-only licence, and for an app without the api, refresh_token and openid scopes.",
		you:     "ask your Salesforce admin to install the app.",
		admin:   setupOAuthUsage + " → the app's row → Install, then Manage App Policies → Permitted Users.",
		suspect: FieldAccount},
	CodeOAuthAppNotInstalled: {headline: "The External Client App is not installed in your org",
		cause:   "Salesforce does not know this app's consumer key in your org (“External client app is not installed in this org”).",
		you:     "ask your Salesforce admin; if your firm set its own consumer key (Advanced → Connected app, or the IT policy's client_id), check it belongs to this org — a sandbox has its own.",
		admin:   "install or upgrade the AdvoLogix package that brings the External Client App, then check " + setupECAPolicy + ".",
		suspect: FieldAccount},
	CodeOAuthUserNotApproved: {headline: "Your user is not approved for this app",
		cause: "The app admits only users an admin approved (“Admin approved users are pre-authorized”), and your profile and permission sets are not among them (Salesforce: “user is not admin approved to access this app”).",
		you:   "ask your Salesforce admin for access, then sign in again.",
		admin: setupECAPolicy + " → Permitted Users, and add the user's profile or a permission set under App Policies " +
			"(a connected app: Setup → Apps → Connected Apps → Manage Connected Apps → the app → Manage Profiles or Manage Permission Sets). A change can take a few minutes to apply.",
		suspect: FieldAccount},
	CodeOAuthRefreshTokenExpired: {headline: "Browser sign-in has expired or was revoked",
		cause: "Salesforce no longer accepts this profile's saved sign-in (“expired access/refresh token”): it went unused longer than the app's refresh-token policy allows (30 days idle for partner apps), " +
			"it was revoked (by you or an admin, or by blocking or uninstalling the app), or your user signed in with this app more than 5 times elsewhere — Salesforce keeps 5 sign-ins per user and app and silently revokes the oldest.",
		you:     signInAgain,
		admin:   setupOAuthUsage + " shows the app's sign-ins; its refresh-token policy is under " + setupECAPolicy + ".",
		suspect: FieldNone},
}

// appAccessDiagnosis explains this file's codes: what happened, what the
// user does, and what the Salesforce admin does, on which Setup page.
func appAccessDiagnosis(r *Result) (diagnosis, bool) {
	a, ok := appAnswers[r.Code]
	if !ok {
		return diagnosis{}, false
	}
	return diagnosis{a.headline, a.cause + " You: " + a.you + " Admin: " + a.admin, a.suspect}, true
}

// notBackHint is the part of SIGNIN_TIMEOUT's hint for a Salesforce error
// page that never returns to the app: an app not installed in the org.
const notBackHint = "If Salesforce's page said OAUTH_APPROVAL_ERROR_GENERIC or “app must be installed into org”, the app is not installed in your org: " +
	"ask your Salesforce admin to install it (" + setupOAuthUsage + " → the app's row → Install)."
