// Package testbin builds the programs that tests run (the app, test
// helpers) once per package and flag set, and shares the executables
// between the test binaries of one run: go test runs every package's
// tests in a process of its own, and a cgo Fyne binary costs seconds to
// link, minutes cold.
//
// Binaries go to $ADVOLOGIX_TEST_BIN_DIR (make test sets it to bin/test,
// scripts/test-session.sh otherwise to a directory of the session), so
// one make test links each binary once; a file lock there makes a second
// process wait for the first one's build instead of building too. Without the variable
// each test binary builds into a temporary directory of its own; call
// [Cleanup] from TestMain to remove it.
//
// Every build uses [Flags], the compile flags of `make build`, and
// callers should add none: each other set of compile flags compiles every
// package again, the cgo GL ones for minutes, where one set shares them
// through the build cache with `make build` and every other test build.
package testbin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// DirEnv names the environment variable of the shared directory.
const DirEnv = "ADVOLOGIX_TEST_BIN_DIR"

// Flags are the go build flags of every build, before the caller's: the
// ones of `make build` that change what is compiled (its -ldflags only
// change the link, so they are left out).
var Flags = []string{"-trimpath"}

var state struct {
	mu   sync.Mutex
	tmp  string
	bins map[string]string
	errs map[string]error
}

// TB is the part of testing.TB that Build uses.
type TB interface {
	Helper()
	Fatal(args ...any)
}

// Build returns the path of pkg (an import path or a ./relative package
// directory of the calling test's package) built for this machine with
// CGO_ENABLED=1 (0 for a [Program] marked NoCgo: the command line),
// [Flags] and go build's extra flags, if any (e.g.
// "-tags", "x"; each other set is another build of every package). A
// failed build fails the test with the compiler's output, and every later
// test asking for the same build fails the same way without building
// again.
func Build(tb TB, pkg string, flags ...string) string {
	tb.Helper()
	bin, err := BuildErr(pkg, flags...)
	if err != nil {
		tb.Fatal(err)
	}
	return bin
}

// BuildErr is [Build] returning the error, for a TestMain.
func BuildErr(pkg string, flags ...string) (string, error) {
	cgo := "CGO_ENABLED=1"
	if cgoFree(pkg) {
		cgo = "CGO_ENABLED=0"
	}
	return build(pkg, []string{cgo}, flags)
}

// cgoFree tells whether pkg is one of [Programs] built without cgo for
// this machine, as the release builds it (the command line: static).
func cgoFree(pkg string) bool {
	for _, p := range Programs {
		if p.Pkg == pkg && p.GOOS == "" && p.NoCgo {
			return true
		}
	}
	return false
}

// BuildForErr is [BuildErr] of a pure Go program for another platform,
// such as a helper to run under Wine ("windows", "amd64"): built with
// CGO_ENABLED=0, and named .exe for Windows.
func BuildForErr(goos, goarch, pkg string, flags ...string) (string, error) {
	return build(pkg, []string{"GOOS=" + goos, "GOARCH=" + goarch, "CGO_ENABLED=0"}, flags)
}

// build is BuildErr with env on top of this process's environment.
func build(pkg string, env, flags []string) (string, error) {
	flags = append(slices.Clip(Flags), flags...)
	if strings.HasPrefix(pkg, ".") {
		abs, err := filepath.Abs(pkg)
		if err != nil {
			return "", err
		}
		pkg = abs
	}
	key := keyOf(pkg, env, flags)
	state.mu.Lock()
	defer state.mu.Unlock()
	if state.bins == nil {
		state.bins, state.errs = map[string]string{}, map[string]error{}
	}
	if bin, ok := state.bins[key]; ok {
		return bin, nil
	}
	if err, ok := state.errs[key]; ok {
		return "", err
	}
	bin, err := buildLocked(pkg, env, flags, key)
	if err != nil {
		state.errs[key] = err
		return "", err
	}
	state.bins[key] = bin
	return bin, nil
}

