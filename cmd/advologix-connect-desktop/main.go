// Command advologix-connect-desktop is the desktop app of AdvoLogix
// Connect: the Settings window (on first run the set-up wizard) and the
// tray icon. On Windows it is the GUI program "AdvoLogix Connect.exe" that
// the Start menu, start at login and notifications open. The command line
// (cmd/advologix-connect, a program without cgo or a GUI toolkit) starts
// it for `advologix-connect`, `settings` and `tray`; both call the same
// use-case layer (internal/connection, credstore, sfclient).
//
// Usage: advologix-connect-desktop [settings | tray | version | help]
package main

import (
	// First: it fixes the locale before Fyne's lang package reads it.
	_ "github.com/advologix/advologix-connect/cmd/advologix-connect-desktop/internal/cleanlocale"

	"context"
	"fmt"
	"io"
	"os"

	"github.com/advologix/advologix-connect/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	cli.Main(func(ctx context.Context) int {
		return run(ctx, os.Args[1:], os.Stdout, os.Stderr, runGUI)
	})
}

const usage = `advologix-connect-desktop — the desktop app of AdvoLogix Connect

Usage:
  advologix-connect-desktop            the Settings window (first run: the set-up wizard)
  advologix-connect-desktop settings   the same
  advologix-connect-desktop tray       only the tray icon (for start at login)
  advologix-connect-desktop version

The command line (check, login, logout, status, diagnose, session) is
advologix-connect, installed beside this program.
`

// run executes the desktop program's command line with gui opening the
// window or the tray, and returns the exit status (cli's).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, gui func(context.Context, cli.GUIMode) int) int {
	if len(args) == 0 {
		return gui(ctx, cli.GUISettings)
	}
	if len(args) == 1 {
		switch args[0] {
		case "settings":
			return gui(ctx, cli.GUISettings)
		case "tray":
			return gui(ctx, cli.GUITray)
		case "version", "--version":
			fmt.Fprintf(stdout, "advologix-connect-desktop %s\n", version)
			return cli.ExitOK
		case "help", "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
			return cli.ExitOK
		}
	}
	fmt.Fprintf(stderr, "advologix-connect-desktop: unknown command %q (the command line is advologix-connect)\n\n%s", args, usage)
	return cli.ExitUsage
}
