package sftest

import (
	"testing"
	"time"
)

// TestObserve: Grants counts the token requests by grant type, QueryStatus
// says whether a token opens the REST API, and a Clock moved past
// SessionLifetime ends the session.
func TestObserve(t *testing.T) {
	var clock Clock
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice, Now: clock.Now})
	rt, _ := signIn(t, s, rotatingID)
	s.ResetRequests()
	status, m := refresh(t, s, rotatingID, "", rt)
	if status != 200 {
		t.Fatalf("refresh: %d %v", status, m)
	}
	if n, p := s.Grants("refresh_token"), s.Grants("password"); n != 1 || p != 0 {
		t.Errorf("Grants: %d refresh, %d password; want 1, 0", n, p)
	}
	at := m["access_token"].(string)
	tests := []struct {
		name  string
		move  time.Duration
		token string
		want  int
	}{
		{"a fresh session", 0, at, 200},
		{"no such token", 0, "00Dnope", 401},
		{"just before expiry", SessionLifetime - time.Second, at, 200},
		{"expired", time.Second, at, 401},
	}
	for _, tc := range tests {
		clock.Move(tc.move)
		if got, err := s.QueryStatus(m["instance_url"].(string), tc.token); err != nil || got != tc.want {
			t.Errorf("%s: QueryStatus = %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
}
