package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// DefaultProfile is the profile name used when --profile is absent.
const DefaultProfile = "default"

// loginJSON is login's --json answer: the check's fields plus what was saved.
type loginJSON struct {
	sfclient.Result
	Profile string `json:"profile"`
	Saved   bool   `json:"saved"`
	Default bool   `json:"default"`
	// SignInMS is, for browser sign-in, the time from the browser's
	// redirect to the saved profile.
	SignInMS int64 `json:"signin_ms,omitempty"`
}

// loginOptions are login's flags.
type loginOptions struct {
	conn                          connFlags
	Profile                       string
	NoCheck, MakeDefault, Browser bool
	CallbackPort                  int
	BrowserTimeout                time.Duration
}

// newCmdLogin parses login's flags into its options; its errors are usage
// errors.
func newCmdLogin(args []string) (*loginOptions, error) {
	opts := &loginOptions{}
	fs := newFlagSet("login")
	opts.conn.register(fs)
	fs.StringVar(&opts.Profile, "profile", DefaultProfile, "profile name")
	fs.BoolVar(&opts.NoCheck, "no-check", false, "save without testing")
	fs.BoolVar(&opts.MakeDefault, "default", false, "make this the default profile")
	fs.BoolVar(&opts.Browser, "browser", false, "sign in through the browser")
	fs.IntVar(&opts.CallbackPort, "callback-port", sfclient.DefaultCallbackPort, "loopback port of the sign-in callback")
	fs.DurationVar(&opts.BrowserTimeout, "browser-timeout", sfclient.DefaultSignInTimeout, "how long to wait for the browser sign-in")
	if err := opts.conn.parse(fs, args); err != nil {
		return opts, err
	}
	if err := credstore.ValidateName(opts.Profile); err != nil {
		return opts, fmt.Errorf("--profile: %w", err)
	}
	f := &opts.conn
	switch {
	case opts.Browser && (f.passwordStdin || opts.NoCheck):
		return opts, fmt.Errorf("--browser takes no password: leave out --password-stdin and --no-check")
	case opts.Browser && (opts.CallbackPort < 0 || opts.CallbackPort > 65535):
		return opts, fmt.Errorf("--callback-port %d is not a port", opts.CallbackPort)
	}
	return opts, nil
}

func runLogin(ctx context.Context, env Env, args []string) int {
	opts, err := newCmdLogin(args)
	if err != nil {
		return render(env, opts.conn.json, usagef("%v", err))
	}
	return loginRun(ctx, env, opts)
}

// loginRun tests the credentials and saves them when the login works (or
// with --no-check), or signs in through the browser and saves the refresh
// token.
func loginRun(ctx context.Context, env Env, opts *loginOptions) int {
	f := &opts.conn
	pol, stop := f.readPolicy(ctx, env)
	if stop == nil {
		stop = f.fillFromPolicy(pol, opts.Browser)
	}
	if stop != nil {
		return render(env, f.json, *stop)
	}
	svc := &connection.Service{Policy: pol, Timeout: f.timeout, Getenv: env.Getenv, Scrub: env.scrub}
	if opts.Browser {
		return loginBrowser(ctx, env, svc, opts)
	}
	if f.loginURL == "" || f.username == "" {
		return render(env, f.json, usagef("login needs --login-url and --username"))
	}
	if f.method == credstore.MethodOAuthBrowser {
		return render(env, f.json, usagef("use --browser for browser sign-in"))
	}
	// Fail on the settings before asking for a password; no name, so the
	// message is about the flag, not a profile.
	p, stop := svc.Prepare(f.profile(""))
	if stop != nil {
		return render(env, f.json, asUsage(*stop))
	}
	p.Name = opts.Profile
	sec, stop := readSecrets(env, f.passwordStdin, f.username)
	if stop != nil {
		return render(env, f.json, *stop)
	}
	st, err := openStore(env)
	if err != nil {
		return render(env, f.json, connection.Failed(p, err))
	}
	svc.Store = st
	out := svc.TestAndSave(ctx, p, sec, connection.SaveOptions{NoCheck: opts.NoCheck, MakeDefault: opts.MakeDefault})
	return renderLogin(env, opts, out, 0)
}

