package connection

import (
	"context"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

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

// SignInResult adds what only a browser sign-in has to its Outcome.
type SignInResult struct {
	Outcome
	// Callback is the time from the browser's redirect to the saved
	// profile.
	Callback time.Duration
}

// SignInAndSave runs browser sign-in for p (OAuth web-server flow with
// PKCE) and saves the profile — method oauth-browser, the username
// Salesforce reports — with its refresh token; no password is kept.
func (s *Service) SignInAndSave(ctx context.Context, p credstore.Profile, clientSecret string, makeDefault bool, o sfclient.SignInOptions) SignInResult {
	p.Method = credstore.MethodOAuthBrowser
	p.ClientID = s.ClientID(p)
	if p.ClientID == "" {
		return SignInResult{Outcome: noClientID(p)}
	}
	p, stop := s.Prepare(p)
	if stop != nil {
		return SignInResult{Outcome: *stop}
	}
	if err := s.Store.Probe(ctx); err != nil {
		return SignInResult{Outcome: Failed(p, err)}
	}
	s.Scrub.Add(clientSecret)
	saved, sec, res, err := SignIn(ctx, p, clientSecret, s.timeout(), o)
	s.Scrub.AddSecrets(sec)
	if err != nil {
		return SignInResult{Outcome: Failed(p, err)}
	}
	returned := time.Now()
	out := s.save(ctx, saved, sec, makeDefault, checked(saved, res.Result))
	if out.Saved {
		out.Headline = "Signed in to Salesforce — saved"
	}
	return SignInResult{Outcome: out, Callback: res.Callback + time.Since(returned)}
}
