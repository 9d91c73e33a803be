package connection

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// Session is a fresh Salesforce session for another program (an add-in, an
// admin's script): what `advologix-connect session` prints. AccessToken is
// a bearer token — whoever holds it acts as the user until it expires — so
// Session's String form hides it and nothing here stores it.
type Session struct {
	AccessToken    string
	InstanceURL    string
	OrganizationID string
	UserID         string
	Username       string
	IssuedAt       time.Time
	// ExpiresAt is zero when Salesforce does not say (OAuth).
	ExpiresAt time.Time
}

// String hides the token.
func (s Session) String() string {
	tok := "none"
	if s.AccessToken != "" {
		tok = "set"
	}
	return fmt.Sprintf("Session{%s %s org %s, access token %s}", s.InstanceURL, s.Username, s.OrganizationID, tok)
}

// GoString is String.
func (s Session) GoString() string { return s.String() }

// SessionOutcome is what OpenSession did: the session, or, when the login
// failed, the check's Result (the same one CheckSaved gives). Err is set
// when no login could be attempted (keychain, missing secrets, unusable
// profile); Warning when the login worked but something around it did not
// (a rotated refresh token that could not be saved).
type SessionOutcome struct {
	Session Session
	Result  sfclient.Result
	Err     error
	Warning error
}

// OK reports whether a session is handed out.
func (o SessionOutcome) OK() bool { return o.Err == nil && o.Result.OK && o.Session.AccessToken != "" }

// OpenSession logs in once with saved profile p — SOAP login() for a
// password profile (its session id), or a refresh-token grant for a
// browser profile (its access token) — and hands out the session. It is
// CheckSaved's single attempt with the session kept: a refresh token that
// Salesforce rotates replaces the saved one, and a login answering
// PASSWORD_EXPIRED hands out nothing.
func OpenSession(ctx context.Context, st Store, p credstore.Profile, timeout time.Duration) SessionOutcome {
	sec, err := st.Secrets(ctx, p.Name)
	if err != nil {
		if errors.Is(err, credstore.ErrNotFound) {
			err = &MissingError{Profile: p.Name, Err: err}
		}
		return SessionOutcome{Err: err}
	}
	c, err := sfclient.New(Config(p, timeout))
	if err != nil {
		return SessionOutcome{Err: err}
	}
	cr := Credentials(p, sec)
	var saveErr error
	cr.OnRefreshTokenRotated = func(tok string) {
		saveErr = st.UpdateSecret(ctx, p.Name, credstore.KindRefreshToken, tok)
	}
	g, res := c.Login(ctx, cr)
	out := SessionOutcome{Result: res}
	if saveErr != nil {
		out.Warning = fmt.Errorf("save the refresh token Salesforce rotated: %w", saveErr)
	}
	if !res.OK || g.AccessToken == "" {
		return out
	}
	out.Session = Session{
		AccessToken:    g.AccessToken,
		InstanceURL:    g.InstanceURL,
		OrganizationID: firstSet(res.OrganizationID, g.OrgID),
		UserID:         firstSet(res.UserID, g.UserID),
		Username:       res.Username,
		IssuedAt:       g.IssuedAt,
		ExpiresAt:      g.ExpiresAt,
	}
	return out
}

func firstSet(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
