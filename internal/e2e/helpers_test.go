//go:build integration

package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/advologix/advologix-connect/internal/desktoptest"
	"github.com/advologix/advologix-connect/sfclient/sftest"
)

// The one user of the emulated org.
const (
	janeUsername = "jane@firm.example.com"
	janePassword = "Corr3ct-Horse!"
	janeToken    = "aBcDeF0123456789GhIjKlMn"
	janeFullName = "Jane Doe"
	orgName      = "Firm & Partners LLP"
)

const (
	appPkg      = "github.com/advologix/advologix-connect/cmd/advologix-connect"
	trayDemoPkg = "github.com/advologix/advologix-connect/internal/desktoptest/testdata/traydemo"

	// waitLong bounds waits for the app: generous for a cold start under
	// the race detector, short enough that a hang fails fast.
	waitLong = 20 * time.Second

	// acquireWait bounds the wait for the stand-ins' bus names, which a
	// test of another package running at the same time may hold.
	acquireWait = 3 * time.Minute
)

func TestMain(m *testing.M) {
	code := m.Run()
	if builds.dir != "" {
		os.RemoveAll(builds.dir)
	}
	os.Exit(code)
}

// builds caches one binary per package for the whole test binary.
var builds struct {
	mu   sync.Mutex
	dir  string
	bins map[string]string
	errs map[string]error
}

// build compiles pkg (an import path) with CGO_ENABLED=1 once per test
// binary and returns the executable's path. A failed build fails every
// test that needs it, with the compiler's output.
func build(t *testing.T, pkg string) string {
	t.Helper()
	builds.mu.Lock()
	defer builds.mu.Unlock()
	if builds.bins == nil {
		builds.bins, builds.errs = map[string]string{}, map[string]error{}
	}
	if bin, ok := builds.bins[pkg]; ok {
		return bin
	}
	if err, ok := builds.errs[pkg]; ok {
		t.Fatal(err)
	}
	bin, err := buildLocked(pkg)
	if err != nil {
		builds.errs[pkg] = err
		t.Fatal(err)
	}
	builds.bins[pkg] = bin
	return bin
}

func buildLocked(pkg string) (string, error) {
	if builds.dir == "" {
		dir, err := os.MkdirTemp("", "advologix-e2e-bin-")
		if err != nil {
			return "", err
		}
		builds.dir = dir
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("build: the go command is not on PATH")
	}
	bin := filepath.Join(builds.dir, filepath.Base(pkg))
	cmd := exec.Command(goTool, "build", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin, nil
}

// buildApp returns the path of a freshly built advologix-connect.
func buildApp(t *testing.T) string {
	t.Helper()
	return build(t, appPkg)
}

// requireSession fails (never skips) outside scripts/test-session.sh.
func requireSession(t *testing.T) {
	t.Helper()
	for _, v := range []string{"DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "HOME"} {
		if os.Getenv(v) == "" {
			t.Fatalf("%s is not set: run the e2e tests under scripts/test-session.sh, as make test does", v)
		}
	}
}

// requireTools fails naming every missing command.
func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	var missing []string
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("missing %s (run scripts/ensure-deps.sh runtime-test)", strings.Join(missing, ", "))
	}
}

// startEmulator starts a Salesforce emulator with Jane as its one user
// and writes its CA certificate to a file for --ca-file. Both go away at
// the end of the test.
func startEmulator(t *testing.T) (srv *sftest.Server, caPath string) {
	t.Helper()
	srv, err := sftest.New(sftest.Config{
		OrgName: orgName,
		Users: []sftest.User{{
			Username:      janeUsername,
			Password:      janePassword,
			SecurityToken: janeToken,
			FullName:      janeFullName,
		}},
	})
	if err != nil {
		t.Fatalf("start the Salesforce emulator: %v", err)
	}
	t.Cleanup(srv.Close)
	caPath = filepath.Join(t.TempDir(), "emulator-ca.pem")
	if err := srv.WriteCAFile(caPath); err != nil {
		t.Fatalf("write the emulator's CA: %v", err)
	}
	return srv, caPath
}

