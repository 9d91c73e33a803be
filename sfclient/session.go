package sfclient

import (
	"context"
	"strconv"
	"time"

	"golang.org/x/oauth2"
)

// Grant is a live Salesforce session handed out by Login: for a SOAP login
// the session id, for OAuth the access token, with where and for whom it
// works. Session's String form hides the token; a Grant is never stored.
type Grant struct {
	Session
	// IssuedAt is when Salesforce issued the session: OAuth's issued_at,
	// or for SOAP the time its answer arrived.
	IssuedAt time.Time
	// ExpiresAt is IssuedAt plus SOAP's sessionSecondsValid; zero when
	// Salesforce does not say (OAuth). Salesforce extends a session that
	// is in use, so this is the latest the session is sure to work if idle.
	ExpiresAt time.Time
}

// String hides the token.
func (g Grant) String() string { return "Grant{" + g.Session.String() + "}" }

// GoString is String.
func (g Grant) GoString() string { return g.String() }

// grantSink receives the session of a successful login; see Login.
type grantSink struct{ g *Grant }

type grantSinkKey struct{}

// Login makes one login attempt with cr, exactly like Check (the same
// single request, the same Result), and also hands out the session it
// opened: the SOAP session id, or for OAuth the verified access token. A
// failed login — including PASSWORD_EXPIRED, whose session cannot work —
// gives no Grant. The Result never holds the token.
func (c *Checker) Login(ctx context.Context, cr Credentials) (Grant, Result) {
	var g Grant
	r := c.Check(context.WithValue(ctx, grantSinkKey{}, grantSink{&g}), cr)
	if !r.OK || g.AccessToken == "" {
		return Grant{}, r
	}
	return g, r
}

// handOver gives a successful login's session to Login's sink, if the
// attempt runs under Login.
func handOver(ctx context.Context, r Result, token string, issued time.Time, validSeconds int) {
	sink, ok := ctx.Value(grantSinkKey{}).(grantSink)
	if !ok || !r.OK || token == "" {
		return
	}
	g := Grant{Session: Session{AccessToken: token, InstanceURL: r.InstanceURL, UserID: r.UserID, OrgID: r.OrganizationID}, IssuedAt: issued.UTC()}
	if validSeconds > 0 {
		g.ExpiresAt = g.IssuedAt.Add(time.Duration(validSeconds) * time.Second)
	}
	*sink.g = g
}

// issuedAt reads OAuth's issued_at (milliseconds since 1970) from a token
// answer, else now.
func issuedAt(tok *oauth2.Token) time.Time {
	if s, ok := tok.Extra("issued_at").(string); ok {
		if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 0 {
			return time.UnixMilli(ms)
		}
	}
	return time.Now()
}
