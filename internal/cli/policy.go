package cli

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// loadPolicy reads the IT policy: env.LoadPolicy, else this computer's.
func loadPolicy(env Env) (credstore.Policy, error) {
	if env.LoadPolicy == nil {
		return credstore.LoadPolicy()
	}
	return env.LoadPolicy()
}

// lockedError is a flag that contradicts the IT policy: a usage error
// (exit 2, nothing was sent) with its own code.
type lockedError struct {
	msg string
}

func (e *lockedError) Error() string { return e.msg }
func (e *lockedError) Unwrap() error { return &usageError{e.msg} }

// Code is the stable code of the error.
func (e *lockedError) Code() string { return "POLICY_LOCKED" }

// Hint says what to do.
func (e *lockedError) Hint() string {
	return "Leave the flag out: the IT policy's value is used. Ask your IT department if you need another one."
}

// policyFlags reads the policy into f and refuses flags that contradict it.
// Flags left out are filled from the policy later, by fillFromPolicy.
func (f *connFlags) policyFlags(env Env, fs *flag.FlagSet) error {
	pol, err := loadPolicy(env)
	if err != nil {
		return err
	}
	f.policy = pol
	if pol.IsZero() {
		return nil
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	locked := func(flagName, name, value, want string, same func(a, b string) bool) error {
		if !set[flagName] || !pol.IsLocked(name) || same(value, want) {
			return nil
		}
		return &lockedError{fmt.Sprintf("--%s %s contradicts the IT policy %s: %s is locked to %s",
			flagName, value, pol.Source(), name, want)}
	}
	equal := func(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }
	if err := locked("login-url", credstore.PolicyLoginURL, f.loginURL, pol.LoginURL, connection.SameLoginURL); err != nil {
		return err
	}
	if set["login-url"] && len(pol.AllowedLoginHosts) > 0 {
		if u, err := sfclient.ParseLoginURL(f.loginURL); err == nil && !pol.HostAllowed(u.Host) {
			return &lockedError{fmt.Sprintf("--login-url %s contradicts the IT policy %s: %s allows only %s",
				f.loginURL, pol.Source(), credstore.PolicyAllowedLoginHosts, strings.Join(pol.AllowedLoginHosts, ", "))}
		}
	}
	if err := locked("client-id", credstore.PolicyClientID, f.clientID, pol.ClientID, equal); err != nil {
		return err
	}
	if err := locked("proxy", credstore.PolicyProxy, f.proxy, pol.Proxy, equal); err != nil {
		return err
	}
	if err := locked("ca-file", credstore.PolicyCAFile, f.caFile, pol.CAFile, equal); err != nil {
		return err
	}
	if set["method"] && !pol.MethodAllowed(f.method) {
		return &lockedError{fmt.Sprintf("--method %s contradicts the IT policy %s: %s allows only %s",
			f.method, pol.Source(), credstore.PolicyMethods, strings.Join(pol.Methods, ", "))}
	}
	if set["browser"] && !pol.MethodAllowed(credstore.MethodOAuthBrowser) {
		return &lockedError{fmt.Sprintf("--browser contradicts the IT policy %s: %s allows only %s",
			pol.Source(), credstore.PolicyMethods, strings.Join(pol.Methods, ", "))}
	}
	return nil
}

// fillFromPolicy takes the policy's values for the flags left out, and
// picks an allowed method when none was asked for and the default is not
// allowed.
func (f *connFlags) fillFromPolicy(browser bool) error {
	pol := f.policy
	if pol.IsZero() {
		return nil
	}
	if f.loginURL == "" {
		login, err := connection.PolicyLoginURL(pol)
		if err != nil {
			return err
		}
		f.loginURL = login
	}
	if f.method == "" && !browser && !pol.MethodAllowed(credstore.MethodSOAP) {
		i := slices.IndexFunc(pol.Methods, func(m string) bool { return m != credstore.MethodOAuthBrowser })
		if i < 0 {
			return &lockedError{fmt.Sprintf("the IT policy %s allows only browser sign-in (%s): use login --browser", pol.Source(), credstore.PolicyMethods)}
		}
		f.method = pol.Methods[i]
	}
	// Browser sign-in looks further (environment, settings) before the
	// policy's unlocked client id: loginBrowser.
	if f.clientID == "" && pol.ClientID != "" && !browser && f.method == credstore.MethodOAuthPassword {
		f.clientID = pol.ClientID
	}
	if f.proxy == "" {
		f.proxy = pol.Proxy
	}
	if f.caFile == "" {
		f.caFile = pol.CAFile
	}
	return nil
}

// policyJSON is the IT policy in status --json: whether one applied, from
// where, its values and which of them are locked.
type policyJSON struct {
	Applied bool              `json:"applied"`
	Sources []string          `json:"sources"`
	Values  *credstore.Policy `json:"values,omitempty"`
	Locked  []string          `json:"locked"`
	Error   string            `json:"error,omitempty"`
}

func describePolicy(pol credstore.Policy, err error) *policyJSON {
	out := &policyJSON{Sources: []string{}, Locked: []string{}}
	if err != nil {
		out.Error = err.Error()
		return out
	}
	if pol.IsZero() {
		return out
	}
	out.Applied, out.Sources = true, pol.Sources
	v := pol
	v.Locked = nil
	out.Values = &v
	for _, l := range pol.Locked {
		if pol.IsLocked(l) {
			out.Locked = append(out.Locked, l)
		}
	}
	return out
}

func writePolicy(w interface{ Write([]byte) (int, error) }, p *policyJSON) {
	switch {
	case p == nil:
	case p.Error != "":
		fmt.Fprintf(w, "IT policy: cannot be used: %s\n", p.Error)
	case p.Applied:
		locked := "nothing"
		if len(p.Locked) > 0 {
			locked = strings.Join(p.Locked, ", ")
		}
		fmt.Fprintf(w, "IT policy from %s; locked: %s\n", strings.Join(p.Sources, " and "), locked)
	}
}
