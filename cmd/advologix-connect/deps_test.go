package main

import (
	"errors"
	"os"
	"os/exec"
	"path"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/advologix/advologix-connect"

// dep is one package of `go list -deps`.
type dep struct {
	path     string
	standard bool // part of the standard library
	cgo      bool // has cgo files (import "C") in this build
	goos     string
	// importedBy are the packages of the same list that import it.
	importedBy []string
}

// toolkitTestDeps are test packages the desktop program links only
// because Fyne does: since 2.7.3 its GLFW driver draws an SVG tray icon
// into a PNG with fyne/v2/driver/software, which is built on
// fyne/v2/test (and that on testify, "testing" and httptest). No code of
// this module may import them; forbiddenBy lets them through, whatever
// the rule, only when nothing of this module does.
var toolkitTestDeps = map[string]bool{
	"fyne.io/fyne/v2/test":          true,
	"fyne.io/fyne/v2/internal/test": true,
	"net/http/httptest":             true,
	"testing":                       true,
}

// linkedForTheToolkit reports whether d is one of toolkitTestDeps imported
// by packages outside this module alone.
func linkedForTheToolkit(d dep) bool {
	if !toolkitTestDeps[d.path] || len(d.importedBy) == 0 {
		return false
	}
	for _, by := range d.importedBy {
		if by == module || strings.HasPrefix(by, module+"/") {
			return false
		}
	}
	return true
}

// depRule is one kind of package the shipped binary must not import.
type depRule struct {
	name      string
	forbidden func(dep) bool
	// bad is a package the rule must catch, good one it must let through:
	// they keep the rule itself honest.
	bad, good dep
}

// harnessNames are the test harnesses by name, wherever they would live.
var harnessNames = []string{"sftest", "testfix", "testbin", "desktoptest", "wintest", "e2e", "sfemulator"}

var depRules = []depRule{
	{
		name: "the test-only tree internal/testing",
		forbidden: func(d dep) bool {
			return d.path == module+"/internal/testing" || strings.HasPrefix(d.path, module+"/internal/testing/")
		},
		bad:  dep{path: module + "/internal/testing/testfix"},
		good: dep{path: module + "/internal/connection"},
	},
	{
		name: "a test harness by name",
		forbidden: func(d dep) bool {
			for _, elem := range strings.Split(d.path, "/") {
				for _, h := range harnessNames {
					if elem == h {
						return true
					}
				}
			}
			return false
		},
		bad:  dep{path: module + "/credstore/testfix"},
		good: dep{path: module + "/sfclient"},
	},
	{
		// httptest, iotest, fstest, fyne.io/fyne/v2/test, .... Only the
		// standard library's own internal packages are let through:
		// internal/synctest is imported by sync and time for every Go
		// program, and is not a test helper.
		name: `a package whose name ends in "test"`,
		forbidden: func(d dep) bool {
			if d.standard && (strings.HasPrefix(d.path, "internal/") || strings.Contains(d.path, "/internal/")) {
				return false
			}
			return strings.HasSuffix(d.path[strings.LastIndex(d.path, "/")+1:], "test")
		},
		bad:  dep{path: "net/http/httptest", standard: true},
		good: dep{path: "internal/synctest", standard: true},
	},
	{
		// Only Fyne's test package imports it (see toolkitTestDeps).
		name: `the standard library's "testing"`,
		forbidden: func(d dep) bool {
			return d.path == "testing" || strings.HasPrefix(d.path, "testing/")
		},
		bad:  dep{path: "testing", standard: true},
		good: dep{path: "internal/testlog", standard: true},
	},
}

// forbiddenBy reports whether r forbids d in a shipped program: the
// toolkit's own test packages (linkedForTheToolkit) pass every rule.
func forbiddenBy(r depRule, d dep) bool { return r.forbidden(d) && !linkedForTheToolkit(d) }

// TestDepRules proves each rule can fail, and that the toolkit's test
// packages pass only when nothing of this module imports them.
func TestDepRules(t *testing.T) {
	checkRules(t, depRules)
	for _, tc := range []struct {
		d    dep
		want bool // forbidden by some rule
	}{
		{dep{path: "testing", standard: true, importedBy: []string{"fyne.io/fyne/v2/test"}}, false},
		{dep{path: "fyne.io/fyne/v2/test", importedBy: []string{"fyne.io/fyne/v2/driver/software"}}, false},
		{dep{path: "testing", standard: true, importedBy: []string{"fyne.io/fyne/v2/test", module + "/ui"}}, true},
		{dep{path: "fyne.io/fyne/v2/test", importedBy: []string{module + "/internal/desktop"}}, true},
		{dep{path: "net/http/httptest", standard: true, importedBy: []string{module}}, true},
		{dep{path: "testing", standard: true}, true},
		{dep{path: "github.com/other/test", importedBy: []string{"fyne.io/fyne/v2/test"}}, true},
	} {
		got := false
		for _, r := range depRules {
			got = got || forbiddenBy(r, tc.d)
		}
		if got != tc.want {
			t.Errorf("%s imported by %v: forbidden=%v, want %v", tc.d.path, tc.d.importedBy, got, tc.want)
		}
	}
}

// checkRules proves each of rules can fail: it catches its bad package
// and lets its good one through.
func checkRules(t *testing.T, rules []depRule) {
	t.Helper()
	for _, r := range rules {
		if !r.forbidden(r.bad) {
			t.Errorf("rule %q lets %s through", r.name, r.bad.path)
		}
		if r.forbidden(r.good) {
			t.Errorf("rule %q forbids %s", r.name, r.good.path)
		}
	}
}

// shippedCommands are the programs that ship: this command line and the
// desktop program beside it.
var shippedCommands = []string{module + "/cmd/advologix-connect", module + "/cmd/advologix-connect-desktop"}

// TestShippedDepsHaveNoTestHarness lists every package the shipped
// binaries are built from, for each platform they ship on, and fails on
// any test harness (everything under internal/testing is test-only) and
// any test package but the few the toolkit links into the desktop program.
func TestShippedDepsHaveNoTestHarness(t *testing.T) {
	for _, pkg := range shippedCommands {
		for _, goos := range []string{"linux", "windows", "darwin"} {
			t.Run(path.Base(pkg)+"/"+goos, func(t *testing.T) {
				deps := listDeps(t, pkg, goos, true)
				if pkg == shippedCommands[0] {
					// The command line links no toolkit, so not its tests either.
					for _, d := range deps {
						if toolkitTestDeps[d.path] {
							t.Errorf("the command line (GOOS=%s) imports %s", goos, d.path)
						}
					}
				}
				for _, r := range depRules {
					t.Run(r.name, func(t *testing.T) {
						for _, d := range deps {
							if forbiddenBy(r, d) {
								t.Errorf("%s (GOOS=%s) imports %s: %s", path.Base(pkg), goos, d.path, r.name)
							}
						}
					})
				}
			})
		}
	}
}

// listDeps runs `go list -deps pkg` for goos with cgo on or off.
// "go" is the toolchain running the test: go test puts its GOROOT/bin first
// on the PATH of the test (runtime.GOROOT is deprecated since Go 1.24, which
// staticcheck flags, and empty under make test's -trimpath).
func listDeps(t *testing.T, pkg, goos string, cgo bool) []dep {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.Standard}} {{if .CgoFiles}}cgo{{else}}-{{end}} {{.ImportPath}} ,{{join .Imports \",\"}}", pkg)
	cmd.Dir = "."
	cgoEnv := "CGO_ENABLED=0"
	if cgo {
		cgoEnv = "CGO_ENABLED=1"
	}
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", cgoEnv)
	out, err := cmd.Output()
	if err != nil {
		var msg string
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list -deps (GOOS=%s): %v\n%s", goos, err, msg)
	}
	var deps []dep
	importedBy := map[string][]string{}
	self := false
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 4 {
			t.Fatalf("go list -deps: unexpected line %q", line)
		}
		deps = append(deps, dep{path: fields[2], standard: fields[0] == "true", cgo: fields[1] == "cgo", goos: goos})
		for _, imp := range strings.Split(fields[3], ",") {
			if imp != "" {
				importedBy[imp] = append(importedBy[imp], fields[2])
			}
		}
		self = self || fields[2] == pkg
	}
	for i := range deps {
		deps[i].importedBy = importedBy[deps[i].path]
	}
	// An empty or foreign list would pass every rule.
	if !self || len(deps) < 100 {
		t.Fatalf("go list -deps %s (GOOS=%s) gave %d packages, want 100 or more with it:\n%s", pkg, goos, len(deps), out)
	}
	return deps
}
