package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// ClientSecretEnv names the environment variable with the OAuth consumer
// secret (absent = public client).
const ClientSecretEnv = "ADVOLOGIX_CLIENT_SECRET"

// connFlags are the flags that say where and how to log in.
type connFlags struct {
	loginURL, username, method, clientID, apiVersion, caFile, proxy string
	timeout                                                         time.Duration
	passwordStdin, json                                             bool
	// set names the flags given on the command line.
	set map[string]bool
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.loginURL, "login-url", "", "login address")
	fs.StringVar(&c.username, "username", "", "Salesforce username")
	fs.BoolVar(&c.passwordStdin, "password-stdin", false, "read password (line 1) and security token (line 2) from standard input")
	fs.StringVar(&c.method, "method", "", "soap or oauth-password")
	fs.StringVar(&c.clientID, "client-id", "", "OAuth consumer key")
	fs.StringVar(&c.apiVersion, "api-version", "", "API version, default "+sfclient.DefaultAPIVersion)
	fs.DurationVar(&c.timeout, "timeout", sfclient.DefaultTimeout, "time limit of the whole attempt")
	fs.StringVar(&c.caFile, "ca-file", "", "extra trusted root certificates (PEM)")
	fs.StringVar(&c.proxy, "proxy", "", "proxy URL (default: HTTPS_PROXY)")
	fs.BoolVar(&c.json, "json", false, "print one JSON object")
}

// parse parses args into c and records which flags were given.
func (c *connFlags) parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { c.set[fl.Name] = true })
	return nil
}

// profile is the profile the flags describe (method as typed: "" is SOAP).
func (c *connFlags) profile(name string) credstore.Profile {
	return credstore.Profile{Name: name, LoginURL: c.loginURL, Username: c.username, Method: c.method,
		ClientID: c.clientID, APIVersion: c.apiVersion, CAFile: c.caFile, Proxy: c.proxy}
}

// checkOptions are check's flags.
type checkOptions struct {
	conn connFlags
	// Profile names the saved profile to test; "" with no --login-url,
	// --username or --password-stdin: the default one.
	Profile string
	Explain explainMode
}

// saved reports whether check tests a saved profile rather than the flags.
func (o *checkOptions) saved() bool {
	f := &o.conn
	return o.Profile != "" || f.loginURL == "" && f.username == "" && !f.passwordStdin
}

// newCmdCheck parses check's flags into its options; its errors are usage
// errors.
func newCmdCheck(args []string) (*checkOptions, error) {
	opts := &checkOptions{}
	var explain bool
	fs := newFlagSet("check")
	opts.conn.register(fs)
	fs.StringVar(&opts.Profile, "profile", "", "saved profile to test")
	fs.BoolVar(&explain, "explain", false, "read Salesforce's Status for a failed login from the user's Login History")
	if err := opts.conn.parse(fs, args); err != nil {
		return opts, err
	}
	if opts.saved() {
		if f := opts.conn; f.loginURL != "" || f.username != "" || f.passwordStdin {
			return opts, fmt.Errorf("--profile tests a saved profile: leave out --login-url, --username and --password-stdin")
		}
		// Saved profiles explain by default: the user saved the browser
		// sign-in whose session is used.
		opts.Explain = explainMode{on: explain || !opts.conn.set["explain"], asked: explain}
	} else {
		opts.Explain = explainMode{on: explain, asked: true}
	}
	return opts, nil
}

func runCheck(ctx context.Context, env Env, args []string) int {
	opts, err := newCmdCheck(args)
	if err != nil {
		return render(env, opts.conn.json, usagef("%v", err))
	}
	return checkRun(ctx, env, opts)
}

// checkRun tests the saved profile or the credentials the flags name:
// one login.
func checkRun(ctx context.Context, env Env, opts *checkOptions) int {
	f := &opts.conn
	pol, stop := f.readPolicy(ctx, env)
	if stop != nil {
		return render(env, f.json, *stop)
	}
	svc := &connection.Service{Policy: pol, Timeout: f.timeout, Getenv: env.Getenv, Scrub: env.scrub}
	if opts.saved() {
		st, err := openStore(env)
		if err != nil {
			return render(env, f.json, connection.Failed(credstore.Profile{Name: opts.Profile}, err))
		}
		svc.Store = st
		start := time.Now()
		out := svc.CheckSaved(ctx, opts.Profile)
		return render(env, f.json, explainFailure(ctx, env, svc, opts, out, start))
	}
	if stop := f.fillFromPolicy(pol, false); stop != nil {
		return render(env, f.json, *stop)
	}
	if f.loginURL == "" {
		return render(env, f.json, usagef("--login-url is required (https://login.salesforce.com, https://test.salesforce.com or your My Domain)"))
	}
	if f.username == "" {
		return render(env, f.json, usagef("--username is required"))
	}
	p, stop := svc.Prepare(f.profile(""))
	if stop != nil {
		return render(env, f.json, asUsage(*stop))
	}
	sec, stop := readSecrets(env, f.passwordStdin, f.username)
	if stop != nil {
		return render(env, f.json, *stop)
	}
	start := time.Now()
	out := svc.Test(ctx, p, sec)
	return render(env, f.json, explainFailure(ctx, env, svc, opts, out, start))
}

// explainMode says whether a check explains a failure from Login History,
// and whether the user asked for it (then a note says why nothing was read).
type explainMode struct{ on, asked bool }

// explainFailure refines a failed login from the user's Login History
// (connection.Service.Explain), when opts ask for it. When the user asked,
// a note on standard error says why nothing could be read.
func explainFailure(ctx context.Context, env Env, svc *connection.Service, opts *checkOptions, out connection.Outcome, start time.Time) connection.Outcome {
	loud := opts.Explain.asked && !opts.conn.json
	if !opts.Explain.on || !out.Checked || !connection.Explainable(out.Profile, out.Result) {
		return out
	}
	if svc.Store == nil {
		st, err := openStore(env)
		if err != nil {
			if loud {
				fmt.Fprintf(env.Stderr, "explain: %v\n", err)
			}
			return out
		}
		svc.Store = st
	}
	out, ex := svc.Explain(ctx, out, start)
	if ex.Note != "" && (loud || ex.Queried && !opts.conn.json) {
		fmt.Fprintf(env.Stderr, "explain: %s\n", ex.Note)
	}
	return out
}

// readSecrets takes the secrets from stdin or, on a terminal, a prompt,
// with the client secret from $ADVOLOGIX_CLIENT_SECRET.
func readSecrets(env Env, fromStdin bool, username string) (credstore.Secrets, *connection.Outcome) {
	var sec credstore.Secrets
	var stop *connection.Outcome
	switch {
	case fromStdin:
		sec.Password, sec.SecurityToken, stop = readStdinSecrets(env.Stdin)
	case env.StdinIsTerminal != nil && env.StdinIsTerminal():
		sec.Password, sec.SecurityToken, stop = promptSecrets(env, username)
	default:
		stop = usage("--password-stdin is required when standard input is not a terminal (line 1: password, line 2: security token)")
	}
	// Told to the scrub as soon as read, even when they are refused.
	env.scrub.AddSecrets(sec)
	if stop != nil {
		return credstore.Secrets{}, stop
	}
	sec.ClientSecret = env.Getenv(ClientSecretEnv)
	return sec, nil
}
