package connection

import (
	"context"
	"strings"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// ClientIDEnv names the environment variable with the connected app's
// consumer key for browser sign-in; it overrides the settings file's
// default_client_id.
const ClientIDEnv = "ADVOLOGIX_CLIENT_ID"

// BuiltInClientID is a consumer key compiled into a build for firms that
// ship their own (go build -ldflags "-X …/internal/connection.BuiltInClientID=…").
var BuiltInClientID = ""

// DefaultClientID is the client id browser sign-in uses when a profile names
// none: $ADVOLOGIX_CLIENT_ID, else the admin-managed default_client_id of
// the settings file, else the one built in. "" means none is configured.
func DefaultClientID(prefs credstore.Prefs, getenv func(string) string) string {
	if getenv != nil {
		if v := strings.TrimSpace(getenv(ClientIDEnv)); v != "" {
			return v
		}
	}
	if v := strings.TrimSpace(prefs.DefaultClientID); v != "" {
		return v
	}
	return BuiltInClientID
}

// SignIn runs browser sign-in for p (its login URL and client id) and
// returns the profile to save — method oauth-browser, the username
// Salesforce reports — with its secrets: the refresh token and the client
// secret, if the app has one. Nothing is saved here.
func SignIn(ctx context.Context, p credstore.Profile, clientSecret string, timeout time.Duration, o sfclient.SignInOptions) (credstore.Profile, credstore.Secrets, sfclient.SignIn, error) {
	p.Method = credstore.MethodOAuthBrowser
	c, err := sfclient.New(Config(p, timeout))
	if err != nil {
		return p, credstore.Secrets{}, sfclient.SignIn{}, err
	}
	o.ClientSecret = clientSecret
	res, err := c.SignIn(ctx, o)
	if err != nil {
		return p, credstore.Secrets{}, res, err
	}
	if res.Result.Username != "" {
		p.Username = res.Result.Username
	}
	return p, credstore.Secrets{RefreshToken: res.RefreshToken, ClientSecret: clientSecret}, res, nil
}
