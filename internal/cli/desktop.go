package cli

import (
	"fmt"
	"io"
)

// ExitNoDesktop is the exit status of `advologix-connect` without a
// command, `settings` and `tray` when the desktop app is not installed
// beside the command line: nothing was opened, and a script can tell this
// from a failed login (1) and a usage error (2).
const ExitNoDesktop = 3

// CodeDesktopNotInstalled is the code printed with ExitNoDesktop.
const CodeDesktopNotInstalled = "DESKTOP_NOT_INSTALLED"

// DesktopNotInstalled says where to get the desktop app (why: the
// launcher's error, naming the folder it looked in) and returns
// ExitNoDesktop.
func DesktopNotInstalled(w io.Writer, why error) int {
	fmt.Fprintf(w, "advologix-connect: %s: %v.\n", CodeDesktopNotInstalled, why)
	fmt.Fprint(w, `The Settings window and the tray are the desktop app, a program of its own
(advologix-connect-desktop; on Windows "AdvoLogix Connect.exe") that the
packages install beside this command line: the MSI on Windows, the .deb or
the .tar.xz on Linux. Install one of them, or keep using the command line
(advologix-connect help).
`)
	return ExitNoDesktop
}
