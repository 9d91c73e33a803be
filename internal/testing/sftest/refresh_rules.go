package sftest

// This file holds the rules Salesforce applies to the refresh tokens of an
// app used by many orgs (External Client Apps, partner connected apps):
//
//   - rotation (App.RotateRefreshTokens): each refresh grant answers a new
//     refresh token and the one spent stops working at once;
//   - an idle lifetime (Config.RefreshTokenIdle, default 30 days): a
//     refresh token not used for that long is refused with invalid_grant
//     "expired access/refresh token", measured on the emulator's clock
//     (Config.Now, SetClock);
//   - at most Config.MaxTokenPairs (default 5) refresh tokens per user per
//     app: a further authorization silently revokes the oldest one, and the
//     sessions opened with it;
//   - a session expires Config.SessionLifetime after it was issued; REST
//     then answers 401 [{"errorCode":"INVALID_SESSION_ID",…}] (rest.go).
//
// Tests revoke one refresh token with RevokeRefreshToken (Setup > Connected
// Apps OAuth Usage, or the user's "Revoke" in their settings) or all of a
// user's with RevokeRefreshTokens.

import (
	"slices"
	"strings"
	"time"
)

// Defaults of the refresh-token rules.
const (
	DefaultRefreshTokenIdle = 30 * 24 * time.Hour
	DefaultMaxTokenPairs    = 5
)

func (s *Server) sessionLifetimeLocked() time.Duration {
	if s.cfg.SessionLifetime > 0 {
		return s.cfg.SessionLifetime
	}
	return sessionLifetime
}

// idleExpiredLocked reports whether g has been idle for longer than the
// idle lifetime; an expired token is revoked (it never comes back).
func (s *Server) idleExpiredLocked(g *refreshGrant) bool {
	idle := s.cfg.RefreshTokenIdle
	if idle == 0 {
		idle = DefaultRefreshTokenIdle
	}
	if idle < 0 || s.now().Sub(g.lastUsed) < idle {
		return false
	}
	s.revokeRefreshLocked(g.token)
	return true
}

// enforcePairLimitLocked revokes the oldest refresh tokens of u for
// clientID beyond MaxTokenPairs, silently, as Salesforce does.
func (s *Server) enforcePairLimitLocked(u *userState, clientID string) {
	limit := s.cfg.MaxTokenPairs
	if limit <= 0 {
		limit = DefaultMaxTokenPairs
	}
	var mine []*refreshGrant
	for _, g := range s.refresh {
		if g.user == u && g.clientID == clientID {
			mine = append(mine, g)
		}
	}
	slices.SortFunc(mine, func(a, b *refreshGrant) int { return int(a.seq) - int(b.seq) })
	for len(mine) > limit {
		s.revokeRefreshLocked(mine[0].token)
		mine = mine[1:]
	}
}

// RevokeRefreshToken revokes one refresh token and the sessions opened
// with it, as an admin's or the user's "Revoke" does; false when it was
// not a live refresh token.
func (s *Server) RevokeRefreshToken(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refresh[token] == nil {
		return false
	}
	s.revokeRefreshLocked(token)
	return true
}

// RefreshTokens returns how many live refresh tokens username holds for
// clientID (the token pairs of Setup's OAuth Usage page).
func (s *Server) RefreshTokens(username, clientID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, g := range s.refresh {
		if g.clientID == clientID && strings.EqualFold(g.user.Username, username) {
			n++
		}
	}
	return n
}

// SetSessionLifetime changes Config.SessionLifetime (0: the default).
func (s *Server) SetSessionLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.SessionLifetime = d
}

// SetRefreshTokenIdle changes Config.RefreshTokenIdle (0: the default).
func (s *Server) SetRefreshTokenIdle(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.RefreshTokenIdle = d
}
