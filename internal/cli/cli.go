// Package cli is advologix-connect's command line: check, login, logout,
// status, diagnose, session, and the launchers for the window and the tray. Each command sees
// only its options and an Env (streams, environment, store), so tests run it
// without a process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// Exit statuses, a contract with scripts.
const (
	ExitOK    = 0 // the login works / the command did what was asked
	ExitFail  = 1 // the login does not work, or the keychain failed
	ExitUsage = 2 // bad flags or input; nothing was attempted
)

// Env is everything a command touches outside itself.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StdinIsTerminal reports whether prompts can be shown (no
	// --password-stdin needed).
	StdinIsTerminal func() bool
	// ReadSecret reads a line from the terminal without echo.
	ReadSecret func(prompt string) (string, error)
	// Getenv reads the environment (ADVOLOGIX_CLIENT_SECRET).
	Getenv func(string) string
	// Version is the build's version string.
	Version string
	// GUI starts the window or the tray; nil where the build has no GUI.
	GUI func(ctx context.Context, mode GUIMode) int
	// OpenStore opens the credential store (settings file + keychain).
	OpenStore func() (*credstore.Store, error)
	// OpenBrowser opens a web address for browser sign-in.
	OpenBrowser func(url string) error
	// LoadPolicy reads the IT policy within ctx's deadline (the
	// command's); nil: this computer's (credstore.LoadPolicyContext).
	LoadPolicy func(ctx context.Context) (credstore.Policy, error)

	// scrub is the run's one scrub of its output (withScrubber).
	scrub *connection.Scrubber
}

// GUIMode says which face of the app to open.
type GUIMode int

// GUI modes.
const (
	GUISettings GUIMode = iota // the Settings window (or the wizard when no profile exists)
	GUITray                    // only the tray icon
)

// Run executes one command line (without the program name) and returns the
// exit status.
func Run(ctx context.Context, env Env, args []string) int {
	env = withScrubber(env)
	if len(args) == 0 {
		if env.GUI != nil {
			return env.GUI(ctx, GUISettings)
		}
		printUsage(env.Stderr)
		return ExitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "check":
		return runCheck(ctx, env, rest)
	case "login":
		return runLogin(ctx, env, rest)
	case "logout":
		return runLogout(ctx, env, rest)
	case "status":
		return runStatus(ctx, env, rest)
	case "diagnose":
		return runDiagnose(ctx, env, rest)
	case "session":
		return runSession(ctx, env, rest)
	case "settings", "tray":
		if env.GUI == nil {
			fmt.Fprintln(env.Stderr, "advologix-connect: this build has no window; use check, login, logout or status")
			return ExitFail
		}
		mode := GUISettings
		if cmd == "tray" {
			mode = GUITray
		}
		return env.GUI(ctx, mode)
	case "version", "--version":
		fmt.Fprintf(env.Stdout, "advologix-connect %s\n%s\n", env.Version, connection.BuildClientIDLine())
		return ExitOK
	case "help", "-h", "-help", "--help":
		printUsage(env.Stdout)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "advologix-connect: unknown command %q\n\n", cmd)
	printUsage(env.Stderr)
	return ExitUsage
}

const usageText = `advologix-connect — test and store the Salesforce login of the AdvoLogix add-ins

Usage:
  advologix-connect                   open the Settings window (first run: the set-up wizard)
  advologix-connect settings          the same
  advologix-connect tray              only the tray icon (for start at login)
                                      (these three start the desktop app installed beside this program;
                                      without it they exit 3, DESKTOP_NOT_INSTALLED)
  advologix-connect check   [flags]   test a login; exit 0 works, 1 does not, 2 usage
  advologix-connect check --profile NAME [--json]
                                      test a saved profile (no --profile, no --login-url: the default one)
  advologix-connect login --profile NAME [flags] [--no-check]
                                      test, then save to the keychain (only if the test passes)
  advologix-connect login --profile NAME --login-url URL --browser [--client-id ID] [--callback-port 7890]
                                      sign in through the browser (OAuth with PKCE); keeps a refresh token, no password
  advologix-connect login --browser --profile NAME [--client-id ID]
                                      saved browser profile NAME: sign in to it again, as saved;
                                      saved password profile NAME: switch it to browser sign-in (same user
                                      and org only; its password and security token are then deleted)
  advologix-connect logout --profile NAME
                                      remove a profile and its secrets
  advologix-connect status [--json]   list profiles and whether their secrets are in the keychain
  advologix-connect diagnose [--profile NAME] [--login] [--json] [--out FILE]
                                      checks for IT support, each [ OK ] / [FAIL] / [SKIP]; exit = failures
                                      (--login also tests each saved login: counts towards the lockout)
  advologix-connect session [--profile NAME] [--json]
                                      log in and print a fresh session (access_token=… lines) for other programs
  advologix-connect version

--profile defaults to "default".

check and login flags:
  --login-url URL       https://login.salesforce.com, https://test.salesforce.com or your My Domain
  --username USER
  --password-stdin      read the password (line 1) and security token (line 2) from standard input
  --method M            soap (default) or oauth-password
  --client-id ID        connected app consumer key (OAuth); secret from $ADVOLOGIX_CLIENT_SECRET
  --api-version V       default 64.0 (SOAP login() is capped at 64.0)
  --timeout D           whole attempt, default 30s
  --ca-file PEM         extra trusted root certificates (TLS-inspecting proxies)
  --proxy URL           proxy to use instead of HTTPS_PROXY
  --json                print one JSON object
  --explain             (check) when a password login fails with a verdict that hides the cause,
                        read Salesforce's own Status for it from your Login History, using a
                        saved browser sign-in of the same user (one token refresh, one query;
                        never a login). On by default for --profile, off for ad-hoc checks;
                        --explain=false turns it off
  --no-check            (login) save without testing, for offline set-up
  --browser             (login) browser sign-in; the callback is http://localhost:PORT/OauthRedirect
  --callback-port N     (login --browser) default 7890; 0: a port the system
                        chooses, where the connected app accepts any port
  --browser-timeout D   (login --browser) how long to wait for the sign-in, default 3m

Secrets are never accepted as flags. Keychain entries: service
"advologix-connect", account "<profile>:<kind>" (see the README).
`

func printUsage(w io.Writer) { fmt.Fprint(w, usageText) }

// newFlagSet makes a FlagSet that reports errors instead of exiting.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args and rejects positional arguments. Its errors are
// usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errors.New(flagHelp(fs))
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (secrets are never accepted as arguments; use --password-stdin)", fs.Arg(0))
	}
	return nil
}

func flagHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "flags of %s:\n", fs.Name())
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(&b, "  --%s  %s\n", f.Name, f.Usage)
	})
	return b.String()
}
