package connection

import (
	"fmt"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// PolicyViolation is a profile or an input the IT policy does not allow.
type PolicyViolation struct {
	Field  string // the policy name: credstore.PolicyLoginURL, …
	Source string // where the policy came from
	Reason string
}

func (e *PolicyViolation) Error() string {
	return fmt.Sprintf("%s (IT policy %s, %s)", e.Reason, e.Source, e.Field)
}

// Code is the stable code of the error.
func (e *PolicyViolation) Code() string { return string(CodePolicyViolation) }

// Hint says what to do.
func (e *PolicyViolation) Hint() string {
	return "Your IT department has set this for every user of this computer. Ask them if you need another setting."
}

// PolicyLoginURL returns the policy's login URL normalised ("" when the
// policy sets none).
func PolicyLoginURL(pol credstore.Policy) (string, error) {
	if pol.LoginURL == "" {
		return "", nil
	}
	u, err := sfclient.ParseLoginURL(pol.LoginURL)
	if err != nil {
		return "", &credstore.PolicyError{Source: pol.Source(), Err: fmt.Errorf("%s: %w", credstore.PolicyLoginURL, err)}
	}
	return u.URL, nil
}

// SameLoginURL reports whether two login addresses name the same login
// host once normalised (a pasted Lightning address equals its My Domain).
func SameLoginURL(a, b string) bool {
	ua, errA := sfclient.ParseLoginURL(a)
	ub, errB := sfclient.ParseLoginURL(b)
	if errA != nil || errB != nil {
		return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
	}
	return ua.URL == ub.URL
}

// ApplyPolicy returns p as the IT policy lets it run: locked values replace
// the profile's, values the profile leaves empty come from the policy. A
// method or login host the policy does not allow is a *PolicyViolation; a
// policy whose login URL is unusable a *credstore.PolicyError.
func ApplyPolicy(p credstore.Profile, pol credstore.Policy) (credstore.Profile, error) {
	if pol.IsZero() {
		return p, nil
	}
	login, err := PolicyLoginURL(pol)
	if err != nil {
		return p, err
	}
	if login != "" && (p.LoginURL == "" || pol.IsLocked(credstore.PolicyLoginURL)) {
		p.LoginURL = login
	}
	oauth := p.Method == credstore.MethodOAuthPassword || p.Method == credstore.MethodOAuthBrowser
	if pol.ClientID != "" && oauth && (p.ClientID == "" || pol.IsLocked(credstore.PolicyClientID)) {
		p.ClientID = pol.ClientID
	}
	if pol.Proxy != "" && (p.Proxy == "" || pol.IsLocked(credstore.PolicyProxy)) {
		p.Proxy = pol.Proxy
	}
	if pol.CAFile != "" && (p.CAFile == "" || pol.IsLocked(credstore.PolicyCAFile)) {
		p.CAFile = pol.CAFile
	}
	if !pol.MethodAllowed(p.Method) {
		return p, &PolicyViolation{Field: credstore.PolicyMethods, Source: pol.Source(),
			Reason: fmt.Sprintf("the login method %s is not allowed; allowed: %s", methodName(p.Method), strings.Join(pol.Methods, ", "))}
	}
	if p.LoginURL != "" {
		u, err := sfclient.ParseLoginURL(p.LoginURL)
		if err == nil && !pol.HostAllowed(u.Host) {
			return p, &PolicyViolation{Field: credstore.PolicyAllowedLoginHosts, Source: pol.Source(),
				Reason: fmt.Sprintf("signing in at %s is not allowed; allowed: %s", u.Host, strings.Join(pol.AllowedLoginHosts, ", "))}
		}
	}
	return p, nil
}

func methodName(m string) string {
	if m == "" {
		return credstore.MethodSOAP
	}
	return m
}

// PolicyPrefs returns the preferences as the policy sets them: locked
// values replace the user's; a check_interval the user left empty comes
// from the policy.
func PolicyPrefs(prefs credstore.Prefs, pol credstore.Policy) credstore.Prefs {
	if pol.CheckInterval != "" && (prefs.CheckInterval == "" || pol.IsLocked(credstore.PolicyCheckInterval)) {
		prefs.CheckInterval = pol.CheckInterval
	}
	if pol.StartInTray != nil && pol.IsLocked(credstore.PolicyStartInTray) {
		prefs.StartInTray = *pol.StartInTray
	}
	return prefs
}
