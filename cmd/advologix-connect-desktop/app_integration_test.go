//go:build integration

package main

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
	"github.com/advologix/advologix-connect/internal/testing/testbin"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// These tests run the real binary in the test session
// (scripts/test-session.sh: a session bus, gnome-keyring, Xvfb) against
// stand-ins of a tray host and a notification daemon.

const waitApp = 30 * time.Second

// appBin is this command, built once for the whole run with make build's
// compile flags (internal/testing/testbin); $ADVOLOGIX_TEST_DESKTOP_BIN
// overrides it, to run the tests against another build.
func appBin(t *testing.T) string {
	t.Helper()
	return testbin.BuildOrEnv(t, testbin.DesktopBinEnv, testbin.DesktopPkg)
}

func TestMain(m *testing.M) { testbin.Main(m) }

// session is one test's isolated home and the desktop stand-ins.
type session struct {
	t     *testing.T
	env   []string
	conn  *dbus.Conn
	watch *desktoptest.Watcher
	notes *desktoptest.Notifications
}

func newSession(t *testing.T) *session {
	t.Helper()
	testfix.RequireSession(t, "go test -tags integration ./cmd/advologix-connect-desktop/")
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s := &session{t: t, conn: conn}
	if s.watch, err = desktoptest.StartWatcher(ctx, conn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.watch.Close() })
	if s.notes, err = desktoptest.StartNotifications(ctx, conn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.notes.Close() })
	s.env = testfix.AppEnv(t, t.TempDir())
	return s
}

// running is a running advologix-connect-desktop.
type running struct {
	cmd    *exec.Cmd
	stderr *testfix.Buffer
	done   chan struct{}
	err    error
}

func (s *session) start(args ...string) *running {
	s.t.Helper()
	cmd := exec.Command(appBin(s.t), args...)
	cmd.Env = s.env
	a := &running{cmd: cmd, stderr: &testfix.Buffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = a.stderr, a.stderr
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	go func() { a.err = cmd.Wait(); close(a.done) }()
	s.t.Cleanup(func() {
		select {
		case <-a.done:
		default:
			cmd.Process.Kill()
			<-a.done
		}
		if s.t.Failed() {
			s.t.Logf("%s output:\n%s", strings.Join(args, " "), a.stderr)
		}
	})
	return a
}

// terminate sends sig and wants a clean exit: status 0, no panic.
func (a *running) terminate(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := a.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-a.done:
	case <-time.After(waitApp):
		t.Fatalf("still running %v after %v", sig, waitApp)
	}
	if a.err != nil {
		t.Errorf("after %v: %v", sig, a.err)
	}
	if out := a.stderr.String(); strings.Contains(out, "panic") || strings.Contains(out, "goroutine ") {
		t.Errorf("after %v the output has a panic:\n%s", sig, out)
	}
}

// window waits for a window of pid titled exactly title.
func window(t *testing.T, pid int, title string) string {
	t.Helper()
	deadline := time.Now().Add(waitApp)
	for {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--pid", strconv.Itoa(pid), "--name", "^"+title+"$").Output()
		if id := strings.TrimSpace(string(out)); id != "" {
			return strings.Fields(id)[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window %q of pid %d within %v", title, pid, waitApp)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestTrayFromTheFirstWindow: the first run opens the wizard and the tray
// icon at once, named for the app; SIGTERM and SIGINT end it cleanly.
func TestTrayFromTheFirstWindow(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			s := newSession(t)
			a := s.start()
			ctx, cancel := context.WithTimeout(context.Background(), waitApp)
			defer cancel()
			item, err := s.watch.WaitItemPID(ctx, a.cmd.Process.Pid)
			if err != nil {
				t.Fatalf("no tray icon beside the set-up window: %v", err)
			}
			window(t, a.cmd.Process.Pid, "AdvoLogix Connect — Set up")
			props, err := desktoptest.GetItemProperties(ctx, s.conn, item)
			if err != nil {
				t.Fatal(err)
			}
			if props.Title != "AdvoLogix Connect" || !strings.HasPrefix(props.ToolTipTitle, "AdvoLogix Connect\n") ||
				strings.Contains(props.ToolTipTitle, "com.advologix") {
				t.Errorf("title %q, tooltip %q; want the app's name and a status line", props.Title, props.ToolTipTitle)
			}
			menu, err := desktoptest.WaitMenu(ctx, s.conn, item, desktoptest.HasLabels("Test connection", "Settings…", "Quit"))
			if err != nil {
				t.Fatal(err)
			}
			if labels := menu.Labels(); !slices.Contains(labels, "Not set up yet") {
				t.Errorf("menu %q has no status line", labels)
			}
			if n := s.notes.All(); len(n) != 0 {
				t.Errorf("notifications beside the wizard: %+v", n)
			}
			a.terminate(t, sig)
		})
	}
}

// TestSecondLaunchTrayThenSIGTERM: "tray" from a second launch reaches the
// running instance; it keeps its tray, and SIGTERM still ends it cleanly
// (the tray started after App.Run used to panic here).
func TestSecondLaunchTrayThenSIGTERM(t *testing.T) {
	s := newSession(t)
	a := s.start()
	ctx, cancel := context.WithTimeout(context.Background(), waitApp)
	defer cancel()
	window(t, a.cmd.Process.Pid, "AdvoLogix Connect — Set up")
	second := exec.Command(appBin(t), "tray")
	second.Env = s.env
	if out, err := second.CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("second launch: %v, output %q", err, out)
	}
	if _, err := s.watch.WaitItemPID(ctx, a.cmd.Process.Pid); err != nil {
		t.Errorf("no tray icon after the second launch: %v", err)
	}
	a.terminate(t, syscall.SIGTERM)
}

