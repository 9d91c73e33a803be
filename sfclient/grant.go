package sfclient

import (
	"fmt"
)

// CodeInstanceRefused: a login worked, but Salesforce's answer named an
// instance URL the app would not send a token to itself (instanceAllowed),
// so the session is not handed out.
const CodeInstanceRefused Code = "INSTANCE_REFUSED"

// GrantError is a session the app will not hand out: its instance URL is
// not one the app sends tokens to, or its user or organization id is not
// a Salesforce id. It never holds the token.
type GrantError struct {
	Code   Code   // CodeInstanceRefused or CodeUnexpectedResponse
	Field  string // "instance_url", "user_id", "organization_id"
	Value  string // the refused value, cleaned for display
	Reason string
}

func (e *GrantError) Error() string {
	return fmt.Sprintf("the session's %s %q %s", e.Field, e.Value, e.Reason)
}

// VerifyGrant checks a session before it leaves the app: the instance URL
// must pass the rule the app applies before sending a token itself (the
// login host, or a Salesforce domain over https; plain http only when it
// is the loopback login host itself), the user id must be a Salesforce id
// of a user (005…) and the organization id one of an organization (00D…).
func (c *Checker) VerifyGrant(g Grant) error {
	if !c.instanceAllowed(g.InstanceURL) {
		return &GrantError{Code: CodeInstanceRefused, Field: "instance_url", Value: printable(g.InstanceURL, 200),
			Reason: fmt.Sprintf("is neither the login host %s nor a Salesforce domain over https", c.login.URL)}
	}
	for _, id := range []struct{ field, value, prefix, what string }{
		{"user_id", g.UserID, "005", "a user"}, {"organization_id", g.OrgID, "00D", "an organization"},
	} {
		if !IsSalesforceID(id.value, id.prefix) {
			return &GrantError{Code: CodeUnexpectedResponse, Field: id.field, Value: printable(id.value, 40),
				Reason: fmt.Sprintf("is not the Salesforce id of %s (15 or 18 letters and digits starting %s)", id.what, id.prefix)}
		}
	}
	return nil
}

// IsSalesforceID reports whether id is a 15- or 18-character Salesforce id
// whose key prefix is prefix ("005" users, "00D" organizations).
func IsSalesforceID(id, prefix string) bool {
	return validID(id) && len(id) > len(prefix) && id[:len(prefix)] == prefix
}
