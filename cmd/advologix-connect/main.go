// Command advologix-connect tests and stores the Salesforce credentials that
// the AdvoLogix Outlook and Word add-ins use. Without arguments it opens the
// Settings window (or, on first run, the set-up wizard); "tray" starts only
// the tray icon; "help" lists the command line.
package main

import (
	// First: it fixes the locale before Fyne's lang package reads it.
	_ "github.com/advologix/advologix-connect/cmd/advologix-connect/internal/cleanlocale"

	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/browser"
	"github.com/advologix/advologix-connect/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := cli.Env{
		Stdin:           os.Stdin,
		Stdout:          os.Stdout,
		Stderr:          os.Stderr,
		StdinIsTerminal: func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		ReadSecret:      readSecret,
		Getenv:          os.Getenv,
		Version:         version,
		GUI:             runGUI,
		OpenStore:       func() (*credstore.Store, error) { return credstore.Open(credstore.Options{}) },
		OpenBrowser:     browser.Open,
	}
	code := cli.Run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// readSecret prompts on stderr and reads a line from the terminal without
// echo.
func readSecret(prompt string) (string, error) {
	os.Stderr.WriteString(prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	os.Stderr.WriteString("\n")
	return string(b), err
}
