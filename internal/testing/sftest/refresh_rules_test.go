package sftest

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// movableClock is a clock tests move forward.
type movableClock struct{ ns atomic.Int64 }

func newMovableClock() *movableClock {
	c := &movableClock{}
	c.ns.Store(time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *movableClock) now() time.Time       { return time.Unix(0, c.ns.Load()).UTC() }
func (c *movableClock) move(d time.Duration) { c.ns.Add(int64(d)) }
func signIn(t *testing.T, s *Server, id string) (refresh, access string) {
	t.Helper()
	status, m := exchange(t, s, id, authCodeFor(t, s, id, "", ""), "", callbackURL)
	if status != 200 {
		t.Fatalf("sign-in: %d %v", status, m)
	}
	return m["refresh_token"].(string), m["access_token"].(string)
}

func isExpiredGrant(status int, m map[string]any) bool {
	return status == 400 && m["error"] == "invalid_grant" && m["error_description"] == "expired access/refresh token"
}

// TestRotationInvalidatesTheSpentToken: a rotated refresh token is dead at
// once, its successor works, and spending the dead one again does not
// hurt the successor.
func TestRotationInvalidatesTheSpentToken(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice})
	first, _ := signIn(t, s, rotatingID)
	status, m := refresh(t, s, rotatingID, "", first)
	second, _ := m["refresh_token"].(string)
	if status != 200 || second == "" || second == first {
		t.Fatalf("rotation: %d %v", status, m)
	}
	if status, m := refresh(t, s, rotatingID, "", first); !isExpiredGrant(status, m) {
		t.Errorf("spent token again: %d %v", status, m)
	}
	if status, m := refresh(t, s, rotatingID, "", second); status != 200 {
		t.Errorf("successor after a replay of its predecessor: %d %v", status, m)
	}
	if n := s.RefreshTokens(alice, rotatingID); n != 1 {
		t.Errorf("%d live refresh tokens, want 1 (rotation renews the pair)", n)
	}
}

// TestFiveTokenPairs: the sixth authorization silently revokes the oldest
// refresh token (and its session); rotation does not count as one.
func TestFiveTokenPairs(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		want  int
	}{
		{"Salesforce's default", 0, DefaultMaxTokenPairs},
		{"configured", 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice, MaxTokenPairs: tc.limit})
			var rts, ats []string
			for range tc.want {
				rt, at := signIn(t, s, rotatingID)
				rts, ats = append(rts, rt), append(ats, at)
			}
			// Renewing the oldest keeps it the oldest pair.
			_, m := refresh(t, s, rotatingID, "", rts[0])
			rts[0] = m["refresh_token"].(string)
			if n := s.RefreshTokens(alice, rotatingID); n != tc.want {
				t.Fatalf("%d pairs before the limit, want %d", n, tc.want)
			}
			signIn(t, s, rotatingID)
			if n := s.RefreshTokens(alice, rotatingID); n != tc.want {
				t.Errorf("%d pairs after one more sign-in, want %d", n, tc.want)
			}
			if status, m := refresh(t, s, rotatingID, "", rts[0]); !isExpiredGrant(status, m) {
				t.Errorf("oldest refresh token after the sixth sign-in: %d %v", status, m)
			}
			if status, _, body := get(t, s, "/services/data/v64.0/", ats[0]); status != 401 || !restErrorIs(body, "INVALID_SESSION_ID") {
				t.Errorf("its session: %d %s", status, body)
			}
			if status, m := refresh(t, s, rotatingID, "", rts[1]); status != 200 {
				t.Errorf("second oldest: %d %v", status, m)
			}
			if status, _ := refresh(t, s, publicID, "", func() string { rt, _ := signIn(t, s, publicID); return rt }()); status != 200 {
				t.Error("another app's pairs are counted apart")
			}
		})
	}
}

// TestRefreshTokenIdleLifetime: a refresh token unused for the idle
// lifetime (on the emulator's clock) is refused, one used within it lives
// on; the limit is configurable.
func TestRefreshTokenIdleLifetime(t *testing.T) {
	tests := []struct {
		name       string
		idle, wait time.Duration
		works      bool
	}{
		{"used within 30 days", 0, 29 * 24 * time.Hour, true},
		{"idle 30 days", 0, DefaultRefreshTokenIdle, false},
		{"configured 1 hour, idle 59 minutes", time.Hour, 59 * time.Minute, true},
		{"configured 1 hour, idle 1 hour", time.Hour, time.Hour, false},
		{"never expires", -1, 400 * 24 * time.Hour, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newMovableClock()
			s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice, Now: clock.now, RefreshTokenIdle: tc.idle})
			rt, _ := signIn(t, s, publicID)
			clock.move(tc.wait)
			status, m := refresh(t, s, publicID, "", rt)
			if tc.works != (status == 200) || (!tc.works && !isExpiredGrant(status, m)) {
				t.Fatalf("after %v idle: %d %v", tc.wait, status, m)
			}
			if tc.works {
				// Using it restarts the idle time.
				clock.move(tc.wait)
				if status, m := refresh(t, s, publicID, "", rt); status != 200 {
					t.Errorf("used again after %v: %d %v", tc.wait, status, m)
				}
			}
		})
	}
}

// TestSessionExpiryOnREST: a session works until SessionLifetime after it
// was issued, then REST answers 401 INVALID_SESSION_ID in Salesforce's
// JSON error shape; SOAP reports the lifetime as sessionSecondsValid.
func TestSessionExpiryOnREST(t *testing.T) {
	clock := newMovableClock()
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice, Now: clock.now, SessionLifetime: 15 * time.Minute})
	_, at := signIn(t, s, publicID)
	clock.move(15*time.Minute - time.Second)
	if status, _, body := get(t, s, "/services/data/v64.0/", at); status != 200 {
		t.Fatalf("before expiry: %d %s", status, body)
	}
	clock.move(time.Second)
	status, h, body := get(t, s, "/services/data/v64.0/", at)
	if status != 401 || h.Get("WWW-Authenticate") != "Token" || string(body) != `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]` {
		t.Errorf("after expiry: %d %v %s", status, h, body)
	}
	if _, body := soapLogin(t, s, alice, alicePass+aliceToken); !strings.Contains(string(body), "<sessionSecondsValid>900</sessionSecondsValid>") {
		t.Errorf("sessionSecondsValid: %s", body)
	}
}

// TestRevokeRefreshToken: tests revoke one refresh token; its sessions
// end, the user's other tokens live on.
func TestRevokeRefreshToken(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), AuthorizeAs: alice})
	rt, at := signIn(t, s, publicID)
	other, _ := signIn(t, s, publicID)
	if !s.RevokeRefreshToken(rt) || s.RevokeRefreshToken(rt) {
		t.Fatal("RevokeRefreshToken: want true once, then false")
	}
	if status, m := refresh(t, s, publicID, "", rt); !isExpiredGrant(status, m) {
		t.Errorf("revoked: %d %v", status, m)
	}
	if status, _, _ := get(t, s, "/services/data/v64.0/", at); status != 401 {
		t.Errorf("its session: %d", status)
	}
	if status, _ := refresh(t, s, publicID, "", other); status != 200 {
		t.Errorf("the other token: %d", status)
	}
}

func restErrorIs(body []byte, code string) bool {
	var errs []restError
	return json.Unmarshal(body, &errs) == nil && len(errs) == 1 && errs[0].ErrorCode == code
}
