package sftest

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// tokenResponse is the token endpoint's success body. Salesforce sends no
// expires_in.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Signature    string `json:"signature"`
	Scope        string `json:"scope,omitempty"`
	InstanceURL  string `json:"instance_url"`
	ID           string `json:"id"`
	TokenType    string `json:"token_type"`
	IssuedAt     string `json:"issued_at"`
}

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeOAuthError(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, oauthError{Error: code, Description: desc})
}

// clientCredentials returns client_id and client_secret from the form or,
// as Salesforce also accepts, from HTTP Basic authentication.
func clientCredentials(r *http.Request) (id, secret string, hasSecret bool) {
	id = r.Form.Get("client_id")
	secret = r.Form.Get("client_secret")
	_, hasSecret = r.Form["client_secret"]
	if u, p, ok := r.BasicAuth(); ok && id == "" {
		if du, err := url.QueryUnescape(u); err == nil {
			u = du
		}
		if dp, err := url.QueryUnescape(p); err == nil {
			p = dp
		}
		id, secret, hasSecret = u, p, true
	}
	return id, secret, hasSecret
}

func secretOK(app *App, secret string, hasSecret bool) bool {
	if app.ClientSecret == "" {
		return true
	}
	return hasSecret && subtle.ConstantTimeCompare([]byte(secret), []byte(app.ClientSecret)) == 1
}

// handleToken serves POST /services/oauth2/token. Like Salesforce, it
// reads parameters from the urlencoded body or the query string.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, oauthInvalidRequest, descMustPost)
		return
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeOAuthError(w, oauthInvalidRequest, "request too large")
			return
		}
		writeOAuthError(w, oauthInvalidRequest, "malformed request body")
		return
	}
	switch r.Form.Get("grant_type") {
	case "password":
		s.passwordGrant(w, r)
	case "authorization_code":
		s.codeGrant(w, r)
	case "refresh_token":
		s.refreshGrant(w, r)
	default:
		writeOAuthError(w, oauthUnsupportedGrant, descGrantNotSupported)
	}
}

// appForTokenLocked resolves and authenticates the client. It writes the
// error and returns nil on failure.
func (s *Server) appForTokenLocked(w http.ResponseWriter, r *http.Request) *App {
	id, secret, hasSecret := clientCredentials(r)
	app := s.apps[id]
	if app == nil {
		writeOAuthError(w, oauthInvalidClientID, descClientIDInvalid)
		return nil
	}
	if !secretOK(app, secret, hasSecret) {
		writeOAuthError(w, oauthInvalidClient, descInvalidClientCreds)
		return nil
	}
	if s.refuseTokenLocked(w, r, app) {
		return nil
	}
	return app
}

// signature is base64(HMAC-SHA256(client secret, id + issued_at)), which
// lets a client check the response came from the server it registered
// with. Public clients (no secret) get a signature keyed with "".
func signature(app *App, id, issuedAt string) string {
	m := hmac.New(sha256.New, []byte(app.ClientSecret))
	m.Write([]byte(id + issuedAt))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) tokenResponseLocked(app *App, sess *session, refresh string) tokenResponse {
	id := s.identityURL(sess.user)
	issuedAt := strconv.FormatInt(sess.issued.UnixMilli(), 10)
	return tokenResponse{
		AccessToken:  sess.token,
		RefreshToken: refresh,
		Signature:    signature(app, id, issuedAt),
		Scope:        sess.scope,
		InstanceURL:  s.url,
		ID:           id,
		TokenType:    "Bearer",
		IssuedAt:     issuedAt,
	}
}

func (s *Server) identityURL(u *userState) string {
	return s.url + "/id/" + s.orgID + "/" + u.UserID
}

// passwordGrant is the OAuth 2.0 username-password flow.
func (s *Server) passwordGrant(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.appForTokenLocked(w, r)
	if app == nil {
		return
	}
	// A blocked flow (org setting since Summer '23, or an app that does not
	// allow it) is reported as a plain authentication failure; only Login
	// History tells the admin why.
	if s.cfg.UsernamePasswordFlowBlocked || !app.AllowPasswordFlow {
		s.recordLoginLocked(s.byName[strings.ToLower(r.Form.Get("username"))], r, LoginTypeOAuth, app.ClientID, StatusFlowDisabled)
		writeOAuthError(w, oauthInvalidGrant, descAuthFailure)
		return
	}
	out := s.authenticate(r.Form.Get("username"), r.Form.Get("password"))
	if !(out.code == "" && out.user.PasswordExpired) {
		s.recordLoginLocked(out.user, r, LoginTypeOAuth, app.ClientID, statusFor(out, tokenWrongLocked(out.user, r.Form.Get("password"))))
	}
	switch {
	case out.code == "" && out.user.PasswordExpired:
		writeOAuthError(w, oauthInvalidGrant, descAuthFailure)
		return
	case out.code == CodeInvalidLogin && out.credentialsOK && out.user.Inactive:
		writeOAuthError(w, oauthInactiveUser, descUserInactive)
		return
	case out.code != "":
		code, desc := oauthErrorFor(out.code)
		writeOAuthError(w, code, desc)
		return
	}
	sess := s.newSessionLocked(out.user, app.ClientID, "", "api")
	writeJSON(w, http.StatusOK, s.tokenResponseLocked(app, sess, ""))
}

