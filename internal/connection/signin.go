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
	a, stop, err := s.browserSignIn(ctx, p, clientSecret, o)
	if stop != nil {
		return SignInResult{Outcome: *stop}
	}
	if err != nil {
		return SignInResult{Outcome: Failed(a.ready, err)}
	}
	returned := time.Now()
	out := s.save(ctx, a.signed, a.sec, makeDefault, checked(a.signed, a.res.Result))
	if out.Saved {
		out.Headline = "Signed in to Salesforce — saved"
	}
	return SignInResult{Outcome: out, Callback: a.res.Callback + time.Since(returned)}
}

// browserAttempt is one browser sign-in run by browserSignIn.
type browserAttempt struct {
	ready  credstore.Profile // the profile as readied for the sign-in
	signed credstore.Profile // as SignIn returned it
	sec    credstore.Secrets
	res    sfclient.SignIn
}

// browserSignIn readies p for browser sign-in — the method, its client id
// (the one ClientID picks), the IT policy (Prepare), a keychain that
// answers — and signs in, with the client secret and the tokens scrubbed
// from what is shown. stop ends the attempt before the browser opens (no
// client id, the policy refuses); err is a keychain that does not answer
// or a sign-in that failed, for the caller to report.
func (s *Service) browserSignIn(ctx context.Context, p credstore.Profile, clientSecret string, o sfclient.SignInOptions) (browserAttempt, *Outcome, error) {
	p.Method = credstore.MethodOAuthBrowser
	p.ClientID = s.ClientID(p)
	if p.ClientID == "" {
		out := noClientID(p)
		return browserAttempt{}, &out, nil
	}
	p, stop := s.Prepare(p)
	if stop != nil {
		return browserAttempt{}, stop, nil
	}
	a := browserAttempt{ready: p}
	if err := s.Store.Probe(ctx); err != nil {
		return a, nil, err
	}
	s.Scrub.Add(clientSecret)
	var err error
	a.signed, a.sec, a.res, err = SignIn(ctx, p, clientSecret, s.timeout(), o)
	s.Scrub.AddSecrets(a.sec)
	return a, nil, err
}
