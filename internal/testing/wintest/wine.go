// Package wintest runs Windows builds under Wine for tests: a throw-away
// 64-bit prefix per test run (copied from a template that
// scripts/wine-prefix.sh prepares once, shim included), commands in it with
// WINEDEBUG=-all, paths and registry values as the Windows program sees
// them. It is test harness only; nothing here ships.
//
// The prefix gets the test-only bcryptprimitives.dll shim (see
// shim/bcryptprimitives.c): Go >= 1.22 binaries need ProcessPrng, which
// Wine 8.0 lacks.
package wintest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Loader is Wine's 64-bit loader.
const Loader = "/usr/lib/wine/wine64"

// Wine is one prefix.
type Wine struct {
	// Prefix is the WINEPREFIX folder.
	Prefix string
	// Env is added to every command's environment (after WINEPREFIX etc.).
	Env []string
}

// RepoRoot is the root of this repository (where scripts/ lives): the
// nearest folder above the working directory (a test's package folder)
// that holds go.mod. Source paths cannot tell: make test builds with
// -trimpath.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("wintest: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("wintest: no go.mod above the working directory")
		}
		dir = parent
	}
	if _, err := os.Stat(filepath.Join(dir, "scripts", "wine-prefix.sh")); err != nil {
		return "", fmt.Errorf("wintest: scripts/wine-prefix.sh not found under %s: %w", dir, err)
	}
	return dir, nil
}

// Template prepares (once; later calls return at once) the template prefix
// under the repository's bin/ folder and returns its path.
func Template(ctx context.Context) (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	dir := os.Getenv("ADVOLOGIX_WINE_TEMPLATE")
	if dir == "" {
		dir = filepath.Join(root, "bin", "wine-template")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(root, "scripts", "wine-prefix.sh"), dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("wintest: prepare the Wine template %s: %w\n%s", dir, err, out)
	}
	return dir, nil
}

// New makes a fresh prefix at dir (which must not exist yet, or be empty):
// a copy of the template, so it costs a copy rather than a wineboot.
func New(ctx context.Context, dir string) (*Wine, error) {
	tmpl, err := Template(ctx)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return nil, fmt.Errorf("wintest: %w", err)
	}
	_ = os.Remove(dir) // an empty dir from t.TempDir is fine to replace
	// cp -a keeps the dosdevices symlinks (c: -> ../drive_c, z: -> /).
	if out, err := exec.CommandContext(ctx, "cp", "-a", tmpl, dir).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("wintest: copy the Wine template: %w\n%s", err, out)
	}
	return &Wine{Prefix: dir}, nil
}

// environ is the environment of every Wine command.
func (w *Wine) environ() []string {
	env := append(os.Environ(),
		"WINEPREFIX="+w.Prefix,
		"WINEDEBUG=-all",
		"WINEARCH=win64",
		"WINEDLLOVERRIDES=mscoree=;mshtml=;winemenubuilder.exe=d",
	)
	return append(env, w.Env...)
}

// Command is exe (a Unix path to a .exe, or a Wine built-in such as "reg")
// run under Wine in this prefix.
func (w *Wine) Command(ctx context.Context, exe string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, Loader, append([]string{exe}, args...)...)
	cmd.Env = w.environ()
	// Wine's own processes (wineserver, services) may outlive exe and keep
	// the output pipes open; do not wait for them past exe's end.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Output runs a command and returns its stdout, stderr and exit status; err
// is only for a command that could not run or was killed.
func (w *Wine) Output(ctx context.Context, exe string, args ...string) (stdout, stderr string, code int, err error) {
	return w.Run(w.Command(ctx, exe, args...))
}

