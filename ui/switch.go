package ui

// This file holds the move of a saved password profile to browser sign-in
// (connection.Service.SwitchToBrowser) as the window and the tray offer it,
// and the words every face uses for when password logins stop working and
// for a browser sign-in that is not set up.

import (
	"context"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// switchLabel is the one-click move's button and menu item.
const switchLabel = "Switch to browser sign-in"

// browserMissing says what browser sign-in lacks when no client id is
// configured anywhere (connection.ChooseClientID).
const browserMissing = "Browser sign-in is not set up on this computer: it needs the consumer key (client id) of your firm's connected app, " +
	"and none is configured here (this is a development build, with none built in). Ask your Salesforce admin or IT department for it."

// switchNotReady is the Settings switch row's note when no client id is
// configured: short, so that the rows under it stay in view (the whole
// story is browserMissingSettings, under Advanced → Client ID).
const switchNotReady = "Browser sign-in is not set up (no client id): ask IT, or enter it under Advanced → Client ID."

// wizardBrowserMissing is the first-run wizard's browser sign-in when no
// client id is configured: what the user can do, in plain words (the
// consumer key and the development build are for IT: Settings → Advanced,
// version and diagnose say them).
const wizardBrowserMissing = "Browser sign-in is not set up on this computer yet: your IT department can set it up."

// browserMissingSettings is browserMissing where the window has the field
// for it.
const browserMissingSettings = browserMissing + " Or enter it under Advanced → Client ID."

// switchNotSetUp is the wizard's browser sign-in when no client id is
// configured: shown, off.
const switchNotSetUp = "Sign in with browser (not set up)"

// usePasswordLabel is the wizard's password path beside browser sign-in,
// with when it stops working (the wizard tests with SOAP login()).
const usePasswordLabel = "Use password and token (until " + connection.SOAPLoginEnds + ")"

// passwordsEnd says when the password logins stop working, for the wizard.
const passwordsEnd = "Password logins stop working: Salesforce blocks the OAuth username-password flow on " + connection.OAuthPasswordEnds +
	" and retires SOAP login() in " + connection.SOAPLoginEnds + "."

// passwordEndsShort is passwordEnds in one short sentence.
func passwordEndsShort(p credstore.Profile) string {
	if p.LoginMethod() == credstore.MethodOAuthPassword {
		return "This login stops working on " + connection.OAuthPasswordEnds + "."
	}
	return "This login stops working in " + connection.SOAPLoginEnds + "."
}

// passwordEnds says when p's password login stops working; "" for a
// browser sign-in.
func passwordEnds(p credstore.Profile) string {
	switch p.LoginMethod() {
	case credstore.MethodOAuthBrowser:
		return ""
	case credstore.MethodOAuthPassword:
		return "This password login stops working on " + connection.OAuthPasswordEnds + ", when Salesforce blocks the username-password flow in every org."
	}
	return "This password login stops working in " + connection.SOAPLoginEnds + ", when Salesforce retires SOAP login()."
}

// browserAllowed reports whether the IT policy allows browser sign-in.
func (u *UI) browserAllowed() bool {
	return u.opt.Policy.MethodAllowed(credstore.MethodOAuthBrowser)
}

// switchable reports whether saved profile p can be moved to browser
// sign-in here: it logs in with a password and the policy allows browser
// sign-in. ready tells whether a client id is configured for it.
func (u *UI) switchable(p credstore.Profile) (ok, ready bool) {
	if !connection.UsesPassword(p) || !u.browserAllowed() {
		return false, false
	}
	bp := p
	bp.Method = credstore.MethodOAuthBrowser
	return true, u.svc.ClientID(bp) != ""
}

// switchProfile moves saved profile name to browser sign-in in the
// background; done runs on Fyne's goroutine. When no browser opens, win
// (nil: none) shows the sign-in address to copy into one.
func (u *UI) switchProfile(ctx context.Context, win fyne.Window, name string, done func(connection.SignInResult)) {
	opts := u.signInOptions(win)
	background(u, func() connection.SignInResult {
		return u.svc.SwitchToBrowser(ctx, name, "", opts)
	}, done)
}
