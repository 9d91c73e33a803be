package connection_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
	"github.com/advologix/advologix-connect/sfclient/sftest"
)

// restWorks proves a bearer token opens the REST API of the emulator.
func restWorks(t *testing.T, srv *sftest.Server, s connection.Session) int {
	t.Helper()
	q := url.Values{"q": {"SELECT Name FROM Organization"}}
	req, _ := http.NewRequest(http.MethodGet, s.InstanceURL+"/services/data/v64.0/query?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestOpenSession(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	oldRefresh := f.saveBrowser(t, jane)
	soap := f.profile("jane", credstore.MethodSOAP, jane)
	if err := f.store.Save(ctx, soap, credstore.Secrets{Password: janePass, SecurityToken: janeToken}); err != nil {
		t.Fatal(err)
	}

	t.Run("soap", func(t *testing.T) {
		f.srv.ResetRequests()
		before := time.Now().Add(-time.Second)
		out := connection.OpenSession(ctx, f.store, soap, 10*time.Second)
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
		if str := fmt.Sprint(s) + fmt.Sprintf("%#v", s) + fmt.Sprint(out.Result); strings.Contains(str, s.AccessToken) {
			t.Errorf("the token shows in String/GoString/Result: %s", str)
		}
	})
	t.Run("browser, rotated refresh token kept", func(t *testing.T) {
		bp, _ := f.store.Profile("browser")
		out := connection.OpenSession(ctx, f.store, bp, 10*time.Second)
		if !out.OK() || out.Warning != nil || out.Session.Username != jane || !out.Session.ExpiresAt.IsZero() || out.Session.IssuedAt.IsZero() {
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
		stale := f.profile("stale", credstore.MethodSOAP, jane)
		if err := f.store.Save(ctx, stale, credstore.Secrets{Password: janePass, SecurityToken: staleTok}); err != nil {
			t.Fatal(err)
		}
		out := connection.OpenSession(ctx, f.store, stale, 10*time.Second)
		if out.OK() || out.Session.AccessToken != "" || out.Result.Code != sfclient.CodeInvalidLogin || out.Result.Hint == "" {
			t.Errorf("%+v", out)
		}
	})
	t.Run("missing secrets", func(t *testing.T) {
		gone := f.profile("gone", credstore.MethodSOAP, jane)
		if err := f.store.Save(ctx, gone, credstore.Secrets{Password: janePass}); err != nil {
			t.Fatal(err)
		}
		if err := f.kr.Delete(credstore.Service, credstore.Account("gone", credstore.KindPassword)); err != nil {
			t.Fatal(err)
		}
		f.srv.ResetRequests()
		out := connection.OpenSession(ctx, f.store, gone, 10*time.Second)
		var me *connection.MissingError
		if out.OK() || !errors.As(out.Err, &me) || len(f.srv.Requests()) != 0 {
			t.Errorf("%+v", out)
		}
	})
}

func TestOpenSessionPasswordExpiredHandsOutNoSession(t *testing.T) {
	srv, err := sftest.New(sftest.Config{Users: []sftest.User{{Username: jane, Password: janePass, SecurityToken: janeToken, PasswordExpired: true}}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f := newFixture(t)
	if err := srv.WriteCAFile(f.ca); err != nil {
		t.Fatal(err)
	}
	p := credstore.Profile{Name: "jane", LoginURL: srv.URL(), Username: jane, Method: credstore.MethodSOAP, CAFile: f.ca}
	if err := f.store.Save(context.Background(), p, credstore.Secrets{Password: janePass, SecurityToken: janeToken}); err != nil {
		t.Fatal(err)
	}
	out := connection.OpenSession(context.Background(), f.store, p, 10*time.Second)
	if out.OK() || out.Session != (connection.Session{}) || out.Result.Code != sfclient.CodePasswordExpired {
		t.Errorf("%+v", out)
	}
}
