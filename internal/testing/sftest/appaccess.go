package sftest

import (
	"html"
	"net/http"
	"net/url"
	"strings"
)

// AppRefusal is how the org refuses an app (a connected app or External
// Client App) as a whole, in Salesforce's own shapes at the authorization
// redirect and at the token endpoint.
type AppRefusal int

// App refusals.
const (
	// AppAllowed: the app is usable (the default).
	AppAllowed AppRefusal = iota
	// AppBlocked: an admin blocked the app (Setup → Connected Apps OAuth
	// Usage → Block). Authorize redirects with error=OAUTH_APP_BLOCKED,
	// "this app is blocked by admin" (the answer Microsoft's and
	// Salesforce's help articles quote). Blocking ends the app's sessions,
	// so the token endpoint answers what a revoked token gets,
	// invalid_grant "expired access/refresh token" (Salesforce documents
	// no answer of its own there).
	AppBlocked
	// AppNotInstalled: the org does not know the External Client App.
	// Authorize redirects with error=OAUTH_EC_APP_NOT_FOUND, the token
	// endpoint answers {"error":"app_not_found","error_description":
	// "External client app is not installed in this org"}.
	AppNotInstalled
	// AppUninstalled: a connected app that is not installed, for a user
	// without "Approve Uninstalled Connected Apps" (enforced since
	// September 2025). Authorize does not come back to the app: it sends
	// the browser to Salesforce's own error page,
	// /setup/secur/RemoteAccessErrorPage.apexp?error=invalid_client&error_description=app+must+be+installed+into+org,
	// which reads "OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has
	// occured during authentication."; the token endpoint answers
	// invalid_client "app must be installed into org".
	AppUninstalled
)

// Salesforce's words for the refusals.
const (
	descAppBlocked         = "this app is blocked by admin"
	descECANotInstalled    = "External client app is not installed in this org"
	descMustBeInstalled    = "app must be installed into org"
	descUserNotApproved    = "user is not admin approved to access this app"
	remoteAccessErrorPath  = "/setup/secur/RemoteAccessErrorPage.apexp"
	approvalErrorGeneric   = "OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has occured during authentication. Please try again."
	remoteAccessErrorTitle = "We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator."
)

// appAccess is the refusal state of the org's apps.
type appAccess struct {
	refusal map[string]AppRefusal
	// approved, when set for a client id, is the app's "Admin approved
	// users are pre-authorized" policy: only these (lower-cased) usernames
	// may use it.
	approved map[string]map[string]bool
}

// SetAppRefusal makes the org refuse the app with clientID as r says
// (AppAllowed lifts it).
func (s *Server) SetAppRefusal(clientID string, r AppRefusal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access.refusal == nil {
		s.access.refusal = map[string]AppRefusal{}
	}
	s.access.refusal[clientID] = r
}

// SetAdminApproved sets the app's Permitted Users policy to "Admin
// approved users are pre-authorized" with only usernames approved (through
// their profile or a permission set); no usernames approves nobody. Any
// other user is refused: authorize redirects with
// error=OAUTH_APP_ACCESS_DENIED, the token endpoint answers
// {"error":"invalid_app_access","error_description":"user is not admin
// approved to access this app"}. SetAllUsersSelfAuthorize undoes it.
func (s *Server) SetAdminApproved(clientID string, usernames ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access.approved == nil {
		s.access.approved = map[string]map[string]bool{}
	}
	set := map[string]bool{}
	for _, u := range usernames {
		set[strings.ToLower(u)] = true
	}
	s.access.approved[clientID] = set
}

// SetAllUsersSelfAuthorize sets the app's Permitted Users policy back to
// "All users may self-authorize".
func (s *Server) SetAllUsersSelfAuthorize(clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.access.approved, clientID)
}

// userRefusedLocked tells whether the app's policy refuses user u.
func (s *Server) userRefusedLocked(clientID string, u *userState) bool {
	set, ok := s.access.approved[clientID]
	return ok && (u == nil || !set[strings.ToLower(u.Username)])
}

// refuseAuthorizeLocked answers an authorization the org refuses for app
// and user u: a redirect to the callback (fail) or to Salesforce's error
// page. It reports whether it answered.
func (s *Server) refuseAuthorizeLocked(w http.ResponseWriter, r *http.Request, app *App, u *userState, fail func(code, desc string)) bool {
	switch s.access.refusal[app.ClientID] {
	case AppBlocked:
		fail("OAUTH_APP_BLOCKED", descAppBlocked)
	case AppNotInstalled:
		fail("OAUTH_EC_APP_NOT_FOUND", descECANotInstalled)
	case AppUninstalled:
		v := url.Values{"error": {oauthInvalidClient}, "error_description": {descMustBeInstalled}}
		http.Redirect(w, r, s.url+remoteAccessErrorPath+"?"+v.Encode(), http.StatusFound)
	default:
		if !s.userRefusedLocked(app.ClientID, u) {
			return false
		}
		fail("OAUTH_APP_ACCESS_DENIED", descUserNotApproved)
	}
	return true
}

// refuseTokenLocked answers a token request the org refuses for app; the
// user is found from the grant in the request. It reports whether it
// answered.
func (s *Server) refuseTokenLocked(w http.ResponseWriter, r *http.Request, app *App) bool {
	switch s.access.refusal[app.ClientID] {
	case AppBlocked:
		writeOAuthError(w, oauthInvalidGrant, descExpiredToken)
	case AppNotInstalled:
		writeOAuthError(w, "app_not_found", descECANotInstalled)
	case AppUninstalled:
		writeOAuthError(w, oauthInvalidClient, descMustBeInstalled)
	default:
		if _, ok := s.access.approved[app.ClientID]; !ok || !s.userRefusedLocked(app.ClientID, s.tokenUserLocked(r)) {
			return false
		}
		writeOAuthError(w, "invalid_app_access", descUserNotApproved)
	}
	return true
}

// tokenUserLocked is the user a token request is for, when the grant names
// a known one.
func (s *Server) tokenUserLocked(r *http.Request) *userState {
	switch r.Form.Get("grant_type") {
	case "password":
		return s.byName[strings.ToLower(r.Form.Get("username"))]
	case "authorization_code":
		if c := s.codes[r.Form.Get("code")]; c != nil {
			return c.user
		}
	case "refresh_token":
		if g := s.refresh[r.Form.Get("refresh_token")]; g != nil {
			return g.user
		}
	}
	return nil
}

// handleRemoteAccessError serves Salesforce's OAuth error page, where an
// authorization the org refuses outright ends: the browser stays there and
// never returns to the app.
func (s *Server) handleRemoteAccessError(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>Problem Logging In</title></head><body><h1>" + html.EscapeString(remoteAccessErrorTitle) +
		"</h1><p>" + html.EscapeString(approvalErrorGeneric) + "</p><!-- " + html.EscapeString(q.Get("error")+": "+q.Get("error_description")) + " --></body></html>\n"))
}
