package main

import (
	"slices"
	"strings"
	"testing"
)

// cgoFallback are the standard library's packages that have cgo files
// under CGO_ENABLED=1 and a pure Go build beside them, which a
// CGO_ENABLED=0 build uses (the name resolver, the user database, and
// runtime/cgo, which only cgo builds link).
var cgoFallback = []string{"net", "os/user", "runtime/cgo", "plugin"}

// ieproxy is the one third-party package let through with cgo files, on
// macOS only: with cgo it reads the system proxy through CFNetwork, and
// the command line, built without, gets its pure Go build, which reads
// the proxy from the environment (HTTPS_PROXY) only (see sfclient's
// proxy_darwin.go; the README says so).
const ieproxy = "github.com/mattn/go-ieproxy"

// cliRules are what the command line must not import (issue 24): it is
// built with CGO_ENABLED=0 and runs where there is no desktop.
var cliRules = []depRule{
	{
		name:      "Fyne",
		forbidden: func(d dep) bool { return d.path == "fyne.io" || strings.HasPrefix(d.path, "fyne.io/") },
		bad:       dep{path: "fyne.io/systray"},
		good:      dep{path: "golang.org/x/term"},
	},
	{
		name:      "GLFW and OpenGL (go-gl)",
		forbidden: func(d dep) bool { return strings.HasPrefix(d.path, "github.com/go-gl/") },
		bad:       dep{path: "github.com/go-gl/glfw/v3.3/glfw"},
		good:      dep{path: "github.com/godbus/dbus/v5"},
	},
	{
		name: "the desktop program's packages (ui, internal/desktop)",
		forbidden: func(d dep) bool {
			return d.path == module+"/ui" || strings.HasPrefix(d.path, module+"/internal/desktop")
		},
		bad:  dep{path: module + "/internal/desktop"},
		good: dep{path: module + "/internal/launcher"},
	},
	{
		name: "a package that uses cgo",
		forbidden: func(d dep) bool {
			return d.cgo && !(d.standard && slices.Contains(cgoFallback, d.path)) && !(d.path == ieproxy && d.goos == "darwin")
		},
		bad:  dep{path: "github.com/go-gl/gl/v2.1/gl", cgo: true},
		good: dep{path: "net", standard: true, cgo: true},
	},
}

// TestCLIRules proves each of cliRules can fail, and that together they
// catch the desktop program: a rule that catches nothing there would
// pass the command line for nothing.
func TestCLIRules(t *testing.T) {
	checkRules(t, cliRules)
	desktop := listDeps(t, shippedCommands[1], "linux", true)
	for _, r := range cliRules {
		caught := slices.ContainsFunc(desktop, r.forbidden)
		if !caught {
			t.Errorf("rule %q catches nothing in the desktop program's imports", r.name)
		}
	}
}

// TestCLIImportsNoDesktop lists the command line's packages for each
// platform, with cgo on (what cgo would pull in) and off (as released),
// and fails on Fyne, go-gl, the desktop's packages or any package that
// uses cgo.
func TestCLIImportsNoDesktop(t *testing.T) {
	for _, goos := range []string{"linux", "windows", "darwin"} {
		for _, cgo := range []bool{true, false} {
			name := goos + "/CGO_ENABLED=0"
			if cgo {
				name = goos + "/CGO_ENABLED=1"
			}
			t.Run(name, func(t *testing.T) {
				for _, d := range listDeps(t, shippedCommands[0], goos, cgo) {
					for _, r := range cliRules {
						if r.forbidden(d) {
							t.Errorf("advologix-connect (%s) imports %s: %s", name, d.path, r.name)
						}
					}
				}
			})
		}
	}
}
