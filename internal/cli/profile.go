package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/browser"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// DefaultProfile is the profile name used when --profile is absent.
const DefaultProfile = "default"

// codedError is an error with a stable code and a hint, for --json.
type codedError struct {
	code, msg, hint string
}

func (e *codedError) Error() string { return e.msg }
func (e *codedError) Code() string  { return e.code }
func (e *codedError) Hint() string  { return e.hint }

func openStore(env Env) (*credstore.Store, error) {
	if env.OpenStore == nil {
		return credstore.Open(credstore.Options{})
	}
	return env.OpenStore()
}

// noProfile explains a missing profile.
func noProfile(name string) error {
	if name == "" {
		return &codedError{"PROFILE_NOT_FOUND", "no profile is saved yet",
			"Set one up: run advologix-connect (the set-up wizard) or advologix-connect login --profile default --login-url … --username … --password-stdin."}
	}
	return &codedError{"PROFILE_NOT_FOUND", fmt.Sprintf("no profile named %q", name),
		"See the saved profiles with advologix-connect status."}
}

// checkSaved tests a saved profile: the named one, else the default.
func checkSaved(ctx context.Context, env Env, f connFlags, name string, explain explainMode) int {
	st, err := openStore(env)
	if err != nil {
		return fail(env, f.json, err)
	}
	var p credstore.Profile
	if name == "" {
		p, err = st.Default()
	} else {
		p, err = st.Profile(name)
	}
	if errors.Is(err, credstore.ErrNotFound) {
		return fail(env, f.json, noProfile(name))
	}
	if err != nil {
		return fail(env, f.json, err)
	}
	if p, err = connection.ApplyPolicy(p, f.policy); err != nil {
		return fail(env, f.json, err)
	}
	if p.Interrupted() && !f.json {
		fmt.Fprintf(env.Stderr, "warning: the last save of profile %q was interrupted; if the test fails, enter the credentials again\n", p.Name)
	}
	start := time.Now()
	res, err := connection.CheckSaved(ctx, st, p, f.timeout)
	if explain.on && res.Method != "" {
		res = explainFailure(ctx, env, f, connection.Attempt{Profile: p, Result: res, Start: start, End: time.Now()}, explain.asked)
	}
	var ce *sfclient.ConfigError
	switch {
	case errors.As(err, &ce):
		return fail(env, f.json, &codedError{"INVALID_PROFILE", fmt.Sprintf("profile %q: %v", p.Name, ce), "Correct the profile in Settings, or save it again with advologix-connect login."})
	case err != nil && res.Method == "":
		return fail(env, f.json, err)
	case err != nil:
		fmt.Fprintf(env.Stderr, "warning: %v\n", err)
	}
	return report(env, f.json, res)
}

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