// wantsRefresh reports whether a scope string yields a refresh token: no
// scope parameter (the app's default scopes) or an explicit refresh_token /
// offline_access scope.
func wantsRefresh(scope string) bool {
	if scope == "" {
		return true
	}
	f := strings.Fields(scope)
	return slices.Contains(f, "refresh_token") || slices.Contains(f, "offline_access")
}

// codeGrant is the web-server flow's code exchange, with PKCE.
func (s *Server) codeGrant(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.appForTokenLocked(w, r)
	if app == nil {
		return
	}
	c := s.codes[r.Form.Get("code")]
	switch {
	case c == nil || c.used || c.clientID != app.ClientID:
		writeOAuthError(w, oauthInvalidGrant, descInvalidCode)
		return
	case !s.now().Before(c.expires):
		delete(s.codes, c.code)
		writeOAuthError(w, oauthInvalidGrant, descExpiredCode)
		return
	case r.Form.Get("redirect_uri") != c.redirectURI:
		writeOAuthError(w, oauthRedirectMismatch, descRedirectMismatch)
		return
	}
	verifier := r.Form.Get("code_verifier")
	if c.challenge != "" || verifier != "" {
		sum := sha256.Sum256([]byte(verifier))
		if verifier == "" || c.challenge == "" ||
			base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			// A wrong verifier burns the code, as a stolen code must not
			// be retried.
			c.used = true
			writeOAuthError(w, oauthInvalidGrant, descInvalidVerifier)
			return
		}
	}
	c.used = true
	scope := c.scope
	if scope == "" {
		scope = "api refresh_token"
	}
	refresh := ""
	if wantsRefresh(c.scope) {
		refresh = s.newRefreshLocked(c.user, app.ClientID, scope).token
		s.enforcePairLimitLocked(c.user, app.ClientID)
	}
	sess := s.newSessionLocked(c.user, app.ClientID, refresh, scope)
	s.recordLoginLocked(c.user, r, LoginTypeOAuth, app.ClientID, StatusSuccess)
	writeJSON(w, http.StatusOK, s.tokenResponseLocked(app, sess, refresh))
}

// refreshGrant is the refresh-token flow.
func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.appForTokenLocked(w, r)
	if app == nil {
		return
	}
	g := s.refresh[r.Form.Get("refresh_token")]
	if g == nil || g.clientID != app.ClientID || s.idleExpiredLocked(g) {
		writeOAuthError(w, oauthInvalidGrant, descExpiredToken)
		return
	}
	g.lastUsed = s.now()
	if g.user.Inactive {
		writeOAuthError(w, oauthInactiveUser, descUserInactive)
		return
	}
	refresh, newRefresh := g.token, ""
	if app.RotateRefreshTokens {
		delete(s.refresh, g.token)
		ng := s.newRefreshLocked(g.user, g.clientID, g.scope)
		ng.seq = g.seq // the same pair, renewed
		// Sessions of the old token now belong to the new one, so
		// revoking the current refresh token still ends them.
		for _, sess := range s.sessions {
			if sess.refreshToken == g.token {
				sess.refreshToken = ng.token
			}
		}
		refresh, newRefresh = ng.token, ng.token
	}
	sess := s.newSessionLocked(g.user, app.ClientID, refresh, g.scope)
	s.recordLoginLocked(g.user, r, LoginTypeOAuth, app.ClientID, StatusSuccess)
	writeJSON(w, http.StatusOK, s.tokenResponseLocked(app, sess, newRefresh))
}

// handleRevoke serves /services/oauth2/revoke (POST form or GET query
// token=...). Revoking a refresh token also ends the sessions obtained
// with it; revoking an access token ends that session.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		writeOAuthError(w, oauthInvalidRequest, descMustPost)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, oauthInvalidRequest, "malformed request body")
		return
	}
	tok := r.Form.Get("token")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.refresh[tok] != nil:
		s.revokeRefreshLocked(tok)
	case s.sessions[tok] != nil:
		delete(s.sessions, tok)
	default:
		writeOAuthError(w, oauthUnsupportedTokType, descTokenTypeUnsupp)
		return
	}
	w.WriteHeader(http.StatusOK)
}
