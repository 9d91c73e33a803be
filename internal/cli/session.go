package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// sessionOptions are session's flags.
type sessionOptions struct {
	Profile string
	JSON    bool
	Timeout time.Duration
}

// newCmdSession parses session's flags into its options.
func newCmdSession(args []string) (*sessionOptions, error) {
	opts := &sessionOptions{}
	fs := newFlagSet("session")
	fs.StringVar(&opts.Profile, "profile", "", "saved profile to log in with (default: the default profile)")
	fs.BoolVar(&opts.JSON, "json", false, "print one JSON object")
	fs.DurationVar(&opts.Timeout, "timeout", sfclient.DefaultTimeout, "time limit of the login")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return opts, nil
}

func runSession(ctx context.Context, env Env, args []string) int {
	opts, err := newCmdSession(args)
	if err != nil {
		return fail(env, jsonWanted(args), err)
	}
	return sessionRun(ctx, env, opts)
}

// sessionJSON is session --json's answer. expires_at is absent when
// Salesforce does not say (OAuth).
type sessionJSON struct {
	AccessToken    string `json:"access_token"`
	InstanceURL    string `json:"instance_url"`
	OrganizationID string `json:"organization_id"`
	UserID         string `json:"user_id"`
	Username       string `json:"username"`
	IssuedAt       string `json:"issued_at"`
	ExpiresAt      string `json:"expires_at,omitempty"`
}

// sessionRun logs in once with the profile and prints the session; a
// failed login is reported as check reports it, and exits 1.
func sessionRun(ctx context.Context, env Env, opts *sessionOptions) int {
	st, err := openStore(env)
	if err != nil {
		return fail(env, opts.JSON, err)
	}
	var p credstore.Profile
	if opts.Profile == "" {
		p, err = st.Default()
	} else {
		p, err = st.Profile(opts.Profile)
	}
	if errors.Is(err, credstore.ErrNotFound) {
		return fail(env, opts.JSON, noProfile(opts.Profile))
	}
	if err != nil {
		return fail(env, opts.JSON, err)
	}
	pol, err := loadPolicy(env)
	if err != nil {
		return fail(env, opts.JSON, err)
	}
	if p, err = connection.ApplyPolicy(p, pol); err != nil {
		return fail(env, opts.JSON, err)
	}
	if p.Interrupted() && !opts.JSON {
		fmt.Fprintf(env.Stderr, "warning: the last save of profile %q was interrupted; if the login fails, enter the credentials again\n", p.Name)
	}
	out := connection.OpenSession(ctx, st, p, opts.Timeout)
	var ce *sfclient.ConfigError
	switch {
	case errors.As(out.Err, &ce):
		return fail(env, opts.JSON, &codedError{"INVALID_PROFILE", fmt.Sprintf("profile %q: %v", p.Name, ce), "Correct the profile in Settings, or save it again with advologix-connect login."})
	case out.Err != nil:
		return fail(env, opts.JSON, out.Err)
	}
	if out.Warning != nil {
		fmt.Fprintf(env.Stderr, "warning: %v\n", out.Warning)
	}
	if !out.OK() {
		return report(env, opts.JSON, out.Result)
	}
	writeSession(env.Stdout, opts.JSON, out.Session)
	return ExitOK
}

// writeSession prints the session: one JSON object, or KEY=value lines
// (no quoting; the values hold no '=' or newline). The token goes only
// here, to standard output.
func writeSession(w io.Writer, asJSON bool, s connection.Session) {
	j := sessionJSON{
		AccessToken: s.AccessToken, InstanceURL: s.InstanceURL, OrganizationID: s.OrganizationID,
		UserID: s.UserID, Username: s.Username, IssuedAt: s.IssuedAt.UTC().Format(time.RFC3339),
	}
	if !s.ExpiresAt.IsZero() {
		j.ExpiresAt = s.ExpiresAt.UTC().Format(time.RFC3339)
	}
	if asJSON {
		writeJSON(w, j)
		return
	}
	fmt.Fprintf(w, "access_token=%s\ninstance_url=%s\norganization_id=%s\nuser_id=%s\nusername=%s\nissued_at=%s\n",
		j.AccessToken, j.InstanceURL, j.OrganizationID, j.UserID, j.Username, j.IssuedAt)
	if j.ExpiresAt != "" {
		fmt.Fprintf(w, "expires_at=%s\n", j.ExpiresAt)
	}
}
