package ui

import (
	"context"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// defaultClientID is the consumer key for browser sign-in when a profile
// names none; "" when none is configured or the IT policy does not allow
// browser sign-in.
func (u *UI) defaultClientID() string {
	if !u.opt.Policy.MethodAllowed(credstore.MethodOAuthBrowser) {
		return ""
	}
	return u.svc.ClientID(credstore.Profile{}) // the policy's, when it sets or locks one
}

// signIn runs browser sign-in for p in the background and saves the
// profile when it works (connection.Service.SignInAndSave); done runs on
// Fyne's goroutine. When no browser opens, win shows the sign-in address
// to copy into one, and the sign-in keeps waiting for it.
func (u *UI) signIn(ctx context.Context, win fyne.Window, p credstore.Profile, done func(connection.SignInResult)) {
	if p.ClientID == "" {
		p.ClientID = u.defaultClientID()
	}
	opts := u.signInOptions(win)
	background(u, func() connection.SignInResult {
		return u.svc.SignInAndSave(ctx, p, "", false, opts)
	}, done)
}

// signInOptions are the options of a browser sign-in from win: the
// configured callback port and wait, and the sign-in address shown in win
// to copy into a browser when none opens (win nil: the sign-in fails).
func (u *UI) signInOptions(win fyne.Window) sfclient.SignInOptions {
	return sfclient.SignInOptions{
		Port:    u.opt.CallbackPort,
		Timeout: u.opt.SignInTimeout,
		Open: func(raw string) error {
			target, err := url.Parse(raw)
			if err != nil {
				return err
			}
			if err := u.opt.OpenURL(target); err != nil {
				if win == nil {
					return err // nowhere to show the address: the sign-in says it failed
				}
				u.post(func() { showAddress(u.app, win, "sign in to Salesforce", raw) })
			}
			return nil
		},
	}
}

// showSignIn renders a sign-in outcome in a result view: saved, refused by
// Salesforce, not finished (the browser part), or not saved.
func showSignIn(v *resultView, o connection.SignInResult) {
	switch {
	case o.OK():
		v.show(o.Outcome)
		v.headline.SetText(o.Headline)
	case o.Checked && !o.Result.OK:
		v.show(o.Outcome)
	case o.Code == connection.CodeInvalidProfile, o.Code == connection.CodePolicyViolation:
		v.show(o.Outcome) // nothing was attempted: what to change, and where
	case o.Kind() == connection.KindConnection:
		v.note(theme.WarningIcon(), o.Headline, o.Hint, widget.WarningImportance)
	default:
		v.note(theme.ErrorIcon(), "Not saved", strings.TrimSpace(o.Message+" "+o.Hint), widget.DangerImportance)
	}
}

// pointsToBrowser tells whether a failed password login is one browser
// sign-in fixes: SOAP login() retired or off, the username-password flow
// blocked, single sign-on.
func pointsToBrowser(o connection.Outcome) bool {
	if !o.Checked {
		return false
	}
	switch o.Code {
	case sfclient.CodeUnsupportedAPIVersion, sfclient.CodeInsufficientAccess, sfclient.CodeInvalidOperation,
		sfclient.CodeOAuthUnsupportedGrantType, sfclient.CodeSSOServiceDown, sfclient.CodeInvalidSSOGatewayURL:
		return true
	case sfclient.CodeOAuthInvalidGrant:
		return o.Result.Method == sfclient.MethodOAuthPassword
	}
	return false
}

// checkSaved tests saved profile p with its secrets in the keychain, so a
// refresh token Salesforce rotates is kept.
func (u *UI) checkSaved(ctx context.Context, p credstore.Profile) connection.Outcome {
	ctx, cancel := context.WithTimeout(ctx, u.opt.Timeout+credstore.DefaultReadTimeout)
	defer cancel()
	return u.svc.CheckProfile(ctx, p)
}

// signInWait is what the result view says while the browser is open.
func signInWait(timeout time.Duration) string {
	if timeout <= 0 {
		timeout = sfclient.DefaultSignInTimeout
	}
	return "Waiting for you to sign in in your browser (up to " + timeout.String() + ")…"
}
