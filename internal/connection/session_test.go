package connection_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// rotationWarning reports whether o warns that a rotated refresh token
// could not be kept.
func rotationWarning(o connection.Outcome) bool {
	for _, w := range o.Warnings {
		if strings.Contains(w, "rotated") {
			return true
		}
	}
	return false
}

func TestServiceSession(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	oldRefresh := f.saveBrowser(t, jane)
	f.save(t, f.profile("jane", credstore.MethodSOAP, jane), credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	svc := f.service()

	t.Run("soap", func(t *testing.T) {
		f.srv.ResetRequests()
		before := time.Now().Add(-time.Second)
		out := svc.Session(ctx, "jane")
		s := out.Session
		if !out.OK() || out.Err != nil || s.InstanceURL != f.srv.URL() || s.Username != jane || s.OrganizationID != f.srv.OrgID() || len(s.UserID) != 18 {
			t.Fatalf("%+v %+v", out, out.Result)
		}
		if s.IssuedAt.Before(before) || s.ExpiresAt.Sub(s.IssuedAt) != 2*time.Hour {
			t.Errorf("issued %v expires %v: want sessionSecondsValid (7200 s) after issue", s.IssuedAt, s.ExpiresAt)
		}
		if n := logins(f.srv); n != 1 {
			t.Errorf("%d logins, want 1", n)
		}
		if code := restWorks(t, f.srv, s); code != http.StatusOK {
			t.Errorf("the SOAP session id does not open the REST API: HTTP %d", code)
		}
		if str := fmt.Sprint(s) + fmt.Sprintf("%#v", s) + fmt.Sprint(out.Result) + fmt.Sprint(out.Outcome); strings.Contains(str, s.AccessToken) {
			t.Errorf("the token shows in String/GoString/Result/Outcome: %s", str)
		}
	})
	t.Run("browser, rotated refresh token kept", func(t *testing.T) {
		out := svc.Session(ctx, "browser")
		if !out.OK() || rotationWarning(out.Outcome) || out.Session.Username != jane || !out.Session.ExpiresAt.IsZero() || out.Session.IssuedAt.IsZero() {
			t.Fatalf("%+v", out)
		}
		if code := restWorks(t, f.srv, out.Session); code != http.StatusOK {
			t.Errorf("the access token does not open the REST API: HTTP %d", code)
		}
		sec, err := f.store.Secrets(ctx, "browser")
		if err != nil || sec.RefreshToken == oldRefresh || sec.RefreshToken == "" {
			t.Errorf("rotated refresh token not saved: %v", err)
		}
	})
	t.Run("failed login hands out nothing", func(t *testing.T) {
		f.save(t, f.profile("stale", credstore.MethodSOAP, jane), credstore.Secrets{Password: janePass, SecurityToken: staleTok})
		out := svc.Session(ctx, "stale")
		if out.OK() || out.Session.AccessToken != "" || out.Code != sfclient.CodeInvalidLogin || !out.Checked || out.Hint == "" {
			t.Errorf("%+v", out)
		}
	})
	t.Run("missing secrets", func(t *testing.T) {
		f.save(t, f.profile("gone", credstore.MethodSOAP, jane), credstore.Secrets{Password: janePass})
		if err := f.kr.Delete(credstore.Service, credstore.Account("gone", credstore.KindPassword)); err != nil {
			t.Fatal(err)
		}
		f.srv.ResetRequests()
		out := svc.Session(ctx, "gone")
		var me *connection.MissingError
		if out.Code != connection.CodeSecretsMissing || !errors.As(out.Err, &me) || out.Checked || len(f.srv.Requests()) != 0 {
			t.Errorf("%+v", out)
		}
	})
	t.Run("no such profile", func(t *testing.T) {
		f.srv.ResetRequests()
		out := svc.Session(ctx, "nope")
		if out.Code != connection.CodeProfileNotFound || !errors.Is(out.Err, credstore.ErrNotFound) || len(f.srv.Requests()) != 0 {
			t.Errorf("%+v", out)
		}
	})
}

func TestServiceSessionPasswordExpiredHandsOutNothing(t *testing.T) {
	srv, err := sftest.New(sftest.Config{Users: []sftest.User{{Username: jane, Password: janePass, SecurityToken: janeToken, PasswordExpired: true}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f := newFixture(t)
	if err := srv.WriteCAFile(f.ca); err != nil {
		t.Fatal(err)
	}
	f.save(t, credstore.Profile{Name: "jane", LoginURL: srv.URL(), Username: jane, Method: credstore.MethodSOAP, CAFile: f.ca},
		credstore.Secrets{Password: janePass, SecurityToken: janeToken})
	out := f.service().Session(context.Background(), "")
	if out.OK() || out.Session != (connection.Session{}) || out.Code != sfclient.CodePasswordExpired || !out.Checked {
		t.Errorf("%+v", out)
	}
	if n := logins(srv); n != 1 {
		t.Errorf("%d logins, want exactly 1", n)
	}
}