// appEnv is the environment for one run of the app: the session's (DISPLAY,
// DBUS_SESSION_BUS_ADDRESS, HOME, PATH, …) with a fresh XDG_CONFIG_HOME and
// XDG_CACHE_HOME under the test's temp dir, so settings and Fyne
// preferences start empty. ADVOLOGIX_* variables (a developer's client
// secret, the harness's own) are dropped: a test sets what it needs by
// appending. The keychain is the session's and is shared by every test of
// the run: use distinct profile names or log out at cleanup.
func appEnv(t *testing.T) []string {
	t.Helper()
	requireSession(t)
	root := t.TempDir()
	config, cache := filepath.Join(root, "config"), filepath.Join(root, "cache")
	for _, d := range []string{config, cache} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "XDG_CONFIG_HOME" || k == "XDG_CACHE_HOME" || strings.HasPrefix(k, "ADVOLOGIX_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "XDG_CONFIG_HOME="+config, "XDG_CACHE_HOME="+cache)
}

// desktop is the shell side of the session: a private bus connection with
// the tray watcher and notification server stand-ins on it.
type desktop struct {
	Conn    *dbus.Conn
	Watcher *desktoptest.Watcher
	Notes   *desktoptest.Notifications
}

// startDesktop starts both stand-ins; call it before starting the app, or
// its tray and notifications may go nowhere. It waits (up to acquireWait)
// while a test of another package holds them: go test runs packages in
// parallel in one session, and the bus names serialise them. The app's
// cleanup must run before the stand-ins': start the app after this.
func startDesktop(t *testing.T) *desktop {
	t.Helper()
	requireSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), acquireWait)
	defer cancel()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("connect to the session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	// Always the watcher first, then the notifications: one order for
	// every test, so two tests never wait for each other.
	w, err := desktoptest.StartWatcher(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	n, err := desktoptest.StartNotifications(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return &desktop{Conn: conn, Watcher: w, Notes: n}
}

// proc is a program started by a test.
type proc struct {
	cmd    *exec.Cmd
	out    *lockedBuffer
	exited chan struct{}
	err    error // valid once exited is closed
}

// startProcess runs bin with env and args, stdout and stderr captured
// together. At cleanup a still-running process gets SIGTERM, then SIGKILL
// after 5 s; its output is logged if the test failed.
func startProcess(t *testing.T, env []string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), out: &lockedBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.exited:
			case <-time.After(5 * time.Second):
				t.Errorf("%s ignored SIGTERM for 5 s; killed", filepath.Base(bin))
				_ = p.cmd.Process.Kill()
				<-p.exited
			}
		}
		if t.Failed() {
			t.Logf("output of %s %q:\n%s", filepath.Base(bin), args, p.Output())
		}
	})
	return p
}

// Pid is the process ID.
func (p *proc) Pid() int { return p.cmd.Process.Pid }

// Output is everything the process wrote so far.
func (p *proc) Output() string { return p.out.String() }

// wait waits for the process to end and returns its exit code.
func (p *proc) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(timeout):
		t.Fatalf("%s still runs after %v", filepath.Base(p.cmd.Path), timeout)
	}
	var exit *exec.ExitError
	if p.err != nil && !errors.As(p.err, &exit) {
		t.Fatalf("wait for %s: %v", filepath.Base(p.cmd.Path), p.err)
	}
	return p.cmd.ProcessState.ExitCode()
}

// lockedBuffer is a bytes.Buffer safe for the writer goroutines of
// exec.Cmd and a reading test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitWindow waits until a visible X window has exactly this title and
// returns its ID (decimal, as xdotool prints it). On timeout it fails,
// listing the visible windows. The display is shared by the packages go
// test runs in parallel: prefer [proc.waitWindow] for a window of a
// process the test started.
func waitWindow(t *testing.T, title string, timeout time.Duration) string {
	t.Helper()
	return searchWindow(t, 0, title, timeout)
}

// waitWindow is [waitWindow] for a window of p only (by _NET_WM_PID, which
// GLFW sets).
func (p *proc) waitWindow(t *testing.T, title string, timeout time.Duration) string {
	t.Helper()
	return searchWindow(t, p.Pid(), title, timeout)
}

func searchWindow(t *testing.T, pid int, title string, timeout time.Duration) string {
	t.Helper()
	requireTools(t, "xdotool")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// Options come before the pattern; without --all xdotool matches
	// windows meeting any one condition.
	args := []string{"search", "--sync", "--onlyvisible"}
	if pid != 0 {
		args = append(args, "--all", "--pid", strconv.Itoa(pid))
	}
	// A prefix match: xdotool's regular expressions work on bytes in the C
	// locale, so titles are matched up to their first non-ASCII character
	// by the caller's choice of prefix.
	args = append(args, "--name", "^"+regexp.QuoteMeta(title))
	out, err := exec.CommandContext(ctx, "xdotool", args...).Output()
	if ctx.Err() != nil {
		of := ""
		if pid != 0 {
			of = fmt.Sprintf(" of process %d", pid)
		}
		t.Fatalf("no visible window titled %q%s after %v; visible windows: %s", title, of, timeout, visibleWindows())
	}
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = fmt.Errorf("%v: %s", err, exit.Stderr)
		}
		t.Fatalf("xdotool search %q: %v", title, err)
	}
	ids := strings.Fields(string(out))
	if len(ids) == 0 {
		t.Fatalf("xdotool search %q printed no window", title)
	}
	if len(ids) > 1 {
		t.Logf("%d windows titled %q; using the first", len(ids), title)
	}
	return ids[0]
}

