package connection

import (
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
	// IdentityURL is the identity service's URL of the user
	// (https://login…/id/ORGID/USERID).
	IdentityURL string
	// TokenType is how the token is sent: "Bearer".
	TokenType string
	// APIVersion is the REST API version to call ("66.0"): the newest the
	// org serves that this app knows (sfclient.NewestAPIVersion).
	APIVersion string
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

func firstSet(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// refusedGrant is the outcome of a login that worked but whose session
// the app will not hand out (sfclient.VerifyGrant): no token, the code
// INSTANCE_REFUSED (or UNEXPECTED_RESPONSE for an id that is not one).
func refusedGrant(p credstore.Profile, res sfclient.Result, err error) Outcome {
	o := Failed(p, err)
	o.Result = res
	return o
}