// TestNotificationOpensSettings: "Test connection" in the tray notifies with
// a timeout, a short text and a default action; the action opens Settings
// on the profile without a new login.
func TestNotificationOpensSettings(t *testing.T) {
	s := newSession(t)
	srv := testfix.StartEmulator(t, nil)
	// The login is the command line's, built as appBin builds this program.
	login := exec.Command(testbin.Build(t, testbin.AppPkg), "login", "--profile", "default", "--login-url", srv.URL(), "--username", testfix.JaneUsername,
		"--ca-file", srv.CAFile, "--password-stdin", "--no-check")
	login.Env = s.env
	login.Stdin = strings.NewReader(testfix.JanePassword + "\n" + testfix.JaneToken + "\n")
	if out, err := login.CombinedOutput(); err != nil {
		t.Fatalf("login: %v\n%s", err, out)
	}

	a := s.start("tray")
	ctx, cancel := context.WithTimeout(context.Background(), waitApp)
	defer cancel()
	item, err := s.watch.WaitItemPID(ctx, a.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desktoptest.WaitMenu(ctx, s.conn, item, func(m desktoptest.MenuItem) bool {
		return slices.ContainsFunc(m.Labels(), func(l string) bool { return strings.HasPrefix(l, "Connected as Jane Doe") })
	}); err != nil {
		t.Fatalf("the first check did not reach the menu: %v", err)
	}
	if err := desktoptest.ClickLabelLost(ctx, s.conn, item, "Test connection", desktoptest.SystrayLost(a.stderr.String)); err != nil {
		t.Fatal(err)
	}
	n, err := s.notes.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.AppName != "AdvoLogix Connect" || n.Summary != "AdvoLogix Connect: connected" ||
		n.Body != "Signed in as Jane Doe\nFirm & Partners LLP · production" {
		t.Errorf("notification %q / %q / %q", n.AppName, n.Summary, n.Body)
	}
	if n.ExpireTimeout <= 0 || n.ExpireTimeout > 30000 {
		t.Errorf("expire timeout %d ms, want a few seconds", n.ExpireTimeout)
	}
	if !slices.Contains(n.Actions, "default") {
		t.Errorf("actions %q, want a default action", n.Actions)
	}
	logins := srv.Requests()
	if err := s.conn.Emit(desktoptest.NotificationsPath, "org.freedesktop.Notifications.ActionInvoked", n.ID, "default"); err != nil {
		t.Fatal(err)
	}
	// In a window process of the tray (which gives its memory back when
	// the window closes).
	child := windowOfChild(t, a.cmd.Process.Pid, "AdvoLogix Connect")
	time.Sleep(500 * time.Millisecond) // a login it should not make would have started by now
	if got := srv.Requests(); len(got) != len(logins) {
		t.Errorf("opening Settings from the notification sent %d more requests: %+v", len(got)-len(logins), got[len(logins):])
	}
	a.terminate(t, syscall.SIGTERM)
	// The window process goes with the tray.
	deadline := time.Now().Add(waitApp)
	for syscall.Kill(child, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("window process %d still runs after the tray quit", child)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// windowOfChild waits for a window titled title of a child process of
// parent and returns the child's pid.
func windowOfChild(t *testing.T, parent int, title string) int {
	t.Helper()
	deadline := time.Now().Add(waitApp)
	for {
		out, _ := exec.Command("pgrep", "-P", strconv.Itoa(parent)).Output()
		for _, f := range strings.Fields(string(out)) {
			pid, _ := strconv.Atoi(f)
			ids, _ := exec.Command("xdotool", "search", "--onlyvisible", "--pid", f, "--name", "^"+title+"$").Output()
			if pid != 0 && strings.TrimSpace(string(ids)) != "" {
				return pid
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window %q of a child of %d within %v", title, parent, waitApp)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
