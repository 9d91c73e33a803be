//go:build integration

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// look is how the app is drawn: Fyne's scale and theme.
type look struct {
	Scale string // FYNE_SCALE
	Theme string // FYNE_THEME: light or dark
}

func (l look) String() string { return "scale" + l.Scale + "-" + l.Theme }

// enlarge is how much OCR enlarges a picture drawn in this look: text at
// scale 1 is too small for tesseract, at scale 2 it is big enough.
func (l look) enlarge() int {
	if l.Scale == "1" {
		return 2
	}
	return 1
}

// env is the look's environment variables.
func (l look) env() []string { return []string{"FYNE_SCALE=" + l.Scale, "FYNE_THEME=" + l.Theme} }

// looks are the four ways every checked screen is photographed.
var looks = []look{{"1", "dark"}, {"1", "light"}, {"2", "dark"}, {"2", "light"}}

// defaultLook is the look of the tests that photograph one way only.
var defaultLook = look{"1", "dark"}

// desk is one test's own desktop: a fresh bus, keyring, X server, window
// manager, xfce4-panel as the tray host and xfce4-notifyd, nothing shared
// with another test (so no prompt or window of another test can be on
// its screen), plus a monitor of the notifications sent on its bus.
type desk struct {
	*desktoptest.Session
	Notes *desktoptest.NotifyMonitor
	t     *testing.T
}

// newDesk starts a 1366×768 desktop for t (newDeskSized).
func newDesk(t *testing.T) *desk {
	t.Helper()
	return newDeskSized(t, 1366, 768)
}

// newDeskSized starts a desktop of width×height for t and asserts that
// its screen shows nothing but the desktop itself; it ends with the test.
func newDeskSized(t *testing.T, width, height int) *desk {
	t.Helper()
	requireTools(t, append(desktoptest.SessionTools, desktoptest.OCRTools...)...)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	s, err := desktoptest.StartSession(ctx, shortTempDir(t), desktoptest.SessionOptions{Width: width, Height: height, Env: []string{"LANG=en_US.UTF-8"}, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("desktop logs:\n%s", s.Logs())
		}
		if err := s.Close(); err != nil {
			t.Errorf("desktop session: %v", err)
		}
	})
	mon, err := desktoptest.StartNotifyMonitor(s.Bus, s.Conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mon.Close() })
	d := &desk{Session: s, Notes: mon, t: t}
	d.assertClean()
	return d
}

// shortTempDir is a temporary directory with a short path: the bus and
// X server put sockets under it, and a socket's path has a length limit.
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// assertClean fails the test if a window is on screen that belongs
// neither to the desktop nor to one of pids (the processes under test):
// a keyring prompt, another program's window.
func (d *desk) assertClean(pids ...int) {
	d.t.Helper()
	foreign, err := d.ForeignWindows(pids...)
	if err != nil {
		d.t.Fatalf("list the windows: %v", err)
	}
	if len(foreign) > 0 {
		path := filepath.Join(artifactsDir(d.t), fileName(d.t.Name())+"-foreign-windows.png")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = d.Screenshot(ctx, "root", path)
		d.t.Fatalf("windows not of the test on screen: %v (screen: %s)", foreign, path)
	}
}

// app is one run of the desktop program advologix-connect-desktop on the desk.
type app struct {
	*proc
	d    *desk
	look look
}

// startApp runs the desktop program with args on the desk, in the look
// l, trusting the emulator's CA (ca, may be "") through SSL_CERT_FILE.
func (d *desk) startApp(l look, ca string, args ...string) *app {
	d.t.Helper()
	bin := buildDesktop(d.t)
	env := d.Env(l.env()...)
	if ca != "" {
		env = append(env, "SSL_CERT_FILE="+ca)
	}
	return &app{proc: startProcess(d.t, env, bin, args...), d: d, look: l}
}

// cli runs the app's command line on the desk (its keyring, its settings)
// and returns its exit code and output.
func (d *desk) cli(ca, stdin string, args ...string) (int, string) {
	d.t.Helper()
	cmd := d.Command(buildApp(d.t), args...)
	if ca != "" {
		cmd.Env = append(cmd.Env, "SSL_CERT_FILE="+ca)
	}
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		code = -1
		if cmd.ProcessState != nil {
			code = cmd.ProcessState.ExitCode()
		}
	}
	return code, string(out)
}

// window waits for the app's window titled exactly title.
func (a *app) window(title string) desktoptest.Window {
	a.d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	w, err := a.d.WaitWindow(ctx, a.Pid(), title)
	if err != nil {
		a.d.t.Fatalf("%v\noutput:\n%s", err, a.Output())
	}
	return w
}

// keys sends key events (xdotool key names: Tab, space, Return,
// shift+Tab, …) to the focused window, one at a time.
func (d *desk) keys(names ...string) {
	d.t.Helper()
	for _, k := range names {
		if _, err := d.Xdotool("key", "--clearmodifiers", k); err != nil {
			d.t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
	}
}

// typeText types s as key events into the focused window.
func (d *desk) typeText(s string) {
	d.t.Helper()
	if _, err := d.Xdotool("type", "--delay", "20", s); err != nil {
		d.t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
}

// focus activates win through the window manager, as a click on it would.
func (d *desk) focus(win desktoptest.Window) {
	d.t.Helper()
	if _, err := d.Xdotool("windowactivate", "--sync", win.ID); err != nil {
		d.t.Fatal(err)
	}
}
