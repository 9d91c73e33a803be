package ui

import (
	"context"
	"errors"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// signInOutcome is a finished browser sign-in, saved or not.
type signInOutcome struct {
	profile credstore.Profile
	secrets credstore.Secrets
	result  sfclient.Result
	err     error // sign-in or save failure
	saved   bool
}

// defaultClientID is the consumer key for browser sign-in when a profile
// names none; "" when none is configured.
func (u *UI) defaultClientID() string {
	s, err := u.opt.Store.Load()
	if err != nil {
		return u.policyClientID(connection.DefaultClientID(credstore.Prefs{}, u.opt.Getenv))
	}
	return u.policyClientID(connection.DefaultClientID(s.Prefs, u.opt.Getenv))
}

// signIn runs browser sign-in for p in the background and saves the
// profile when it works; done runs on Fyne's goroutine. When no browser
// opens, win shows the sign-in address to copy into one, and the sign-in
// keeps waiting for it.
func (u *UI) signIn(ctx context.Context, win fyne.Window, p credstore.Profile, done func(signInOutcome)) {
	if p.ClientID == "" {
		p.ClientID = u.defaultClientID()
	}
	opts := sfclient.SignInOptions{
		Port:    u.opt.CallbackPort,
		Timeout: u.opt.SignInTimeout,
		Open: func(raw string) error {
			target, err := url.Parse(raw)
			if err != nil {
				return err
			}
			if err := u.opt.OpenURL(target); err != nil {
				u.post(func() { showAddress(u.app, win, "sign in to Salesforce", raw) })
			}
			return nil
		},
	}
	background(u, func() signInOutcome {
		saved, sec, res, err := connection.SignIn(ctx, p, "", u.opt.Timeout, opts)
		out := signInOutcome{profile: saved, secrets: sec, result: res.Result, err: err}
		if err != nil {
			var se *sfclient.SignInError
			if errors.As(err, &se) && se.Result != nil {
				out.result = *se.Result
			}
			return out
		}
		if err := u.opt.Store.Save(ctx, saved, sec); err != nil {
			out.err = err
			return out
		}
		out.saved = true
		return out
	}, done)
}

// showSignIn renders a sign-in outcome in a result view.
func showSignIn(v *resultView, o signInOutcome) {
	var se *sfclient.SignInError
	switch {
	case o.err == nil:
		v.show(o.result)
		v.headline.SetText("Signed in to Salesforce — saved")
	case errors.As(o.err, &se) && se.Result != nil && se.Result.Headline != "":
		v.show(*se.Result)
	case errors.As(o.err, &se):
		v.note(theme.WarningIcon(), signInHeadline(string(se.Code)), se.Hint(), widget.WarningImportance)
	default:
		v.note(theme.ErrorIcon(), "Not saved", o.err.Error()+" "+hintOf(o.err), widget.DangerImportance)
	}
}

func signInHeadline(code string) string {
	switch code {
	case "SIGNIN_TIMEOUT":
		return "The browser sign-in timed out"
	case "SIGNIN_STATE_MISMATCH":
		return "The browser's answer did not belong to this sign-in"
	case "SIGNIN_PORT_IN_USE":
		return "Another sign-in is still waiting"
	case "SIGNIN_BROWSER":
		return "The browser could not be opened"
	case "SIGNIN_NO_REFRESH_TOKEN":
		return "Salesforce did not allow staying signed in"
	case string(sfclient.CodeCanceled):
		return "Sign-in cancelled"
	}
	return "Browser sign-in did not finish"
}

// pointsToBrowser tells whether a failed password login is one browser
// sign-in fixes: SOAP login() retired or off, the username-password flow
// blocked, single sign-on.
func pointsToBrowser(r sfclient.Result) bool {
	switch r.Code {
	case sfclient.CodeUnsupportedAPIVersion, sfclient.CodeInsufficientAccess, sfclient.CodeInvalidOperation,
		sfclient.CodeOAuthUnsupportedGrantType, sfclient.CodeSSOServiceDown, sfclient.CodeInvalidSSOGatewayURL:
		return true
	case sfclient.CodeOAuthInvalidGrant:
		return r.Method == sfclient.MethodOAuthPassword
	}
	return false
}

// checkSavedBrowser tests a saved browser profile through the store, so a
// refresh token Salesforce rotates is kept.
func (u *UI) checkSavedBrowser(ctx context.Context, p credstore.Profile) (sfclient.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, u.opt.Timeout+credstore.DefaultReadTimeout)
	defer cancel()
	p, err := connection.ApplyPolicy(p, u.opt.Policy)
	if err != nil {
		return sfclient.Result{}, err
	}
	return connection.CheckSaved(ctx, u.opt.Store, p, u.opt.Timeout)
}

// signInWait is what the result view says while the browser is open.
func signInWait(timeout time.Duration) string {
	if timeout <= 0 {
		timeout = sfclient.DefaultSignInTimeout
	}
	return "Waiting for you to sign in in your browser (up to " + timeout.String() + ")…"
}
