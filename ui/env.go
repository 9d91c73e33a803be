package ui

import (
	"strings"

	"github.com/advologix/advologix-connect/sfclient"
)

// Environment names shown in the form.
const (
	envProduction = "Production"
	envSandbox    = "Sandbox"
	envMyDomain   = "My Domain"
)

var environments = []string{envProduction, envSandbox, envMyDomain}

// environmentOf tells which choice a saved login URL belongs to.
func environmentOf(loginURL string) string {
	switch strings.TrimRight(loginURL, "/") {
	case "", sfclient.ProductionLoginURL:
		return envProduction
	case sfclient.SandboxLoginURL:
		return envSandbox
	}
	return envMyDomain
}

// Method names shown in the form, in the order offered.
var methodLabels = []string{
	sfclient.MethodSOAP.Label(),
	sfclient.MethodOAuthPassword.Label(),
	sfclient.MethodOAuthBrowser.Label(),
}

func methodFromLabel(label string) sfclient.Method {
	for _, m := range []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword, sfclient.MethodOAuthBrowser} {
		if m.Label() == label {
			return m
		}
	}
	return sfclient.MethodSOAP
}

// Texts the window and the wizard share.
const (
	tokenExplanation = "Salesforce asks for your security token when you log in from outside your firm's trusted network: a case-sensitive code that goes after your password (this app adds it for you). " +
		"You cannot look it up, only reset it, and Salesforce emails you the new one; changing your password resets it too."
	tokenNoneNote = "If your profile restricts logins to your office's IP addresses, you never get a token: leave this empty."
)
