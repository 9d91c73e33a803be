package sftest

import (
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// handleAuthorize serves GET /services/oauth2/authorize. The browser login
// is simulated: the server approves as Config.AuthorizeAs (default: the
// first user) unless Config.ConsentDenied.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.apps[q.Get("client_id")]
	if app == nil {
		// No redirect: the client is unknown, so is its callback.
		writeOAuthErrorPage(w, oauthInvalidClientID, descClientIDInvalid)
		return
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" || !app.allowsRedirect(redirect) {
		writeOAuthErrorPage(w, oauthRedirectMismatch, descRedirectMismatch)
		return
	}
	cb, err := url.Parse(redirect)
	if err != nil {
		writeOAuthErrorPage(w, oauthRedirectMismatch, descRedirectMismatch)
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) {
		v := cb.Query()
		v.Set("error", code)
		v.Set("error_description", desc)
		if state != "" {
			v.Set("state", state)
		}
		cb.RawQuery = v.Encode()
		http.Redirect(w, r, cb.String(), http.StatusFound)
	}
	if q.Get("response_type") != "code" {
		fail(oauthUnsupportedResp, descRespTypeUnsupported)
		return
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if challenge != "" && method != "" && method != "S256" {
		fail(oauthInvalidRequest, descBadChallengeMethod)
		return
	}
	if challenge == "" && app.RequirePKCE {
		fail(oauthInvalidRequest, descMissingChallenge)
		return
	}
	if s.cfg.ConsentDenied {
		fail(oauthAccessDenied, firstNonEmpty(s.cfg.Hostile.ErrorDescription, descConsentDenied))
		return
	}
	var u *userState
	if s.cfg.AuthorizeAs != "" {
		u = s.byName[strings.ToLower(s.cfg.AuthorizeAs)]
	} else if len(s.users) > 0 {
		u = s.users[0]
	}
	if u == nil {
		writeOAuthErrorPage(w, "login_failed", "the emulator has no user to log in as (Config.AuthorizeAs)")
		return
	}
	if u.Inactive {
		fail(oauthInactiveUser, descUserInactive)
		return
	}
	if s.refuseAuthorizeLocked(w, r, app, u, fail) {
		return
	}
	c := &authCode{
		code:        "aPrx" + randomString(60, alnum+"."),
		user:        u,
		clientID:    app.ClientID,
		redirectURI: redirect,
		challenge:   challenge,
		scope:       q.Get("scope"),
		expires:     s.now().Add(authCodeLifetime),
	}
	s.codes[c.code] = c
	v := cb.Query()
	v.Set("code", c.code)
	if state != "" {
		v.Set("state", state)
	}
	cb.RawQuery = v.Encode()
	http.Redirect(w, r, cb.String(), http.StatusFound)
}

// writeOAuthErrorPage renders the HTML error page the authorize endpoint
// shows when it cannot redirect (unknown client, bad redirect_uri).
func writeOAuthErrorPage(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>OAuth Error</title></head><body>" +
		"<h1>OAuth Error</h1><p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p>" +
		"<p>error=" + html.EscapeString(code) + "&amp;error_description=" + html.EscapeString(desc) + "</p></body></html>\n"))
}

// allowsRedirect tells whether redirect is one of the app's callback URLs,
// or, with AnyLoopbackPort, one of them on another port of a loopback host.
func (a *App) allowsRedirect(redirect string) bool {
	if slices.Contains(a.RedirectURIs, redirect) {
		return true
	}
	if !a.AnyLoopbackPort {
		return false
	}
	u, err := url.Parse(redirect)
	if err != nil || u.Port() == "" || !isLoopbackHost(u.Hostname()) {
		return false
	}
	for _, r := range a.RedirectURIs {
		ru, err := url.Parse(r)
		if err == nil && ru.Scheme == u.Scheme && ru.Hostname() == u.Hostname() && ru.Path == u.Path && ru.RawQuery == u.RawQuery && isLoopbackHost(ru.Hostname()) {
			return true
		}
	}
	return false
}

func isLoopbackHost(h string) bool {
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}