// Run runs cmd (made by Command, with its Stdout and Stderr unset) to its
// end, as Output does. The stderr it returns is the program's: the lines
// Wine itself writes there (see SplitStderr) go to os.Stderr, marked, so a
// test judges what the program said and a log still shows Wine's trouble.
func (w *Wine) Run(cmd *exec.Cmd) (stdout, stderr string, code int, err error) {
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	program, wine := SplitStderr(e.String())
	if wine != "" {
		fmt.Fprintf(os.Stderr, "wintest: Wine, running %s:\n%s", filepath.Base(cmd.Args[min(1, len(cmd.Args)-1)]), wine)
	}
	if errors.Is(err, exec.ErrWaitDelay) && cmd.ProcessState != nil && cmd.ProcessState.Exited() {
		// exe ended; Wine's own processes held its pipes past WaitDelay.
		// A slow third-party exit, not the program's failure: its status
		// and what it wrote stand.
		return o.String(), program, cmd.ProcessState.ExitCode(), nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.Exited() {
		return o.String(), program, exit.ExitCode(), nil
	}
	if err != nil {
		return o.String(), program, -1, err
	}
	return o.String(), program, 0, nil
}

// SplitStderr parts what a program run under Wine wrote to stderr into the
// program's lines and Wine's own: "wine client error:…" (the client's
// complaint about its wineserver socket, seen at a Go program's exit on
// CI), "wine: …" from the loader, and the "NNNN:fixme:…" kind of debug
// channel lines should WINEDEBUG let them through.
func SplitStderr(raw string) (program, wine string) {
	var p, w strings.Builder
	for _, line := range strings.SplitAfter(raw, "\n") {
		if line == "" {
			continue
		}
		if isWineLine(line) {
			w.WriteString(line)
			if !strings.HasSuffix(line, "\n") {
				w.WriteString("\n")
			}
		} else {
			p.WriteString(line)
		}
	}
	return p.String(), w.String()
}

func isWineLine(line string) bool {
	if strings.HasPrefix(line, "wine client error:") || strings.HasPrefix(line, "wine: ") {
		return true
	}
	// "0024:fixme:ntdll:..." : a thread id in hex, then a debug class.
	id, rest, ok := strings.Cut(line, ":")
	if !ok || len(id) != 4 || strings.Trim(id, "0123456789abcdef") != "" {
		return false
	}
	for _, class := range []string{"fixme:", "err:", "warn:", "trace:"} {
		if strings.HasPrefix(rest, class) {
			return true
		}
	}
	return false
}

// WinPath is how a program in the prefix names a Unix path: Wine maps Z:
// to the Unix root.
func WinPath(unixPath string) string {
	abs, err := filepath.Abs(unixPath)
	if err != nil {
		abs = unixPath
	}
	return `Z:` + strings.ReplaceAll(abs, "/", `\`)
}

// User is the Windows user name inside the prefix: Wine uses the Unix one.
func User() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if out, err := exec.Command("id", "-un").Output(); err == nil {
		return strings.TrimSpace(string(out))
	}
	return "root"
}

// AppData is %AppData% of the prefix's user, as a Unix path.
func (w *Wine) AppData() string {
	return filepath.Join(w.Prefix, "drive_c", "users", User(), "AppData", "Roaming")
}

// RegQuery is `reg query KEY /v VALUE` in the prefix: the value's data, or
// found=false when reg says it does not exist.
func (w *Wine) RegQuery(ctx context.Context, key, value string) (data string, found bool, err error) {
	out, _, code, err := w.Output(ctx, "reg", "query", key, "/v", value)
	if err != nil {
		return "", false, fmt.Errorf("reg query: %w", err)
	}
	if code != 0 {
		return "", false, nil
	}
	for _, line := range strings.Split(out, "\n") {
		// "    NAME    REG_TYPE    DATA"; the name may hold spaces.
		line = strings.TrimSpace(line)
		if len(line) <= len(value) || !strings.EqualFold(line[:len(value)], value) {
			continue
		}
		rest := strings.Fields(line[len(value):])
		if len(rest) >= 1 && strings.HasPrefix(rest[0], "REG_") {
			i := strings.Index(line[len(value):], rest[0]) + len(rest[0])
			return strings.TrimSpace(line[len(value)+i:]), true, nil
		}
	}
	return "", false, fmt.Errorf("reg query %s /v %s: exit 0 but no value in:\n%s", key, value, out)
}

// RegAdd is `reg add KEY /v VALUE /t TYPE /d DATA /f` in the prefix.
func (w *Wine) RegAdd(ctx context.Context, key, value, typ, data string) error {
	out, errOut, code, err := w.Output(ctx, "reg", "add", key, "/v", value, "/t", typ, "/d", data, "/f")
	if err != nil || code != 0 {
		return fmt.Errorf("reg add %s /v %s: exit %d %v\n%s%s", key, value, code, err, out, errOut)
	}
	return nil
}

// ShutdownGrace bounds each step of Shutdown: a wineserver that has not
// ended by then is killed; Wine's slowness is never a test's failure.
const ShutdownGrace = 20 * time.Second

// Shutdown ends every process of the prefix (wineserver -k) and waits for
// the wineserver to go, each step at most ShutdownGrace.
func (w *Wine) Shutdown() {
	for _, args := range [][]string{{"-k"}, {"-w"}} {
		ctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
		cmd := exec.CommandContext(ctx, "wineserver", args...)
		cmd.Env = w.environ()
		cmd.WaitDelay = time.Second
		_ = cmd.Run()
		cancel()
	}
}