// renderLogin prints what login did and returns its exit status: the
// saved profile, the failed test (nothing saved), or the failure that
// stopped it.
func renderLogin(env Env, opts *loginOptions, out connection.Outcome, signIn time.Duration) int {
	asJSON := opts.conn.json
	j := loginJSON{Result: out.Result, Profile: opts.Profile, Saved: out.Saved, Default: out.Default}
	switch {
	case out.Saved:
		if asJSON {
			if opts.Browser {
				j.SignInMS = signIn.Milliseconds()
			}
			writeJSON(env.Stdout, j)
			return exitStatus(out)
		}
		writeWarnings(env.Stderr, out.Warnings)
		if out.Checked {
			writeHuman(env.Stdout, out.Result)
		}
		if opts.Browser {
			fmt.Fprintf(env.Stdout, "Saved profile %q%s: its refresh token is in %s; no password is stored.\n", opts.Profile, defaultNote(out.Default), connection.KeychainName())
		} else {
			fmt.Fprintf(env.Stdout, "Saved profile %q%s; its secrets are in %s.\n", opts.Profile, defaultNote(out.Default), connection.KeychainName())
		}
		return exitStatus(out)
	case !opts.Browser && out.Checked && !out.Result.OK:
		// The test failed: nothing was saved.
		if asJSON {
			writeJSON(env.Stdout, j)
		} else {
			writeHuman(env.Stdout, out.Result)
			fmt.Fprintf(env.Stdout, "Not saved: the test failed. Fix the credentials, or save anyway with --no-check.\n")
		}
		return exitStatus(out)
	}
	renderFailure(env, asJSON, out)
	return exitStatus(out)
}

func defaultNote(isDefault bool) string {
	if isDefault {
		return " (the default)"
	}
	return ""
}

// logoutOptions are logout's flags.
type logoutOptions struct {
	Profile string
	JSON    bool
}

// newCmdLogout parses logout's flags; its errors are usage errors.
func newCmdLogout(args []string) (*logoutOptions, error) {
	opts := &logoutOptions{}
	fs := newFlagSet("logout")
	fs.StringVar(&opts.Profile, "profile", DefaultProfile, "profile name")
	fs.BoolVar(&opts.JSON, "json", false, "print one JSON object")
	return opts, parseFlags(fs, args)
}

func runLogout(ctx context.Context, env Env, args []string) int {
	opts, err := newCmdLogout(args)
	if err != nil {
		return render(env, opts.JSON, usagef("%v", err))
	}
	return logoutRun(ctx, env, opts)
}

// logoutRun removes the profile and its secrets.
func logoutRun(ctx context.Context, env Env, opts *logoutOptions) int {
	st, err := openStore(env)
	if err != nil {
		return render(env, opts.JSON, connection.Failed(credstore.Profile{Name: opts.Profile}, err))
	}
	svc := &connection.Service{Store: st, Scrub: env.scrub}
	out := svc.Remove(ctx, opts.Profile)
	if !out.OK() {
		return render(env, opts.JSON, out)
	}
	if opts.JSON {
		writeJSON(env.Stdout, map[string]any{"ok": true, "profile": opts.Profile, "removed": true})
	} else {
		fmt.Fprintf(env.Stdout, "Removed profile %q and its secrets from %s.\n", opts.Profile, connection.KeychainName())
	}
	return ExitOK
}

// statusJSON is status's --json answer.
type statusJSON struct {
	OK           bool                `json:"ok"`
	Code         string              `json:"code"`
	Message      string              `json:"message"`
	Hint         string              `json:"hint"`
	SettingsPath string              `json:"settings_path"`
	Default      string              `json:"default"`
	Profiles     []profileStatusJSON `json:"profiles"`
	Policy       *policyJSON         `json:"policy"`
}

type profileStatusJSON struct {
	Name            string          `json:"name"`
	Default         bool            `json:"default"`
	LoginURL        string          `json:"login_url"`
	Username        string          `json:"username"`
	Method          string          `json:"method"`
	Secrets         map[string]bool `json:"secrets"`
	Complete        bool            `json:"complete"`
	SaveInterrupted bool            `json:"save_interrupted"`
	// PasswordLoginEnds is, for a password profile, when Salesforce stops
	// taking its login ("Summer '27", "20 February 2027"): switch it to
	// browser sign-in before.
	PasswordLoginEnds string `json:"password_login_ends,omitempty"`
	// The last test of the profile as saved: tested is not_tested,
	// changed_since_test, connected or failing (the tray says the same).
	Tested       string     `json:"tested"`
	TestedAt     *time.Time `json:"tested_at,omitempty"`
	TestCode     string     `json:"test_code,omitempty"`
	TestHeadline string     `json:"test_headline,omitempty"`
	// SignInAgain: Salesforce refused the saved browser sign-in; code
	// and hint say so until the user signs in again.
	SignInAgain bool   `json:"sign_in_again"`
	Code        string `json:"code,omitempty"`
	Hint        string `json:"hint,omitempty"`
}

