package cli

import (
	"context"
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
		return render(env, jsonWanted(args), usagef("%v", err))
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
		return render(env, opts.JSON, connection.Failed(credstore.Profile{Name: opts.Profile}, err))
	}
	pol, err := loadPolicy(ctx, env, opts.Timeout)
	if err != nil {
		return render(env, opts.JSON, connection.Failed(credstore.Profile{Name: opts.Profile}, err))
	}
	svc := &connection.Service{Store: st, Policy: pol, Timeout: opts.Timeout, Getenv: env.Getenv, Scrub: env.scrub}
	out := svc.Session(ctx, opts.Profile)
	if !out.OK() {
		return render(env, opts.JSON, out.Outcome)
	}
	// Standard output goes to programs, standard error to the admin
	// running them: only what concerns this session (a rotated refresh
	// token that could not be kept), not the login host's notes that
	// check shows.
	hostNotes := map[string]bool{}
	if u, err := sfclient.ParseLoginURL(out.Profile.LoginURL); err == nil {
		for _, w := range u.Warnings {
			hostNotes[w] = true
		}
	}
	for _, w := range out.Warnings {
		if !hostNotes[w] {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
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
