package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// policyReadTimeout bounds reading the IT policy when the command has no
// time limit of its own (status, diagnose).
const policyReadTimeout = 5 * time.Second

// loadPolicy reads the IT policy within the command's deadline: ctx's,
// and at most limit (the command's --timeout; 0: policyReadTimeout).
// env.LoadPolicy, else this computer's. A read that does not end in time
// (a file system that hangs) is a POLICY_INVALID error, and a command
// cancelled meanwhile (SIGTERM, Ctrl-C) ends at once.
func loadPolicy(ctx context.Context, env Env, limit time.Duration) (credstore.Policy, error) {
	if limit <= 0 {
		limit = policyReadTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if env.LoadPolicy == nil {
		return credstore.LoadPolicyContext(ctx)
	}
	return env.LoadPolicy(ctx)
}

// lockedf is connection.Locked with a formatted message: a flag that
// contradicts the IT policy (exit 2, nothing was sent).
func lockedf(format string, a ...any) *connection.Outcome {
	o := connection.Locked(fmt.Sprintf(format, a...))
	return &o
}

// readPolicy reads the IT policy within ctx and the command's --timeout,
// and refuses flags that contradict it. Flags left out are filled from
// the policy later, by fillFromPolicy.
func (f *connFlags) readPolicy(ctx context.Context, env Env) (credstore.Policy, *connection.Outcome) {
	pol, err := loadPolicy(ctx, env, f.timeout)
	if err != nil {
		o := connection.Failed(credstore.Profile{}, err)
		return pol, &o
	}
	if pol.IsZero() {
		return pol, nil
	}
	set := f.set
	locked := func(flagName, name, value, want string, same func(a, b string) bool) *connection.Outcome {
		if !set[flagName] || !pol.IsLocked(name) || same(value, want) {
			return nil
		}
		return lockedf("--%s %s contradicts the IT policy %s: %s is locked to %s",
			flagName, value, pol.Source(), name, want)
	}
	equal := func(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }
	if o := locked("login-url", credstore.PolicyLoginURL, f.loginURL, pol.LoginURL, connection.SameLoginURL); o != nil {
		return pol, o
	}
	if set["login-url"] && len(pol.AllowedLoginHosts) > 0 {
		if u, err := sfclient.ParseLoginURL(f.loginURL); err == nil && !pol.HostAllowed(u.Host) {
			return pol, lockedf("--login-url %s contradicts the IT policy %s: %s allows only %s",
				f.loginURL, pol.Source(), credstore.PolicyAllowedLoginHosts, strings.Join(pol.AllowedLoginHosts, ", "))
		}
	}
	if o := locked("client-id", credstore.PolicyClientID, f.clientID, pol.ClientID, equal); o != nil {
		return pol, o
	}
	if o := locked("proxy", credstore.PolicyProxy, f.proxy, pol.Proxy, equal); o != nil {
		return pol, o
	}
	if o := locked("ca-file", credstore.PolicyCAFile, f.caFile, pol.CAFile, equal); o != nil {
		return pol, o
	}
	if set["method"] && !pol.MethodAllowed(f.method) {
		return pol, lockedf("--method %s contradicts the IT policy %s: %s allows only %s",
			f.method, pol.Source(), credstore.PolicyMethods, strings.Join(pol.Methods, ", "))
	}
	if set["browser"] && !pol.MethodAllowed(credstore.MethodOAuthBrowser) {
		return pol, lockedf("--browser contradicts the IT policy %s: %s allows only %s",
			pol.Source(), credstore.PolicyMethods, strings.Join(pol.Methods, ", "))
	}
	return pol, nil
}

// fillFromPolicy takes the policy's values for the flags left out, and
// picks an allowed method when none was asked for and the default is not
// allowed.
func (f *connFlags) fillFromPolicy(pol credstore.Policy, browser bool) *connection.Outcome {
	if pol.IsZero() {
		return nil
	}
	if f.loginURL == "" {
		login, err := connection.PolicyLoginURL(pol)
		if err != nil {
			o := connection.Failed(credstore.Profile{}, err)
			return &o
		}
		f.loginURL = login
	}
	if f.method == "" && !browser && !pol.MethodAllowed(credstore.MethodSOAP) {
		i := slices.IndexFunc(pol.Methods, func(m string) bool { return m != credstore.MethodOAuthBrowser })
		if i < 0 {
			return lockedf("the IT policy %s allows only browser sign-in (%s): use login --browser", pol.Source(), credstore.PolicyMethods)
		}
		f.method = pol.Methods[i]
	}
	// Browser sign-in looks further (environment, settings) before the
	// policy's unlocked client id: connection.Service.ClientID.
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
