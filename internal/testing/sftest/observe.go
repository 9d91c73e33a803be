package sftest

// This file holds what tests use to drive and observe the emulator from
// outside: a clock they move, the grants it answered, whether a bearer
// token opens its REST API.

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"
)

// Clock is a clock a test moves forward, for SetClock: sessions and
// refresh tokens expire on it, not on the wall clock. The zero Clock is
// the wall clock; it is safe for concurrent use.
type Clock struct{ offset atomic.Int64 }

// Now is the wall clock plus every Move so far.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Move moves the clock forward by d.
func (c *Clock) Move(d time.Duration) { c.offset.Add(int64(d)) }

// SessionLifetime is how long a session lasts unless
// Config.SessionLifetime says otherwise.
const SessionLifetime = sessionLifetime

// Grants counts the logged token requests of grant type grantType
// ("refresh_token", "password", "authorization_code").
func (s *Server) Grants(grantType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.log {
		if r.GrantType == grantType {
			n++
		}
	}
	return n
}

// QueryStatus is the HTTP status of a REST query of the organization
// with token as the bearer, at instance (a session's instance URL): 200
// when the token opens the REST API. It is logged as any request.
func (s *Server) QueryStatus(instance, token string) (int, error) {
	q := url.Values{"q": {"SELECT Name FROM Organization"}}
	req, err := http.NewRequest(http.MethodGet, instance+"/services/data/v64.0/query?"+q.Encode(), nil)
	if err != nil {
		return 0, fmt.Errorf("REST query at %q: %w", instance, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("REST query: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}
