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
	fs := newFlagSet("check")
	f.register(fs)
	fs.StringVar(&profile, "profile", "", "saved profile to test")
	if err := parseFlags(fs, args); err != nil {
		return fail(env, f.json, err)
	}
	if err := f.policyFlags(env, fs); err != nil {
		return fail(env, f.json, err)
	}
	if profile != "" || f.loginURL == "" && f.username == "" && !f.passwordStdin {
		if f.loginURL != "" || f.username != "" || f.passwordStdin {
			return fail(env, f.json, usagef("--profile tests a saved profile: leave out --login-url, --username and --password-stdin"))
		}
		return checkSaved(ctx, env, f, profile)
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
	res := checker.Check(ctx, creds)
	return report(env, f.json, res)
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