// statusOptions are status's flags.
type statusOptions struct{ JSON bool }

// newCmdStatus parses status's flags; its errors are usage errors.
func newCmdStatus(args []string) (*statusOptions, error) {
	opts := &statusOptions{}
	fs := newFlagSet("status")
	fs.BoolVar(&opts.JSON, "json", false, "print one JSON object")
	return opts, parseFlags(fs, args)
}

func runStatus(ctx context.Context, env Env, args []string) int {
	opts, err := newCmdStatus(args)
	if err != nil {
		return render(env, opts.JSON, usagef("%v", err))
	}
	return statusRun(ctx, env, opts)
}

// statusRun lists the profiles, their secrets and the IT policy; it fails
// when anything is missing or cannot be read.
func statusRun(ctx context.Context, env Env, opts *statusOptions) int {
	st, err := openStore(env)
	if err != nil {
		return render(env, opts.JSON, connection.Failed(credstore.Profile{}, err))
	}
	rep := connection.Status(ctx, st)
	pol, polErr := loadPolicy(ctx, env, 0)
	o := rep.Outcome
	if polErr != nil && (o.OK() || o.Code == connection.CodeProfileNotFound) {
		o = connection.Failed(credstore.Profile{}, polErr)
	}
	out := statusJSON{OK: o.OK() && rep.Complete(), Code: string(o.Code), Message: o.Message, Hint: o.Hint,
		SettingsPath: rep.SettingsPath, Default: rep.Default, Profiles: []profileStatusJSON{}, Policy: describePolicy(pol, polErr)}
	state := connection.LoadState(st)
	for _, ps := range rep.Profiles {
		pj := profileStatusJSON{
			Name: ps.Profile.Name, Default: ps.IsDefault, LoginURL: ps.Profile.LoginURL, Username: ps.Profile.Username,
			Method: ps.Profile.Method, Secrets: ps.Present, Complete: ps.OK(), SaveInterrupted: ps.Interrupted,
			PasswordLoginEnds: connection.PasswordEnds(ps.Profile),
		}
		if t, ok := state.Profile(ps.Profile.Name); ok {
			pj.Tested = t.Tested.String()
			if t.Tested != connection.NotTested {
				pj.TestedAt, pj.TestCode, pj.TestHeadline = &t.At, string(t.Result.Code), t.Result.Headline
			}
			markSignInAgain(&out, &pj, t)
		}
		out.Profiles = append(out.Profiles, pj)
	}
	if opts.JSON {
		writeJSON(env.Stdout, out)
	} else {
		writeStatus(env.Stdout, out)
	}
	if out.OK {
		return ExitOK
	}
	return ExitFail
}

func writeStatus(w io.Writer, s statusJSON) {
	if s.Code != "" {
		fmt.Fprintf(w, "%s\n  %s\n", s.Message, wrap(s.Hint, 70, "  "))
	}
	for _, p := range s.Profiles {
		mark := " "
		if p.Default {
			mark = "*"
		}
		fmt.Fprintf(w, "%s %-16s %s on %s (%s)\n", mark, p.Name, p.Username, p.LoginURL, sfclient.Method(p.Method).Label())
		kinds := make([]string, 0, len(p.Secrets))
		for k := range p.Secrets {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		var have, missing []string
		for _, k := range kinds {
			if p.Secrets[k] {
				have = append(have, k)
			} else {
				missing = append(missing, k)
			}
		}
		line := "in keychain: " + orNone(have)
		if len(missing) > 0 {
			line += "; MISSING: " + strings.Join(missing, ", ")
		}
		fmt.Fprintf(w, "    %s\n", line)
		if p.SaveInterrupted {
			fmt.Fprintf(w, "    the last save was interrupted: test it, or save it again\n")
		}
		writeSwitchAdvice(w, p)
		if p.Tested != "" {
			fmt.Fprintf(w, "    last test: %s\n", strings.ReplaceAll(p.Tested, "_", " "))
		}
		if p.SignInAgain {
			fmt.Fprintf(w, "    %s\n", wrap(p.Hint, 70, "    "))
		}
	}
	if len(s.Profiles) > 0 {
		fmt.Fprintf(w, "(* default)  settings: %s\n", s.SettingsPath)
	}
	writePolicy(w, s.Policy)
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "nothing"
	}
	return strings.Join(list, ", ")
}
