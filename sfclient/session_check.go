package sfclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// SessionCheck is the answer to CheckSession.
type SessionCheck int

// The answers of CheckSession.
const (
	SessionWorks   SessionCheck = iota // the REST API accepted it
	SessionExpired                     // 401 (INVALID_SESSION_ID): log in again / refresh
	SessionUnknown                     // no usable answer: see the Result
)

// CheckSession asks whether a session (an OAuth access token or a SOAP
// session id) still works, with the cheapest call the REST API has: one
// GET of the version's resource list on instanceURL. It sends the token
// only where Login would (the login host, or a Salesforce domain over
// https). SessionExpired means Salesforce refused the session (HTTP 401);
// SessionUnknown comes with the Result of the failure (offline, 5xx, an
// instance the app does not send tokens to).
func (c *Checker) CheckSession(ctx context.Context, instanceURL, token string) (SessionCheck, Result) {
	if token == "" {
		return SessionExpired, Result{Code: CodeInvalidSessionID, Message: "no session"}
	}
	if !c.instanceAllowed(instanceURL) {
		return SessionUnknown, Result{Code: CodeInstanceRefused,
			Message: fmt.Sprintf("the instance %q is neither the login host %s nor a Salesforce domain over https", printable(instanceURL, 200), c.login.URL)}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	_, err := c.bearerGET(ctx, fmt.Sprintf("%s/services/data/v%s/", instanceURL, c.apiVersion), token)
	var se *httpStatusError
	switch {
	case err == nil:
		return SessionWorks, Result{OK: true, InstanceURL: instanceURL}
	case errors.As(err, &se) && se.Status == http.StatusUnauthorized:
		r := Result{Code: CodeInvalidSessionID, Message: "Session expired or invalid"}
		if se.Message != "" {
			r.Message = se.Message
		}
		return SessionExpired, r
	}
	r := c.restFailure(err, "the REST API")
	c.finishResult(&r)
	return SessionUnknown, r
}
