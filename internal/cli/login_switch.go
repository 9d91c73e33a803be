package cli

// This file holds login --browser on a saved password profile: the move
// to browser sign-in (connection.Service.SwitchToBrowser), which keeps the
// profile's name and settings and deletes its password and security token
// only once the browser signed in as the same user in the same org.

import (
	"context"
	"fmt"
	"io"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// switchKeeps are the flags of settings the switch keeps from the saved
// profile: given, they would be ignored, so they are refused.
var switchKeeps = []string{"login-url", "username", "method", "api-version", "ca-file", "proxy"}

// passwordProfile is saved profile name when it logs in with a password
// (the switch applies); false when there is none or it cannot be read.
func passwordProfile(env Env, name string) (*connection.ScrubbingStore, bool) {
	st, err := openStore(env)
	if err != nil {
		return nil, false // login --browser's own path reports it
	}
	p, err := st.Profile(name)
	if err != nil || !connection.UsesPassword(p) {
		return nil, false
	}
	return st, true
}

// loginSwitch moves saved password profile opts.Profile to browser
// sign-in.
func loginSwitch(ctx context.Context, env Env, svc *connection.Service, st *connection.ScrubbingStore, opts *loginOptions) int {
	f := &opts.conn
	for _, name := range switchKeeps {
		if f.set[name] {
			return render(env, f.json, usagef("profile %q is saved: login --browser switches it to browser sign-in and keeps its settings, so --%s is not taken "+
				"(leave it out, or sign in as a new profile with another --profile)", opts.Profile, name))
		}
	}
	svc.Store = st
	p, _ := st.Profile(opts.Profile)
	so := signInOptions(env, opts, fmt.Sprintf("Switching profile %q to browser sign-in: sign in as %s.\n", opts.Profile, p.Username), p.LoginURL)
	res := svc.SwitchToBrowserWith(ctx, opts.Profile, f.clientID, env.Getenv(ClientSecretEnv), so)
	out := asUsage(res.Outcome)
	if out.Code == connection.CodeSwitchOtherUser && !f.json {
		fmt.Fprintf(env.Stderr, "advologix-connect: %s (%s)\n  %s\n", out.Headline, out.Message, wrap(out.Hint, 70, "  "))
		return exitStatus(out)
	}
	code := renderLogin(env, opts, out, res.Callback)
	if out.Saved && !f.json {
		fmt.Fprintf(env.Stdout, "Switched from the password login: its password and security token are deleted from %s.\n", connection.KeychainName())
	}
	return code
}

// writeSwitchAdvice is status's line for a saved password profile: when
// its login stops working and how to switch.
func writeSwitchAdvice(w io.Writer, p profileStatusJSON) {
	if advice := connection.SwitchAdvice(credstore.Profile{Name: p.Name, Method: p.Method}); advice != "" {
		fmt.Fprintf(w, "    %s\n", wrap(advice, 70, "    "))
	}
}
