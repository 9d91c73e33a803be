package ui

import (
	"strings"

	"github.com/advologix/advologix-connect/internal/connection"
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

// methods are the sign-in methods, in the order offered.
var methods = []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword, sfclient.MethodOAuthBrowser}

// methodLabel names a method in plain words for the window (the command
// line and the details keep sfclient's technical names); a password method
// says until when Salesforce takes it.
func methodLabel(m sfclient.Method) string {
	switch m {
	case sfclient.MethodSOAP:
		return "Password and security token (until " + connection.SOAPLoginEnds + ")"
	case sfclient.MethodOAuthPassword:
		return "Password, through your firm's connected app (until " + connection.OAuthPasswordEnds + ")"
	case sfclient.MethodOAuthBrowser:
		return "Sign in with the browser"
	}
	return m.Label()
}

// Method names shown in the form, in the order offered.
var methodLabels = func() []string {
	l := make([]string, len(methods))
	for i, m := range methods {
		l[i] = methodLabel(m)
	}
	return l
}()

func methodFromLabel(label string) sfclient.Method {
	for _, m := range methods {
		if methodLabel(m) == label {
			return m
		}
	}
	return sfclient.MethodSOAP
}

// Texts the window and the wizard share.
const (
	tokenExplanation = "Salesforce asks for your security token when you log in from outside your firm's trusted network: a case-sensitive code that goes after your password (this app adds it for you). " +
		"You cannot look it up, only reset it, and Salesforce emails you the new one; changing your password resets it too."
	tokenHowTo = "To get one, in Salesforce: in Lightning, click your picture → Settings → My Personal Information → Reset My Security Token " +
		"(or type “Reset My Security Token” in Quick Find); in Classic, My Settings → Personal → Reset My Security Token. Salesforce emails you the new token."
	tokenNoneNote = "If your profile restricts logins to your office's IP addresses, you never get a token: leave this empty."
)
