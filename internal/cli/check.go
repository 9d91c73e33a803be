package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
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
	policy                                                          credstore.Policy
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

func (c *connFlags) config() sfclient.Config {
	return sfclient.Config{
		LoginURL:   c.loginURL,
		Method:     sfclient.Method(c.method),
		ClientID:   c.clientID,
		APIVersion: c.apiVersion,
		Timeout:    c.timeout,
		CAFile:     c.caFile,
		Proxy:      c.proxy,
	}
}

func runCheck(ctx context.Context, env Env, args []string) int {
	var f connFlags
	var profile string
	var explain bool
	fs := newFlagSet("check")
	f.register(fs)
	fs.StringVar(&profile, "profile", "", "saved profile to test")
	fs.BoolVar(&explain, "explain", false, "read Salesforce's Status for a failed login from the user's Login History")
	if err := parseFlags(fs, args); err != nil {
		return fail(env, f.json, err)
	}
	if err := f.policyFlags(env, fs); err != nil {
		return fail(env, f.json, err)
	}
	explainSet := false
	fs.Visit(func(fl *flag.Flag) { explainSet = explainSet || fl.Name == "explain" })
	if profile != "" || f.loginURL == "" && f.username == "" && !f.passwordStdin {
		if f.loginURL != "" || f.username != "" || f.passwordStdin {
			return fail(env, f.json, usagef("--profile tests a saved profile: leave out --login-url, --username and --password-stdin"))
		}
		// Saved profiles explain by default: the user saved the browser
		// sign-in whose session is used.
		return checkSaved(ctx, env, f, profile, explainMode{on: explain || !explainSet, asked: explain})
	}
	if err := f.fillFromPolicy(false); err != nil {
		return fail(env, f.json, err)
	}
	if f.loginURL == "" {
		return fail(env, f.json, usagef("--login-url is required (https://login.salesforce.com, https://test.salesforce.com or your My Domain)"))
	}
	if f.username == "" {
		return fail(env, f.json, usagef("--username is required"))
	}
	checker, err := sfclient.New(f.config())
	if err != nil {
		return fail(env, f.json, usageOrConfig(err))
	}
	creds, err := readCredentials(env, f.passwordStdin, f.username)
	if err != nil {
		return fail(env, f.json, err)
	}
	creds.ClientSecret = env.Getenv(ClientSecretEnv)
	start := time.Now()
	res := checker.Check(ctx, creds)
	if explain {
		p := credstore.Profile{LoginURL: f.loginURL, Username: f.username, Method: string(checker.Method()), ClientID: f.clientID}
		res = explainFailure(ctx, env, f, connection.Attempt{Profile: p, Result: res, Start: start, End: time.Now()}, true)
	}
	return report(env, f.json, res)
}

// explainMode says whether a check explains a failure from Login History,
// and whether the user asked for it (then a note says why nothing was read).
type explainMode struct{ on, asked bool }

// explainFailure refines a failed check from the user's Login History
// (connection.Explain). loud prints, on standard error, why nothing could
// be read; it is set when the user asked for --explain.
func explainFailure(ctx context.Context, env Env, f connFlags, a connection.Attempt, loud bool) sfclient.Result {
	if !connection.Explainable(a.Profile, a.Result) {
		return a.Result
	}
	st, err := openStore(env)
	if err != nil {
		if loud && !f.json {
			fmt.Fprintf(env.Stderr, "explain: %v\n", err)
		}
		return a.Result
	}
	ex := connection.Explain(ctx, st, a, f.timeout)
	if ex.Note != "" && (loud || ex.Queried) && !f.json {
		fmt.Fprintf(env.Stderr, "explain: %s\n", ex.Note)
	}
	return ex.Result
}

// readCredentials takes the secrets from stdin or, on a terminal, a prompt.
func readCredentials(env Env, fromStdin bool, username string) (sfclient.Credentials, error) {
	cr := sfclient.Credentials{Username: username}
	var err error
	switch {
	case fromStdin:
		cr.Password, cr.SecurityToken, err = readStdinSecrets(env.Stdin)
	case env.StdinIsTerminal != nil && env.StdinIsTerminal():
		cr.Password, cr.SecurityToken, err = promptSecrets(env, username)
	default:
		err = usagef("--password-stdin is required when standard input is not a terminal (line 1: password, line 2: security token)")
	}
	return cr, err
}

// usageOrConfig makes a configuration error a usage error.
func usageOrConfig(err error) error {
	var ce *sfclient.ConfigError
	if errors.As(err, &ce) {
		return usagef("%v", ce)
	}
	return err
}

// report prints a Result and returns its exit status.
func report(env Env, asJSON bool, r sfclient.Result) int {
	if asJSON {
		writeJSON(env.Stdout, r)
	} else {
		for _, w := range r.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
		writeHuman(env.Stdout, r)
	}
	if r.OK {
		return ExitOK
	}
	return ExitFail
}

// errorJSON is the --json answer when nothing could be attempted.
type errorJSON struct {
	OK      bool   `json:"ok"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

// fail reports an error that ended the command before or instead of a
// check, and returns its exit status.
func fail(env Env, asJSON bool, err error) int {
	status := ExitFail
	code := "ERROR"
	var ue *usageError
	if errors.As(err, &ue) {
		status, code = ExitUsage, "USAGE_ERROR"
	}
	var coded interface{ Code() string }
	if errors.As(err, &coded) {
		code = coded.Code()
	}
	if asJSON {
		writeJSON(env.Stdout, errorJSON{Code: code, Message: err.Error(), Hint: hintOf(err)})
	} else {
		fmt.Fprintf(env.Stderr, "advologix-connect: %v\n", err)
		if status == ExitUsage {
			fmt.Fprintln(env.Stderr, "Run 'advologix-connect help' for usage.")
		}
	}
	return status
}

// hintOf returns the error's own hint, if it has one.
func hintOf(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeHuman prints a short report for people.
func writeHuman(w io.Writer, r sfclient.Result) {
	if r.OK {
		fmt.Fprintf(w, "Connected to Salesforce as %s\n", r.Who())
		fmt.Fprintf(w, "  Organization:  %s\n", org(r))
		fmt.Fprintf(w, "  Instance:      %s\n", r.InstanceURL)
	} else {
		fmt.Fprintf(w, "Not connected: %s [%s]\n", r.Headline, r.Code)
		if r.Hint != "" {
			fmt.Fprintf(w, "  What to do:    %s\n", wrap(r.Hint, 62, "                 "))
		}
		if r.Message != "" {
			fmt.Fprintf(w, "  Details:       %s\n", wrap(r.Message, 62, "                 "))
		}
		if r.LoginHistoryStatus != "" {
			fmt.Fprintf(w, "  Login History: %s\n", r.LoginHistoryStatus)
		}
		if r.UserID != "" {
			fmt.Fprintf(w, "  User:          %s\n", r.Who())
		}
	}
	fmt.Fprintf(w, "  Login:         %s via %s, %d ms\n", r.Method.Label(), r.LoginURL, r.ElapsedMS)
}

func org(r sfclient.Result) string {
	name := r.Org()
	if r.OrganizationName != "" && r.OrganizationID != "" {
		name += " (" + r.OrganizationID + ")"
	}
	return name + ", " + r.Environment()
}

// wrap breaks s into lines of at most width runes, indenting continuation
// lines.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		l := len([]rune(word))
		if i > 0 {
			if n+1+l > width {
				b.WriteString("\n" + indent)
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(word)
		n += l
	}
	return b.String()
}