// keyOf names one build: the package, the flags and the environment
// that changes what go build makes.
func keyOf(pkg string, env, flags []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", pkg, strings.Join(env, "\x00"), strings.Join(flags, "\x00"))
	for _, k := range []string{"GOOS", "GOARCH", "GOFLAGS", "CC", "CGO_CFLAGS", "CGO_LDFLAGS"} {
		fmt.Fprintf(h, "%s=%s\x00", k, os.Getenv(k))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func buildLocked(pkg string, env, flags []string, key string) (string, error) {
	dir := os.Getenv(DirEnv)
	if dir == "" {
		if state.tmp == "" {
			tmp, err := os.MkdirTemp("", "advologix-testbin-")
			if err != nil {
				return "", err
			}
			state.tmp = tmp
		}
		dir = state.tmp
	} else if err := mkdir(dir); err != nil {
		return "", fmt.Errorf("testbin: %w", err)
	}
	bin := filepath.Join(dir, filepath.Base(pkg)+"-"+key)
	if slices.Contains(env, "GOOS=windows") {
		bin += ".exe"
	}
	unlock, err := lockFile(bin + ".lock")
	if err != nil {
		return "", fmt.Errorf("testbin: lock %s: %w", bin, err)
	}
	defer unlock()
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("testbin: the go command is not on PATH")
	}
	// Always go build, even when the binary is there: the directory may
	// outlive a run (make test keeps it in bin/test). go build rewrites
	// its output even when nothing changed, so it builds beside the
	// binary and replaces it only when the bytes differ: an unchanged
	// program keeps its modification time, which Go's test cache reads
	// (see Stat below) to tell whether a cached result still holds.
	tmp := bin + ".new"
	if slices.Contains(env, "GOOS=windows") {
		tmp = strings.TrimSuffix(bin, ".exe") + ".new.exe"
	}
	args := append(append([]string{"build"}, flags...), "-o", tmp, pkg)
	cmd := exec.Command(goTool, args...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if err := replaceIfChanged(tmp, bin); err != nil {
		return "", fmt.Errorf("testbin: %w", err)
	}
	// The test reads the binary's metadata through os, so go test records
	// it among the test's inputs: a rebuilt program (make test builds
	// them all before any test, cmd/prebuild) invalidates the cached
	// results of the tests that run it.
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("testbin: %w", err)
	}
	return bin, nil
}

// replaceIfChanged renames tmp to bin unless bin already holds the same
// bytes, in which case tmp is removed and bin left untouched.
func replaceIfChanged(tmp, bin string) error {
	same, err := sameFile(tmp, bin)
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if same {
		return os.Remove(tmp)
	}
	return os.Rename(tmp, bin)
}

func sameFile(a, b string) (bool, error) {
	x, err := os.ReadFile(a)
	if err != nil {
		return false, err
	}
	y, err := os.ReadFile(b)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return bytes.Equal(x, y), nil
}

// Main is a TestMain for packages whose tests build programs: it runs
// the tests, removes what this run built in a temp folder, and exits.
func Main(m *testing.M) {
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// Cleanup removes the binaries this process built into its own temporary
// directory (none when they went to $ADVOLOGIX_TEST_BIN_DIR, which belongs
// to the session).
func Cleanup() {
	state.mu.Lock()
	defer state.mu.Unlock()
	if state.tmp != "" {
		os.RemoveAll(state.tmp)
		state.tmp = ""
		state.bins = nil
	}
}

// Program is one program the tests build and run.
type Program struct {
	Pkg          string   // import path
	GOOS, GOARCH string   // "" for this machine (cgo on); else a pure Go cross-build
	NoCgo        bool     // for this machine, built with CGO_ENABLED=0 (as shipped)
	Flags        []string // go build flags its tests pass to [Build]
}

// Programs are all the programs the tests run, by the import paths their
// tests pass to [Build] (the key of a build includes the path, so a test
// must name its program exactly so).
var Programs = []Program{
	{Pkg: AppPkg, NoCgo: true},
	{Pkg: DesktopPkg},
	{Pkg: Module + "/internal/testing/desktoptest/testdata/traydemo"},
	{Pkg: Module + "/bench/barewindow"},
	{Pkg: Module + "/bench/baretray"},
	{Pkg: Module + "/bench/hello"},
	{Pkg: Module + "/internal/testing/wintest/winhelper", GOOS: "windows", GOARCH: "amd64"},
	// The command line that kills itself mid-change (credstore's crashtest
	// tag; internal/testing/e2e's TestSwitchSurvivesKill9), never shipped.
	{Pkg: AppPkg, NoCgo: true, Flags: []string{CrashTestFlag}},
}

// CrashTestFlag builds a program with credstore's crash points
// (ADVOLOGIX_CRASH_AFTER), for tests that kill it between two steps.
const CrashTestFlag = "-tags=crashtest"

// Module is the module's import path; AppPkg the app's command line
// (cgo-free), DesktopPkg its desktop program (Fyne, cgo).
const (
	Module     = "github.com/advologix/advologix-connect"
	AppPkg     = Module + "/cmd/advologix-connect"
	DesktopPkg = Module + "/cmd/advologix-connect-desktop"
)