func runLogin(ctx context.Context, env Env, args []string) int {
	var f connFlags
	var name string
	var noCheck, makeDefault, useBrowser bool
	var port int
	var browserTimeout time.Duration
	fs := newFlagSet("login")
	f.register(fs)
	fs.StringVar(&name, "profile", DefaultProfile, "profile name")
	fs.BoolVar(&noCheck, "no-check", false, "save without testing")
	fs.BoolVar(&makeDefault, "default", false, "make this the default profile")
	fs.BoolVar(&useBrowser, "browser", false, "sign in through the browser")
	fs.IntVar(&port, "callback-port", sfclient.DefaultCallbackPort, "loopback port of the sign-in callback")
	fs.DurationVar(&browserTimeout, "browser-timeout", sfclient.DefaultSignInTimeout, "how long to wait for the browser sign-in")
	if err := parseFlags(fs, args); err != nil {
		return fail(env, f.json, err)
	}
	if err := credstore.ValidateName(name); err != nil {
		return fail(env, f.json, usagef("--profile: %v", err))
	}
	if err := f.policyFlags(env, fs); err != nil {
		return fail(env, f.json, err)
	}
	if err := f.fillFromPolicy(useBrowser); err != nil {
		return fail(env, f.json, err)
	}
	if useBrowser {
		if f.passwordStdin || noCheck {
			return fail(env, f.json, usagef("--browser takes no password: leave out --password-stdin and --no-check"))
		}
		if port < 1 || port > 65535 {
			return fail(env, f.json, usagef("--callback-port %d is not a port", port))
		}
		return loginBrowser(ctx, env, f, name, port, browserTimeout, makeDefault)
	}
	if f.loginURL == "" || f.username == "" {
		return fail(env, f.json, usagef("login needs --login-url and --username"))
	}
	login, err := sfclient.ParseLoginURL(f.loginURL)
	if err != nil {
		return fail(env, f.json, usageOrConfig(err))
	}
	method, err := sfclient.ParseMethod(f.method)
	if err != nil {
		return fail(env, f.json, usageOrConfig(err))
	}
	if method == sfclient.MethodOAuthBrowser {
		return fail(env, f.json, usagef("use --browser for browser sign-in"))
	}
	p := credstore.Profile{
		Name: name, LoginURL: login.URL, Username: f.username, Method: string(method),
		ClientID: f.clientID, APIVersion: f.apiVersion, CAFile: f.caFile, Proxy: f.proxy,
	}
	if p, err = connection.ApplyPolicy(p, f.policy); err != nil {
		return fail(env, f.json, err)
	}
	// Fail on the settings before spending a login attempt on them.
	if _, err := sfclient.New(connection.Config(p, f.timeout)); err != nil {
		return fail(env, f.json, usageOrConfig(err))
	}
	creds, err := readCredentials(env, f.passwordStdin, f.username)
	if err != nil {
		return fail(env, f.json, err)
	}
	// Nothing that cannot be a credential is tested or saved.
	var inputErr *sfclient.InputError
	if errors.As(sfclient.ValidateCredentials(creds), &inputErr) {
		return fail(env, f.json, &malformedError{inputErr})
	}
	sec := connection.SecretsFor(p, credstore.Secrets{
		Password: creds.Password, SecurityToken: creds.SecurityToken, ClientSecret: env.Getenv(ClientSecretEnv),
	})
	st, err := openStore(env)
	if err != nil {
		return fail(env, f.json, err)
	}
	// A keychain that cannot save makes the login attempt pointless.
	if err := st.Probe(ctx); err != nil {
		return fail(env, f.json, err)
	}
	out := loginJSON{Profile: name}
	if noCheck {
		out.Result = sfclient.Result{OK: true, Method: method, LoginURL: login.URL, Username: f.username, Headline: "Saved without a test"}
	} else {
		out.Result, _ = connection.Check(ctx, p, sec, f.timeout)
		if !out.OK {
			if f.json {
				writeJSON(env.Stdout, out)
			} else {
				writeHuman(env.Stdout, out.Result)
				fmt.Fprintf(env.Stdout, "Not saved: the test failed. Fix the credentials, or save anyway with --no-check.\n")
			}
			return ExitFail
		}
	}
	if err := saveLogin(ctx, st, p, sec, makeDefault, &out); err != nil {
		return fail(env, f.json, err)
	}
	if f.json {
		writeJSON(env.Stdout, out)
		return ExitOK
	}
	for _, w := range out.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
	if !noCheck {
		writeHuman(env.Stdout, out.Result)
	}
	fmt.Fprintf(env.Stdout, "Saved profile %q%s; its secrets are in the %s.\n", name, defaultNote(out.Default), keychainName())
	return ExitOK
}

// saveLogin stores a tested profile and records what happened in out.
func saveLogin(ctx context.Context, st *credstore.Store, p credstore.Profile, sec credstore.Secrets, makeDefault bool, out *loginJSON) error {
	if err := st.Save(ctx, p, sec); err != nil {
		return err
	}
	if makeDefault {
		if err := st.SetDefault(p.Name); err != nil {
			return err
		}
	}
	out.Saved = true
	if s, err := st.Load(); err == nil {
		out.Default = s.Default == p.Name
	}
	return nil
}

