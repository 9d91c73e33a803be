// Command advologix-connect is the command line of AdvoLogix Connect: it
// tests and stores the Salesforce credentials that the AdvoLogix Outlook
// and Word add-ins use (check, login, logout, status, diagnose, session).
// Built without cgo, it needs no desktop: no GUI toolkit, no OpenGL, no X
// libraries (a static binary on Linux, a console program on Windows).
// Without arguments, and with "settings" or "tray", it starts the desktop
// app (cmd/advologix-connect-desktop) installed beside it; "help" lists the
// command line.
package main

import (
	"context"
	"os"

	"golang.org/x/term"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/browser"
	"github.com/advologix/advologix-connect/internal/cli"
	"github.com/advologix/advologix-connect/internal/launcher"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	env := cli.Env{
		Stdin:           os.Stdin,
		Stdout:          os.Stdout,
		Stderr:          os.Stderr,
		StdinIsTerminal: func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
		ReadSecret:      readSecret,
		Getenv:          os.Getenv,
		Version:         version,
		GUI:             openDesktop,
		OpenStore:       func() (*credstore.Store, error) { return credstore.Open(credstore.Options{}) },
		OpenBrowser:     browser.Open,
	}
	cli.Main(func(ctx context.Context) int { return cli.Run(ctx, env, os.Args[1:]) })
}

// openDesktop hands over to the desktop program beside this one, with
// the mode as its only argument: on Unix in place of this process, on
// Windows as a program of its own (see launcher.Start).
func openDesktop(_ context.Context, mode cli.GUIMode) int {
	arg := "settings"
	if mode == cli.GUITray {
		arg = "tray"
	}
	dir, err := launcher.Dir()
	if err != nil {
		return cli.DesktopNotInstalled(os.Stderr, err)
	}
	path, err := launcher.Find(dir)
	if err != nil {
		return cli.DesktopNotInstalled(os.Stderr, err)
	}
	if err := launcher.Start(path, []string{arg}); err != nil {
		os.Stderr.WriteString("advologix-connect: " + err.Error() + "\n")
		return cli.ExitFail
	}
	return cli.ExitOK
}

// readSecret prompts on stderr and reads a line from the terminal without
// echo.
func readSecret(prompt string) (string, error) {
	os.Stderr.WriteString(prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	os.Stderr.WriteString("\n")
	return string(b), err
}
