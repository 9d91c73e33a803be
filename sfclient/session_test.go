package sfclient_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

func TestLoginHandsOutTheSession(t *testing.T) {
	srv := newServer(t, func(c *sftest.Config) {
		c.Users = append(c.Users, sftest.User{Username: "old@firm.example.com", Password: "old-pass", SecurityToken: "OldUserToken0123456789ab", PasswordExpired: true})
	})
	tests := []struct {
		name     string
		method   sfclient.Method
		cr       sfclient.Credentials
		ok       bool
		code     sfclient.Code
		validFor time.Duration // 0: Salesforce does not say
	}{
		{"soap", sfclient.MethodSOAP, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken}, true, "", 2 * time.Hour},
		{"oauth password", sfclient.MethodOAuthPassword, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken}, true, "", 0},
		{"stale token", sfclient.MethodSOAP, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: "OldOldOldOldOldOldOld123"}, false, sfclient.CodeInvalidLogin, 0},
		{"password expired", sfclient.MethodSOAP, sfclient.Credentials{Username: "old@firm.example.com", Password: "old-pass", SecurityToken: "OldUserToken0123456789ab"}, false, sfclient.CodePasswordExpired, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			c := newChecker(t, srv, sfclient.Config{Method: tt.method})
			before := time.Now().Add(-time.Second)
			g, r := c.Login(context.Background(), tt.cr)
			if r.OK != tt.ok || r.Code != tt.code {
				t.Fatalf("ok %v code %q", r.OK, r.Code)
			}
			logins := 0
			for _, q := range srv.Requests() {
				if strings.HasPrefix(q.Path, "/services/Soap/u/") || q.GrantType == "password" {
					logins++
				}
			}
			if logins != 1 {
				t.Errorf("%d login requests, want 1", logins)
			}
			if !tt.ok {
				if g != (sfclient.Grant{}) {
					t.Errorf("a failed login handed out a session: %v", g)
				}
				return
			}
			if g.AccessToken == "" || g.InstanceURL != srv.URL() || g.UserID != r.UserID || g.OrgID != srv.OrgID() || g.IssuedAt.Before(before) {
				t.Errorf("grant %v issued %v, result %+v", g, g.IssuedAt, r)
			}
			if got := time.Duration(0); !g.ExpiresAt.IsZero() {
				got = g.ExpiresAt.Sub(g.IssuedAt)
				if got != tt.validFor {
					t.Errorf("valid for %v, want %v", got, tt.validFor)
				}
			} else if tt.validFor != 0 {
				t.Errorf("no expiry, want %v", tt.validFor)
			}
			if s := fmt.Sprint(g) + fmt.Sprintf("%#v", g) + fmt.Sprintf("%+v", r); strings.Contains(s, g.AccessToken) {
				t.Errorf("the token shows: %s", s)
			}
		})
	}
}
