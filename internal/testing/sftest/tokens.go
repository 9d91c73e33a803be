package sftest

import (
	"net/http"
	"strings"
	"time"
)

// sessionLifetime is Salesforce's default session timeout (two hours),
// also reported as userInfo/sessionSecondsValid.
const sessionLifetime = 2 * time.Hour

// authCodeLifetime is how long an authorization code stays valid
// (Salesforce: 15 minutes).
const authCodeLifetime = 15 * time.Minute

// session is an access token / SOAP session ID; both are interchangeable
// Bearer tokens, as in Salesforce.
type session struct {
	token           string
	user            *userState
	clientID        string // "" for SOAP sessions
	refreshToken    string // the refresh token it came from / came with
	issued          time.Time
	passwordExpired bool
	scope           string
}

// refreshGrant is a refresh token.
type refreshGrant struct {
	token    string
	user     *userState
	clientID string
	scope    string
	// seq orders the authorizations (a rotated token keeps its pair's);
	// lastUsed is when it was issued or last spent (idle lifetime).
	seq      uint64
	lastUsed time.Time
}

// authCode is an authorization code from the authorize endpoint.
type authCode struct {
	code        string
	user        *userState
	clientID    string
	redirectURI string
	challenge   string
	scope       string
	expires     time.Time
	used        bool
}

// newSessionLocked issues a session ID shaped like Salesforce's:
// the 15-character org ID, "!", then an opaque string starting "AQ".
func (s *Server) newSessionLocked(u *userState, clientID, refresh, scope string) *session {
	sess := &session{
		token:        id15(s.orgID) + "!AQ" + randomString(94, sessionChars),
		user:         u,
		clientID:     clientID,
		refreshToken: refresh,
		issued:       s.now(),
		scope:        scope,
	}
	s.sessions[sess.token] = sess
	return sess
}

// newRefreshLocked issues a refresh token shaped like Salesforce's
// ("5Aep861" followed by an opaque string).
func (s *Server) newRefreshLocked(u *userState, clientID, scope string) *refreshGrant {
	s.pairSeq++
	g := &refreshGrant{
		token:    "5Aep861" + randomString(80, sessionChars),
		user:     u,
		clientID: clientID,
		scope:    scope,
		seq:      s.pairSeq,
		lastUsed: s.now(),
	}
	s.refresh[g.token] = g
	return g
}

// lookupSessionLocked returns the live session for token, or nil. Expired
// sessions are dropped.
func (s *Server) lookupSessionLocked(token string) *session {
	sess := s.sessions[token]
	if sess == nil {
		return nil
	}
	if s.now().Sub(sess.issued) >= s.sessionLifetimeLocked() {
		delete(s.sessions, token)
		return nil
	}
	return sess
}

// bearerToken extracts the token from "Authorization: Bearer x" (or the
// "OAuth x" scheme Salesforce also accepts). With allowQuery, the
// access_token and oauth_token query parameters count too (identity and
// userinfo endpoints).
func bearerToken(r *http.Request, allowQuery bool) string {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if scheme, tok, ok := strings.Cut(h, " "); ok {
		if strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "OAuth") {
			return strings.TrimSpace(tok)
		}
	}
	if allowQuery {
		q := r.URL.Query()
		if t := q.Get("oauth_token"); t != "" {
			return t
		}
		return q.Get("access_token")
	}
	return ""
}

// InvalidateSessions ends every session (SOAP session IDs and OAuth access
// tokens) of the user, as if they expired; refresh tokens stay valid.
func (s *Server) InvalidateSessions(username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok, sess := range s.sessions {
		if strings.EqualFold(sess.user.Username, username) {
			delete(s.sessions, tok)
		}
	}
}

// RevokeRefreshTokens revokes every refresh token of the user, and the
// access tokens obtained from them, as revoking the app's OAuth tokens in
// Setup does.
func (s *Server) RevokeRefreshTokens(username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok, g := range s.refresh {
		if strings.EqualFold(g.user.Username, username) {
			s.revokeRefreshLocked(tok)
		}
	}
}

func (s *Server) revokeRefreshLocked(token string) {
	delete(s.refresh, token)
	for t, sess := range s.sessions {
		if sess.refreshToken == token {
			delete(s.sessions, t)
		}
	}
}
