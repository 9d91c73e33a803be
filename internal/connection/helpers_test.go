package connection_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

const (
	jane      = testfix.JaneUsername
	janePass  = testfix.JanePassword
	janeToken = testfix.JaneToken
	staleTok  = "OldOldOldOldOldOldOld123"
	clientID  = "3MVG9.advologix.connect"
	redirect  = "http://localhost:7890/OauthRedirect"
)

// fixture is the emulator with Jane (and Ann), a CA file that trusts it,
// and a credstore on an in-memory keychain.
type fixture struct {
	srv   *sftest.Server
	kr    *testfix.Keyring
	store *credstore.Store
	ca    string
}

// newFixture starts the emulator and opens the store.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	emu := testfix.StartEmulator(t, func(c *sftest.Config) {
		c.Users = append(c.Users, sftest.User{Username: "ann@firm.example.com", Password: "ann-pass", SecurityToken: "AnnTokenAnnTokenAnnToken"})
		c.Apps = []sftest.App{{ClientID: clientID, AllowPasswordFlow: true, RotateRefreshTokens: true, RedirectURIs: []string{redirect}}}
	})
	f := &fixture{srv: emu.Server, kr: testfix.NewKeyring(), ca: emu.CAFile}
	var err error
	f.store, err = credstore.Open(credstore.Options{Dir: t.TempDir(), Keyring: f.kr})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// profile is a profile for the emulator.
func (f *fixture) profile(name, method, username string) credstore.Profile {
	return credstore.Profile{Name: name, LoginURL: f.srv.URL(), Username: username, Method: method, ClientID: clientID, CAFile: f.ca}
}

// saveBrowser signs jane in the way the browser flow does (authorize,
// code exchange with PKCE) and saves the browser profile.
func (f *fixture) saveBrowser(t *testing.T, username string) string {
	t.Helper()
	refresh, err := f.srv.BrowserSignIn(username, clientID, redirect)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Save(context.Background(), f.profile("browser", credstore.MethodOAuthBrowser, username), credstore.Secrets{RefreshToken: refresh}); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetRequests()
	return refresh
}

// refreshGrants counts the refresh-token grants the emulator saw.
func refreshGrants(srv *sftest.Server) int { return srv.Grants("refresh_token") }

// service is a Service over the fixture's store.
func (f *fixture) service() *connection.Service {
	return &connection.Service{Store: f.store, Timeout: 10 * time.Second}
}

// save saves p with sec, or fails the test.
func (f *fixture) save(t *testing.T, p credstore.Profile, sec credstore.Secrets) {
	t.Helper()
	if err := f.store.Save(context.Background(), p, sec); err != nil {
		t.Fatal(err)
	}
}

// logins counts the password logins the emulator saw (SOAP login() and
// the OAuth password grant).
func logins(srv *sftest.Server) int {
	n := 0
	for _, q := range srv.Requests() {
		if strings.HasPrefix(q.Path, "/services/Soap/u/") || q.GrantType == "password" {
			n++
		}
	}
	return n
}

// attempts counts every login the emulator saw: password logins and
// refresh-token grants.
func attempts(srv *sftest.Server) int { return logins(srv) + refreshGrants(srv) }

// restWorks proves a bearer token opens the REST API of the emulator.
func restWorks(t *testing.T, srv *sftest.Server, s connection.Session) int {
	t.Helper()
	code, err := srv.QueryStatus(s.InstanceURL, s.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
