package connection

// This file holds the one path by which every program of the app — each
// `advologix-connect session`, the tray's watch, a window's check — gets a
// working session of a saved profile, so that a refresh token is spent once
// per expiry however many ask at once:
//
//  1. read the cached session from the keychain; if the REST API still
//     takes it (one GET), hand it out;
//  2. else take the profile's lock (a file lock shared by every process),
//     read the keychain again: a session another process opened meanwhile is
//     handed out;
//  3. else log in once — a refresh-token grant, or SOAP login() for a
//     password profile — write the rotated refresh token and the new session
//     to the keychain, and only then release the lock;
//  4. if Salesforce refused the refresh token and the keychain holds another
//     one (a program outside the lock won the race), try that one, once.
//
// A password profile's session id is cached the same way: each SOAP login
// counts (Login History, the org's API login limits, and a wrong password
// towards the lockout), so a program asking every minute must not log in
// every minute.

import (
	"context"
	"errors"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// CodeProfileBusy: another program held the profile's lock (renewing its
// session) for longer than the wait allows.
const CodeProfileBusy Code = "PROFILE_BUSY"

// SessionCache is what the shared session path needs from the store
// beyond Store: the cached session in the keychain and the profile's lock.
// credstore.Store has it; a Store without it logs in on every call.
type SessionCache interface {
	CachedSession(ctx context.Context, name string) (credstore.CachedSession, bool, error)
	SaveCachedSession(ctx context.Context, name string, c credstore.CachedSession) error
	LockProfile(ctx context.Context, name string) (unlock func(), err error)
}

// verifiedFresh: a session another process saw work this recently is
// handed out without asking Salesforce again (it was just opened, under
// the lock this process waited for).
const verifiedFresh = 30 * time.Second

// sessionCache returns the store's SessionCache, if it has one.
func (s *Service) sessionCache() (SessionCache, bool) {
	sc, ok := s.Store.(SessionCache)
	return sc, ok
}

// sharedSession is Session through the cache and the lock.
func (s *Service) sharedSession(ctx context.Context, p credstore.Profile, sc SessionCache) SessionOutcome {
	c, err := sfclient.New(Config(p, s.timeout()))
	if err != nil {
		return SessionOutcome{Outcome: Failed(p, err)}
	}
	var seen string // the cached token this process saw refused
	if cs, ok := readCache(ctx, sc, p); ok {
		switch state, res := c.CheckSession(ctx, cs.InstanceURL, cs.AccessToken); state {
		case sfclient.SessionWorks:
			return cachedOutcome(ctx, c, p, cs)
		case sfclient.SessionUnknown:
			return SessionOutcome{Outcome: checked(p, res)}
		}
		seen = cs.AccessToken
	}
	unlock, err := sc.LockProfile(ctx, p.Name)
	if err != nil {
		return SessionOutcome{Outcome: busyOutcome(p, err)}
	}
	defer unlock()
	if cs, ok := readCache(ctx, sc, p); ok && cs.AccessToken != seen {
		if time.Since(cs.VerifiedAt) >= 0 && time.Since(cs.VerifiedAt) < verifiedFresh {
			return cachedOutcome(ctx, c, p, cs)
		}
		switch state, res := c.CheckSession(ctx, cs.InstanceURL, cs.AccessToken); state {
		case sfclient.SessionWorks:
			return cachedOutcome(ctx, c, p, cs)
		case sfclient.SessionUnknown:
			return SessionOutcome{Outcome: checked(p, res)}
		}
	}
	out := s.loginLocked(ctx, p, c, sc)
	s.recordVerdict(context.WithoutCancel(ctx), out.Outcome)
	return out
}

// readCache reads p's cached session; one from another generation of the
// profile (signed in again since) or unreadable is none.
func readCache(ctx context.Context, sc SessionCache, p credstore.Profile) (credstore.CachedSession, bool) {
	cs, ok, err := sc.CachedSession(ctx, p.Name)
	if err != nil || !ok || cs.Generation != p.Generation || cs.AccessToken == "" {
		return credstore.CachedSession{}, false
	}
	return cs, true
}

// cachedOutcome hands out a cached session that works, described as a
// new one is (the API version kept with it; asked again only for a
// session an older version cached without one).
func cachedOutcome(ctx context.Context, c *sfclient.Checker, p credstore.Profile, cs credstore.CachedSession) SessionOutcome {
	out := SessionOutcome{
		Outcome: Outcome{Profile: p, Headline: "Session handed out"},
		Session: Session{
			AccessToken: cs.AccessToken, InstanceURL: cs.InstanceURL, OrganizationID: cs.OrganizationID,
			UserID: cs.UserID, Username: cs.Username, IssuedAt: cs.IssuedAt, ExpiresAt: cs.ExpiresAt,
		},
	}
	var g sfclient.Grant
	g.InstanceURL, g.OrgID, g.UserID = cs.InstanceURL, cs.OrganizationID, cs.UserID
	if cs.APIVersion == "" {
		describeSession(ctx, c, g, &out)
		return out
	}
	out.Session.IdentityURL, out.Session.TokenType, out.Session.APIVersion = c.IdentityURL(g), "Bearer", cs.APIVersion
	return out
}

// busyOutcome is the outcome of a lock that could not be taken.
func busyOutcome(p credstore.Profile, err error) Outcome {
	o := Failed(p, err)
	var be *credstore.ProfileBusyError
	if errors.As(err, &be) {
		o.Code, o.Headline = CodeProfileBusy, "Another program is renewing this profile's session"
	}
	return o
}

// loginLocked logs in once with p's saved secrets, holding p's lock: the
// rotated refresh token and the session reach the keychain before the
// lock is released.
func (s *Service) loginLocked(ctx context.Context, p credstore.Profile, c *sfclient.Checker, sc SessionCache) SessionOutcome {
	sec, err := s.Store.Secrets(ctx, p.Name)
	if err != nil {
		if errors.Is(err, credstore.ErrNotFound) {
			err = &MissingError{Profile: p.Name, Err: err}
		}
		return SessionOutcome{Outcome: Failed(p, err)}
	}
	if o, ok := refusedBefore(ctx, sc, p, sec.RefreshToken); ok {
		return SessionOutcome{Outcome: o}
	}
	sent := sec.RefreshToken
	g, res, saveErr := s.loginOnce(ctx, p, c, sec)
	if !res.OK && refreshRefused(res.Code) && sec.RefreshToken != "" {
		// A program that did not take the lock (an older version)
		// may have spent the token and saved its successor: that one,
		// once. The same token is never sent twice.
		if again, err := s.Store.Secrets(ctx, p.Name); err == nil && again.RefreshToken != "" && again.RefreshToken != sec.RefreshToken {
			sent = again.RefreshToken
			g, res, saveErr = s.loginOnce(ctx, p, c, again)
		}
	}
	out := s.grantOutcome(ctx, p, c, g, res, saveErr)
	if !out.OK() {
		recordRefusal(context.WithoutCancel(ctx), sc, p, sent, out.Outcome)
		return out
	}
	cs := credstore.CachedSession{
		AccessToken: out.Session.AccessToken, InstanceURL: out.Session.InstanceURL,
		OrganizationID: out.Session.OrganizationID, UserID: out.Session.UserID, Username: out.Session.Username,
		IssuedAt: out.Session.IssuedAt, ExpiresAt: out.Session.ExpiresAt, VerifiedAt: time.Now().UTC(), Generation: p.Generation,
		APIVersion: out.Session.APIVersion,
	}
	if err := sc.SaveCachedSession(context.WithoutCancel(ctx), p.Name, cs); err != nil {
		out.warn("keep the session in the keychain for the next program: " + err.Error())
	}
	return out
}

// loginOnce is one login with sec; a refresh token Salesforce rotates is
// saved at once, even when ctx is cancelled meanwhile (the old one is dead).
func (s *Service) loginOnce(ctx context.Context, p credstore.Profile, c *sfclient.Checker, sec credstore.Secrets) (sfclient.Grant, sfclient.Result, error) {
	cr := Credentials(p, sec)
	var saveErr error
	cr.OnRefreshTokenRotated = func(tok string) {
		s.Scrub.Add(tok)
		saveErr = s.Store.UpdateSecret(context.WithoutCancel(ctx), p.Name, credstore.KindRefreshToken, tok)
	}
	g, res := c.Login(ctx, cr)
	return g, res, saveErr
}

// grantOutcome is the SessionOutcome of a login's answer: Service.Session's
// rules (no token, a refused instance or id: nothing handed out).
func (s *Service) grantOutcome(ctx context.Context, p credstore.Profile, c *sfclient.Checker, g sfclient.Grant, res sfclient.Result, saveErr error) SessionOutcome {
	out := SessionOutcome{Outcome: checked(p, res)}
	noteAround(&out.Outcome, p, saveErr)
	if !out.OK() {
		return out
	}
	if g.AccessToken == "" {
		out.Code, out.Headline = sfclient.CodeUnexpectedResponse, "Salesforce answered without a session"
		out.Hint = "Test the profile; if it works, try again in a minute."
		return out
	}
	g.OrgID, g.UserID = firstSet(res.OrganizationID, g.OrgID), firstSet(res.UserID, g.UserID)
	if err := c.VerifyGrant(g); err != nil {
		return SessionOutcome{Outcome: refusedGrant(p, res, err)}
	}
	out.Session = Session{
		AccessToken: g.AccessToken, InstanceURL: g.InstanceURL, OrganizationID: g.OrgID, UserID: g.UserID,
		Username: res.Username, IssuedAt: g.IssuedAt, ExpiresAt: g.ExpiresAt,
	}
	describeSession(ctx, c, g, &out)
	return out
}

// checkShared tests browser profile p as CheckProfile does — one
// refresh-token grant, its token proven with userinfo — on the shared
// path: under p's lock, so that it never spends a refresh token another
// program is spending, and keeping the session it opened for the next
// program that asks.
func (s *Service) checkShared(ctx context.Context, p credstore.Profile, sc SessionCache) Outcome {
	c, err := sfclient.New(Config(p, s.timeout()))
	if err != nil {
		return Failed(p, err)
	}
	unlock, err := sc.LockProfile(ctx, p.Name)
	if err != nil {
		return busyOutcome(p, err)
	}
	defer unlock()
	return s.loginLocked(ctx, p, c, sc).Outcome
}

// refreshRefused: the codes of Salesforce refusing a refresh token (the
// second is how sfclient names "expired access/refresh token", which is
// also what a token another program already rotated away gets).
func refreshRefused(c sfclient.Code) bool {
	return c == sfclient.CodeOAuthInvalidGrant || c == sfclient.CodeOAuthRefreshTokenExpired
}
