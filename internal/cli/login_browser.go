package cli

import (
	"context"
	"fmt"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/browser"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// loginBrowser signs in through the browser (OAuth web-server flow with
// PKCE) and saves the refresh token; no password is stored. A saved
// password profile is switched to browser sign-in (login_switch.go).
func loginBrowser(ctx context.Context, env Env, svc *connection.Service, opts *loginOptions) int {
	f := &opts.conn
	if st, ok := passwordProfile(env, opts.Profile); ok {
		return loginSwitch(ctx, env, svc, st, opts)
	}
	st, err := openStore(env)
	if err != nil {
		return render(env, f.json, connection.Failed(credstore.Profile{Name: opts.Profile}, err))
	}
	svc.Store = st
	p := f.profile("")
	if f.loginURL == "" {
		// Signing in again to a saved profile (its refresh token expired
		// or was revoked): where and how come from the profile.
		saved, err := st.Profile(opts.Profile)
		if err != nil {
			return render(env, f.json, usagef("login --browser needs --login-url, or --profile NAME of a saved profile to sign in to again"))
		}
		p = again(saved, f)
	}
	p.Method = credstore.MethodOAuthBrowser
	p.ClientID = svc.ClientID(p)
	if p.ClientID == "" {
		return render(env, f.json, usagef("browser sign-in needs the connected app's consumer key: --client-id, $%s, or default_client_id in the settings file", connection.ClientIDEnv))
	}
	p, stop := svc.Prepare(p)
	if stop != nil {
		return render(env, f.json, asUsage(*stop))
	}
	p.Name = opts.Profile
	so := signInOptions(env, opts, "", p.LoginURL)
	res := svc.SignInAndSave(ctx, p, env.Getenv(ClientSecretEnv), opts.MakeDefault, so)
	// A setting the sign-in itself found unusable is the flags' fault.
	return renderLogin(env, opts, asUsage(res.Outcome), res.Callback)
}

// again is saved profile p to sign in to again through the browser: its
// settings, with those the flags give in their place.
func again(p credstore.Profile, f *connFlags) credstore.Profile {
	if f.set["client-id"] {
		p.ClientID = f.clientID
	}
	if f.set["api-version"] {
		p.APIVersion = f.apiVersion
	}
	if f.set["ca-file"] {
		p.CAFile = f.caFile
	}
	if f.set["proxy"] {
		p.Proxy = f.proxy
	}
	return p
}

// signInOptions are the options of login --browser's sign-in at
// loginURL: the browser opened, the wait said on standard error (after
// first, when set), and who signed in said before anything is saved.
func signInOptions(env Env, opts *loginOptions, first, loginURL string) sfclient.SignInOptions {
	open := env.OpenBrowser
	if open == nil {
		open = browser.Open
	}
	port := opts.CallbackPort
	if port == 0 {
		port = sfclient.AnyPort
	}
	return sfclient.SignInOptions{Port: port, Timeout: opts.BrowserTimeout, Open: open,
		Waiting: func(startURL string) {
			fmt.Fprintf(env.Stderr, "%sOpening your browser to sign in at %s (waiting up to %s).\nIf it does not open, visit:\n  %s\n", first, loginURL, opts.BrowserTimeout, startURL)
		},
		SignedIn: func(r sfclient.Result) { fmt.Fprintln(env.Stderr, signedInLine(r)) }}
}

// signedInLine says who signed in through the browser and where.
func signedInLine(r sfclient.Result) string {
	r = sfclient.CleanResult(r)
	return fmt.Sprintf("Signed in as %s (%s) at %s, %s", firstSet(r.UserFullName, r.Username), r.Username, r.Org(), r.InstanceURL)
}

func firstSet(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
