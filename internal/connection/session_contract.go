package connection

import (
	"context"
	"fmt"

	"github.com/advologix/advologix-connect/sfclient"
)

// describeSession adds to a session what a client needs to use it without
// guessing: the identity URL, the token type and the API version to call.
// The version comes from the org's version list (one request without
// credentials); when that cannot be read the session still goes out, with
// sfclient.DefaultAPIVersion, which every org serves, and a warning.
func describeSession(ctx context.Context, c *sfclient.Checker, g sfclient.Grant, out *SessionOutcome) {
	out.Session.IdentityURL = c.IdentityURL(g)
	out.Session.TokenType = "Bearer"
	v, err := c.APIVersion(ctx, g.InstanceURL)
	if err != nil {
		v = sfclient.DefaultAPIVersion
		out.warn(fmt.Sprintf("api_version %s: %v", v, err))
	}
	out.Session.APIVersion = v
}
