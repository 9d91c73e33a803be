package connection

// This file holds what every face says about a saved password profile: the
// dates its login stops working, and the one command that moves it to
// browser sign-in; and Diagnose's line for each such profile.

import (
	"fmt"

	"github.com/advologix/advologix-connect/credstore"
)

// Dates the password logins stop working, for labels.
const (
	// OAuthPasswordEnds: the OAuth username-password flow is blocked in
	// every org.
	OAuthPasswordEnds = "20 February 2027"
	// SOAPLoginEnds: SOAP login() (API 31.0–64.0) is retired.
	SOAPLoginEnds = "Summer '27"
)

// PasswordEnds is when p's password login stops working: "" for a browser
// sign-in.
func PasswordEnds(p credstore.Profile) string {
	switch p.LoginMethod() {
	case credstore.MethodOAuthBrowser:
		return ""
	case credstore.MethodOAuthPassword:
		return OAuthPasswordEnds
	}
	return SOAPLoginEnds
}

// SwitchCommand is the command line that moves saved password profile
// name to browser sign-in.
func SwitchCommand(name string) string {
	return "advologix-connect login --browser --profile " + name
}

// SwitchAdvice is the line status and diagnose show for saved password
// profile p: when its login stops working and how to switch; "" for a
// browser sign-in.
func SwitchAdvice(p credstore.Profile) string {
	var how string
	switch p.LoginMethod() {
	case credstore.MethodOAuthBrowser:
		return ""
	case credstore.MethodOAuthPassword:
		how = "logs in with a password through the connected app (the OAuth username-password flow), which Salesforce blocks in every org on " + OAuthPasswordEnds
	default:
		how = "logs in with a password and security token (SOAP login()), which Salesforce retires in " + SOAPLoginEnds
	}
	return how + ": switch it to browser sign-in with " + SwitchCommand(p.Name)
}

// checkPasswordProfiles adds Diagnose's line for each saved password
// profile ("password:NAME"): it works today, and says until when and how
// to switch. A failing login is the login check's, with --login.
func (d *diag) checkPasswordProfiles() {
	if d.settingsErr != nil {
		return
	}
	for _, p := range d.settings.Profiles {
		if advice := SwitchAdvice(p); advice != "" {
			d.run("password:"+p.Name, func() (CheckStatus, string) {
				return CheckOK, fmt.Sprintf("%q %s", p.Name, advice)
			})
		}
	}
}