// visibleWindows lists the titles of the visible windows, for messages.
func visibleWindows() string {
	out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", ".").Output()
	var titles []string
	for _, id := range strings.Fields(string(out)) {
		name, err := exec.Command("xdotool", "getwindowname", id).Output()
		if err == nil && len(bytes.TrimSpace(name)) > 0 {
			titles = append(titles, fmt.Sprintf("%s %q", id, bytes.TrimSpace(name)))
		}
	}
	if len(titles) == 0 {
		return "none with a title"
	}
	return strings.Join(titles, ", ")
}

// screenshot photographs an X window ("root" for the whole screen) with
// ImageMagick's import into $ADVOLOGIX_ARTIFACTS/e2e (a temp dir without
// it) and returns the PNG's path. A picture of one flat colour means the
// window was not drawn yet, so it tries again for up to 5 s before
// failing.
func screenshot(t *testing.T, windowID, name string) string {
	t.Helper()
	requireTools(t, "import")
	path := filepath.Join(artifactsDir(t), fileName(t.Name()+"-"+name)+".png")
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, err := exec.Command("import", "-window", windowID, path).CombinedOutput()
		if err != nil {
			t.Fatalf("import -window %s: %v\n%s", windowID, err, out)
		}
		err = checkPicture(path)
		if err == nil {
			t.Logf("screenshot: %s", path)
			return path
		}
		if time.Now().After(deadline) {
			t.Fatalf("screenshot of window %s: %v", windowID, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkPicture fails for an unreadable or empty PNG, or one of a single
// colour.
func checkPicture(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b := img.Bounds()
	if b.Empty() {
		return fmt.Errorf("%s: empty picture", path)
	}
	r0, g0, b0, a0 := img.At(b.Min.X, b.Min.Y).RGBA()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, a := img.At(x, y).RGBA(); r != r0 || g != g0 || bl != b0 || a != a0 {
				return nil
			}
		}
	}
	return fmt.Errorf("%s: %dx%d of one flat colour (rgba %d,%d,%d,%d)", path, b.Dx(), b.Dy(), r0>>8, g0>>8, b0>>8, a0>>8)
}

// artifactsDir is $ADVOLOGIX_ARTIFACTS/e2e, or a temp dir.
func artifactsDir(t *testing.T) string {
	t.Helper()
	root := os.Getenv("ADVOLOGIX_ARTIFACTS")
	if root == "" {
		return t.TempDir()
	}
	dir := filepath.Join(root, "e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts: %v", err)
	}
	return dir
}

// fileName makes s safe as a file name.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// TestHarness proves the helpers on this machine before the app's own
// tests rely on them: the app builds and starts, the emulator answers
// through the CA file, and a real Fyne program (testdata/traydemo of
// internal/desktoptest, with a window) can be found, photographed, and
// quit through its tray menu.
func TestHarness(t *testing.T) {
	requireSession(t)
	requireTools(t, "xdotool", "import")
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()

	app := buildApp(t)
	if code := startProcess(t, appEnv(t), app, "version").wait(t, waitLong); code != 0 {
		t.Errorf("advologix-connect version: exit %d", code)
	}

	srv, caPath := startEmulator(t)
	pemBytes, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatalf("%s holds no certificate", caPath)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/services/data/", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("the emulator through %s: %v", caPath, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /services/data/: %s", resp.Status)
	}

	d := startDesktop(t)
	demo := startProcess(t, appEnv(t), build(t, trayDemoPkg), "-window")
	win := demo.waitWindow(t, "traydemo window", waitLong)
	if other := waitWindow(t, "traydemo window", waitLong); other != win {
		t.Errorf("waitWindow found %s, proc.waitWindow %s", other, win)
	}
	screenshot(t, win, "window")
	screenshot(t, "root", "screen")

	item, err := d.Watcher.WaitItemPID(ctx, demo.Pid())
	if err != nil {
		t.Fatal(err)
	}
	if err := desktoptest.ClickLabel(ctx, d.Conn, item, "Quit"); err != nil {
		t.Fatal(err)
	}
	if code := demo.wait(t, waitLong); code != 0 {
		t.Errorf("traydemo after Quit: exit %d", code)
	}
}