// loginBrowser signs in through the browser (OAuth web-server flow with
// PKCE) and saves the refresh token; no password is stored.
func loginBrowser(ctx context.Context, env Env, f connFlags, name string, port int, wait time.Duration, makeDefault bool) int {
	if f.loginURL == "" {
		return fail(env, f.json, usagef("login --browser needs --login-url"))
	}
	login, err := sfclient.ParseLoginURL(f.loginURL)
	if err != nil {
		return fail(env, f.json, usageOrConfig(err))
	}
	st, err := openStore(env)
	if err != nil {
		return fail(env, f.json, err)
	}
	clientID := f.clientID
	if clientID == "" {
		settings, err := st.Load()
		if err != nil {
			return fail(env, f.json, err)
		}
		clientID = connection.DefaultClientID(settings.Prefs, env.Getenv)
	}
	if f.policy.ClientID != "" && (clientID == "" || f.policy.IsLocked(credstore.PolicyClientID)) {
		clientID = f.policy.ClientID
	}
	if clientID == "" {
		return fail(env, f.json, usagef("browser sign-in needs the connected app's consumer key: --client-id, $%s, or default_client_id in the settings file", connection.ClientIDEnv))
	}
	p := credstore.Profile{Name: name, LoginURL: login.URL, Username: f.username, Method: credstore.MethodOAuthBrowser,
		ClientID: clientID, APIVersion: f.apiVersion, CAFile: f.caFile, Proxy: f.proxy}
	if p, err = connection.ApplyPolicy(p, f.policy); err != nil {
		return fail(env, f.json, err)
	}
	if _, err := sfclient.New(connection.Config(p, f.timeout)); err != nil {
		return fail(env, f.json, usageOrConfig(err))
	}
	if err := st.Probe(ctx); err != nil {
		return fail(env, f.json, err)
	}
	open := env.OpenBrowser
	if open == nil {
		open = browser.Open
	}
	opts := sfclient.SignInOptions{Port: port, Timeout: wait, Open: open,
		Waiting: func(authURL string) {
			fmt.Fprintf(env.Stderr, "Opening your browser to sign in at %s (waiting up to %s).\nIf it does not open, visit:\n  %s\n", login.URL, wait, authURL)
		}}
	p, sec, res, err := connection.SignIn(ctx, p, env.Getenv(ClientSecretEnv), f.timeout, opts)
	if err != nil {
		var se *sfclient.SignInError
		if errors.As(err, &se) {
			return fail(env, f.json, &codedError{code: string(se.Code), msg: se.Error(), hint: se.Hint()})
		}
		return fail(env, f.json, usageOrConfig(err))
	}
	returned := time.Now()
	out := loginJSON{Result: res.Result, Profile: name}
	if err := saveLogin(ctx, st, p, sec, makeDefault, &out); err != nil {
		return fail(env, f.json, err)
	}
	out.SignInMS = (res.Callback + time.Since(returned)).Milliseconds()
	if f.json {
		writeJSON(env.Stdout, out)
		return ExitOK
	}
	writeHuman(env.Stdout, out.Result)
	fmt.Fprintf(env.Stdout, "Saved profile %q%s: its refresh token is in the %s; no password is stored.\n", name, defaultNote(out.Default), keychainName())
	return ExitOK
}

func defaultNote(isDefault bool) string {
	if isDefault {
		return " (the default)"
	}
	return ""
}

func runLogout(ctx context.Context, env Env, args []string) int {
	var name string
	var asJSON bool
	fs := newFlagSet("logout")
	fs.StringVar(&name, "profile", DefaultProfile, "profile name")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	if err := parseFlags(fs, args); err != nil {
		return fail(env, asJSON, err)
	}
	st, err := openStore(env)
	if err != nil {
		return fail(env, asJSON, err)
	}
	if err := st.Delete(ctx, name); err != nil {
		if errors.Is(err, credstore.ErrNotFound) {
			err = noProfile(name)
		}
		return fail(env, asJSON, err)
	}
	if asJSON {
		writeJSON(env.Stdout, map[string]any{"ok": true, "profile": name, "removed": true})
	} else {
		fmt.Fprintf(env.Stdout, "Removed profile %q and its secrets from the %s.\n", name, keychainName())
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
}

func runStatus(ctx context.Context, env Env, args []string) int {
	var asJSON bool
	fs := newFlagSet("status")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	if err := parseFlags(fs, args); err != nil {
		return fail(env, asJSON, err)
	}
	st, err := openStore(env)
	if err != nil {
		return fail(env, asJSON, err)
	}
	settings, err := st.Load()
	if err != nil {
		return fail(env, asJSON, err)
	}
	out := statusJSON{OK: true, SettingsPath: st.Path(), Default: settings.Default, Profiles: []profileStatusJSON{}}
	pol, polErr := loadPolicy(env)
	out.Policy = describePolicy(pol, polErr)
	statuses, err := st.Status(ctx)
	if err != nil {
		var coded interface {
			Code() string
			Hint() string
		}
		out.OK, out.Message = false, err.Error()
		if errors.As(err, &coded) {
			out.Code, out.Hint = coded.Code(), coded.Hint()
		}
	}
	for _, ps := range statuses {
		out.Profiles = append(out.Profiles, profileStatusJSON{
			Name: ps.Profile.Name, Default: ps.IsDefault, LoginURL: ps.Profile.LoginURL, Username: ps.Profile.Username,
			Method: ps.Profile.Method, Secrets: ps.Present, Complete: ps.OK(), SaveInterrupted: ps.Interrupted,
		})
		out.OK = out.OK && ps.OK()
	}
	if polErr != nil && out.Code == "" {
		out.OK, out.Message, out.Code, out.Hint = false, polErr.Error(), "POLICY_INVALID", hintOf(polErr)
	}
	if len(out.Profiles) == 0 && out.Code == "" {
		e := noProfile("").(*codedError)
		out.OK, out.Code, out.Message, out.Hint = false, e.code, e.msg, e.hint
	}
	if asJSON {
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
