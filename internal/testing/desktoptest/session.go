package desktoptest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
)

// panelConfig is xfconf's channel for xfce4-panel, written where xfconfd
// (which the bus starts on the panel's first call) reads it: one panel
// along the top of the screen holding only the Status Tray (systray)
// plugin, the real StatusNotifierItem host. With configver set the panel
// neither migrates a default layout nor asks which one to use.
const panelConfig = `<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="icon-size" type="uint" value="16"/>
      <property name="size" type="uint" value="26"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray">
      <property name="square-icons" type="bool" value="true"/>
    </property>
  </property>
</channel>
`

// SessionTools are the programs [StartSession] runs; a missing one fails
// the session, it is never skipped.
var SessionTools = []string{"dbus-daemon", "gnome-keyring-daemon", "Xvfb", "openbox", "xfce4-panel", "xdotool", "xprop"}

// notifydPath is where Debian installs xfce4-notifyd (it is not on PATH).
const notifydPath = "/usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd"

// keyringPassword unlocks the session's throw-away login keyring.
const keyringPassword = "test-keyring-pw"

// Session is a throw-away desktop of its own: a private D-Bus session bus,
// an unlocked gnome-keyring (unlocked with DISPLAY unset, so no prompter
// ever opens), an X server (Xvfb), a window manager (openbox), a real tray
// host (xfce4-panel with only its Status Tray plugin, which owns
// org.kde.StatusNotifierWatcher) and a real notification daemon
// (xfce4-notifyd). HOME and the XDG folders are fresh directories under
// Dir. Nothing of it is shared with another session, so no window or
// keyring state of another test can reach it.
type Session struct {
	Dir     string // root of HOME, XDG_* and the logs
	Display string // ":N"
	Bus     string // DBUS_SESSION_BUS_ADDRESS
	Width   int
	Height  int
	// Conn is a connection of the test to the session's bus.
	Conn *dbus.Conn

	base []string // the environment every program of the session gets
	opts SessionOptions

	mu    sync.Mutex
	procs []*sessionProc // started by the session, stopped in reverse
	// ownPIDs are the desktop's own processes (window manager, panel,
	// notification daemon); their windows and their children's are not
	// foreign.
	ownPIDs map[string]int
}

type sessionProc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

// SessionOptions configure [StartSession].
type SessionOptions struct {
	// Width and Height of the screen; 1280×800 if zero.
	Width, Height int
	// Env is added to every program's environment (e.g. LANG).
	Env []string
	// Logf, when set, is told what Close had to do by force (a program
	// that outlived its grace period); t.Logf fits.
	Logf func(format string, args ...any)
}

// StartSession starts a desktop under dir (which must exist and be empty,
// e.g. t.TempDir()). Close it when done. ctx bounds the start-up only.
func StartSession(ctx context.Context, dir string, opts SessionOptions) (s *Session, err error) {
	var missing []string
	for _, tool := range SessionTools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if _, err := os.Stat(notifydPath); err != nil {
		missing = append(missing, "xfce4-notifyd")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("desktop session: missing %s (run scripts/ensure-deps.sh runtime-test)", strings.Join(missing, ", "))
	}
	if opts.Width == 0 {
		opts.Width, opts.Height = 1280, 800
	}
	s = &Session{Dir: dir, Width: opts.Width, Height: opts.Height, ownPIDs: map[string]int{}, opts: opts}
	defer func() {
		if err != nil {
			s.Close()
			s = nil
		}
	}()
	dirs := map[string]string{"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache",
		"XDG_DATA_HOME": "data", "XDG_RUNTIME_DIR": "runtime", "XDG_STATE_HOME": "state"}
	for k, sub := range dirs {
		p := filepath.Join(dir, sub)
		if err := os.MkdirAll(p, 0o700); err != nil {
			return nil, err
		}
		s.base = append(s.base, k+"="+p)
	}
	xfconf := filepath.Join(dir, "config", "xfce4", "xfconf", "xfce-perchannel-xml")
	if err := os.MkdirAll(xfconf, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(xfconf, "xfce4-panel.xml"), []byte(panelConfig), 0o600); err != nil {
		return nil, err
	}
	// The programs of the session see nothing of the caller's desktop.
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case dirs[k] != "", k == "DISPLAY", k == "WAYLAND_DISPLAY", k == "DBUS_SESSION_BUS_ADDRESS",
			k == "SESSION_MANAGER", k == "GNOME_KEYRING_CONTROL", k == "XAUTHORITY", k == "XDG_CONFIG_DIRS",
			k == "XDG_SESSION_TYPE", k == "XDG_CURRENT_DESKTOP", strings.HasPrefix(k, "ADVOLOGIX_"):
			continue
		}
		s.base = append(s.base, kv)
	}
	s.base = append(s.base, opts.Env...)

	// 1. The bus.
	bus, err := s.startWithFD(ctx, "dbus-daemon", "dbus-daemon", nil, "--session", "--nofork", "--print-address=3")
	if err != nil {
		return nil, err
	}
	s.Bus = strings.TrimSpace(bus)
	s.base = append(s.base, "DBUS_SESSION_BUS_ADDRESS="+s.Bus)

	// 2. The keyring, unlocked before there is a display to ask on.
	if err := s.unlockKeyring(ctx); err != nil {
		return nil, err
	}

	// 3. The X server.
	num, err := s.startWithFD(ctx, "Xvfb", "Xvfb", nil, "-displayfd", "3", "-screen", "0",
		fmt.Sprintf("%dx%dx24", opts.Width, opts.Height), "-nolisten", "tcp")
	if err != nil {
		return nil, err
	}
	s.Display = ":" + strings.TrimSpace(num)
	s.base = append(s.base, "DISPLAY="+s.Display)

	s.Conn, err = dbus.Connect(s.Bus)
	if err != nil {
		return nil, fmt.Errorf("desktop session: connect to its bus: %w", err)
	}

	// 4. The window manager, the tray host, the notification daemon.
	wm, err := s.start("openbox", "openbox", "--sm-disable")
	if err != nil {
		return nil, err
	}
	if err := s.waitFor(ctx, "openbox to manage the screen", func() bool {
		out, err := exec.Command("xprop", "-display", s.Display, "-root", "_NET_SUPPORTING_WM_CHECK").Output()
		return err == nil && bytes.Contains(out, []byte("window id"))
	}, wm); err != nil {
		return nil, err
	}
	panel, err := s.start("xfce4-panel", "xfce4-panel")
	if err != nil {
		return nil, err
	}
	notifyd, err := s.start("xfce4-notifyd", notifydPath)
	if err != nil {
		return nil, err
	}
	if err := s.waitFor(ctx, "xfce4-panel's Status Tray to own "+WatcherName, func() bool {
		return s.hasOwner(WatcherName)
	}, panel); err != nil {
		return nil, err
	}
	if err := s.waitFor(ctx, "xfce4-notifyd to own org.freedesktop.Notifications", func() bool {
		return s.hasOwner("org.freedesktop.Notifications") && s.ownerPID("org.freedesktop.Notifications") == notifyd.cmd.Process.Pid
	}, notifyd); err != nil {
		return nil, err
	}
	if err := s.waitFor(ctx, "the panel's window", func() bool {
		ws, err := s.Windows()
		if err != nil {
			return false
		}
		for _, w := range ws {
			if w.PID == panel.cmd.Process.Pid && w.Width == opts.Width {
				return true
			}
		}
		return false
	}, panel); err != nil {
		return nil, err
	}
	return s, nil
}

// Env is the environment for a program of the session: DISPLAY,
// DBUS_SESSION_BUS_ADDRESS, HOME and XDG_* of the session, plus extra.
func (s *Session) Env(extra ...string) []string {
	return append(append([]string(nil), s.base...), extra...)
}

// Getenv returns the value of key in [Session.Env].
func (s *Session) Getenv(key string) string {
	for _, kv := range s.base {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// Command is exec.Command with the session's environment.
func (s *Session) Command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = s.Env()
	return cmd
}

// PanelPID is the tray host's process ID.
func (s *Session) PanelPID() int { return s.pid("xfce4-panel") }

// NotifydPID is the notification daemon's process ID.
func (s *Session) NotifydPID() int { return s.pid("xfce4-notifyd") }

func (s *Session) pid(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ownPIDs[name]
}

func (s *Session) start(name, prog string, args ...string) (*sessionProc, error) {
	cmd := exec.Command(prog, args...)
	cmd.Env = s.base
	log, err := os.Create(filepath.Join(s.Dir, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("desktop session: start %s: %w", name, err)
	}
	p := &sessionProc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		log.Close()
		close(p.done)
	}()
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.ownPIDs[name] = cmd.Process.Pid
	s.mu.Unlock()
	return p, nil
}

// startWithFD starts prog, which writes one line to file descriptor 3
// once it is ready (dbus-daemon's address, Xvfb's display number), and
// returns that line.
func (s *Session) startWithFD(ctx context.Context, name, prog string, _ []string, args ...string) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command(prog, args...)
	cmd.Env = s.base
	cmd.ExtraFiles = []*os.File{w}
	log, err := os.Create(filepath.Join(s.Dir, name+".log"))
	if err != nil {
		w.Close()
		return "", err
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	w.Close()
	if err != nil {
		log.Close()
		return "", fmt.Errorf("desktop session: start %s: %w", name, err)
	}
	p := &sessionProc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		log.Close()
		close(p.done)
	}()
	s.mu.Lock()
	s.procs = append(s.procs, p)
	s.mu.Unlock()
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(r).ReadString('\n')
		line <- l
	}()
	select {
	case l := <-line:
		if strings.TrimSpace(l) == "" {
			return "", fmt.Errorf("desktop session: %s did not start: %s", name, s.logTail(name))
		}
		return l, nil
	case <-ctx.Done():
		return "", fmt.Errorf("desktop session: %s not ready: %w: %s", name, ctx.Err(), s.logTail(name))
	}
}

// unlockKeyring starts gnome-keyring-daemon's Secret Service on the
// session bus with a new login keyring, unlocked, while the session has
// no display: a locked keyring with a display would open gcr-prompter.
func (s *Session) unlockKeyring(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "gnome-keyring-daemon", "--unlock", "--components=secrets")
	cmd.Env = s.base // no DISPLAY yet
	cmd.Stdin = strings.NewReader(keyringPassword)
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("desktop session: gnome-keyring-daemon --unlock: %w", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "GNOME_KEYRING_CONTROL=") {
			s.base = append(s.base, line)
		}
	}
	// The daemon forked; it leaves with the bus. Prove it answers.
	return s.waitFor(ctx, "gnome-keyring to own org.freedesktop.secrets", func() bool {
		return s.hasOwner("org.freedesktop.secrets")
	}, nil)
}

func (s *Session) busConn() (*dbus.Conn, error) {
	if s.Conn != nil {
		return s.Conn, nil
	}
	return dbus.Connect(s.Bus)
}

func (s *Session) hasOwner(name string) bool {
	conn, err := s.busConn()
	if err != nil {
		return false
	}
	if conn != s.Conn {
		defer conn.Close()
	}
	var has bool
	return conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has) == nil && has
}

func (s *Session) ownerPID(name string) int {
	conn, err := s.busConn()
	if err != nil {
		return 0
	}
	if conn != s.Conn {
		defer conn.Close()
	}
	var pid uint32
	if conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, name).Store(&pid) != nil {
		return 0
	}
	return int(pid)
}

// waitFor polls cond until it holds, ctx ends or p exits.
func (s *Session) waitFor(ctx context.Context, what string, cond func() bool, p *sessionProc) error {
	for {
		if cond() {
			return nil
		}
		var exited <-chan struct{}
		if p != nil {
			exited = p.done
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("desktop session: waiting for %s: %w", what, ctx.Err())
		case <-exited:
			return fmt.Errorf("desktop session: %s exited while waiting for %s: %s", p.name, what, s.logTail(p.name))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Session) logTail(name string) string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, name+".log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// Logs returns the desktop programs' output, for a failed test's log.
func (s *Session) Logs() string {
	var b strings.Builder
	for _, name := range []string{"openbox", "xfce4-panel", "xfce4-notifyd", "Xvfb", "dbus-daemon"} {
		if t := s.logTail(name); t != "" {
			fmt.Fprintf(&b, "--- %s\n%s\n", name, t)
		}
	}
	return b.String()
}

// StopGrace is how long Close waits for each of the session's programs to
// act on SIGTERM before it kills it. They are third-party programs (an
// xfce4-panel still starting acts on SIGTERM only once its main loop runs,
// seen to take over 3 s on a loaded machine): one slow to exit is killed
// and logged, never a test failure.
const StopGrace = 5 * time.Second

// Close stops the session's programs, newest first (SIGTERM, then SIGKILL
// after StopGrace), which also ends what the bus activated (xfconfd) and
// the keyring daemon, which leave with the bus. A program killed after its
// grace period is reported to SessionOptions.Logf. The error is only for
// a program that could not be stopped at all.
func (s *Session) Close() error {
	if s.Conn != nil {
		s.Conn.Close()
	}
	s.mu.Lock()
	procs := s.procs
	s.procs = nil
	s.mu.Unlock()
	var errs []error
	for i := len(procs) - 1; i >= 0; i-- {
		p := procs[i]
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(StopGrace):
			if err := p.cmd.Process.Kill(); err != nil {
				errs = append(errs, fmt.Errorf("%s: kill after SIGTERM: %w", p.name, err))
			}
			<-p.done
			s.logf("desktop session: %s did not end within %v of SIGTERM; killed (a third-party program, not a failure)", p.name, StopGrace)
		}
	}
	return errors.Join(errs...)
}

func (s *Session) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// Window is a visible X window of the session.
type Window struct {
	ID                  string // decimal, as xdotool prints it
	PID                 int    // _NET_WM_PID, 0 if unset
	Title               string // _NET_WM_NAME (UTF-8), else WM_NAME
	X, Y, Width, Height int
}

func (w Window) String() string {
	return fmt.Sprintf("%s pid %d %q %dx%d+%d+%d", w.ID, w.PID, w.Title, w.Width, w.Height, w.X, w.Y)
}

// Windows lists the viewable windows bigger than 1×1 pixel that carry a
// process ID or a title: what a user could see on the screen.
func (s *Session) Windows() ([]Window, error) {
	out, err := s.xdotool("search", "--onlyvisible", "--name", "")
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 1 && len(bytes.TrimSpace(out)) == 0 {
			return nil, nil // no window at all
		}
		return nil, err
	}
	var ws []Window
	for _, id := range strings.Fields(string(out)) {
		w, ok := s.window(id)
		if !ok || w.Width <= 1 || w.Height <= 1 {
			continue
		}
		if w.PID == 0 && w.Title == "" {
			continue
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// window reads one window's properties; false if it went away.
func (s *Session) window(id string) (Window, bool) {
	w := Window{ID: id}
	geo, err := s.xdotool("getwindowgeometry", "--shell", id)
	if err != nil {
		return w, false
	}
	for _, line := range strings.Split(string(geo), "\n") {
		k, v, _ := strings.Cut(line, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "X":
			w.X = n
		case "Y":
			w.Y = n
		case "WIDTH":
			w.Width = n
		case "HEIGHT":
			w.Height = n
		}
	}
	if out, err := s.xdotool("getwindowpid", id); err == nil {
		w.PID, _ = strconv.Atoi(strings.TrimSpace(string(out)))
	}
	w.Title = s.title(id)
	return w, true
}

// title reads _NET_WM_NAME as UTF-8 (xdotool's getwindowname gives
// WM_NAME, which GLFW sets in Latin-1 or not at all for "—").
func (s *Session) title(id string) string {
	out, err := exec.Command("xprop", "-display", s.Display, "-id", id, "-notype", "_NET_WM_NAME", "WM_NAME").Output()
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(out), "\n") {
		_, v, ok := strings.Cut(line, " = ")
		if !ok {
			continue
		}
		if u, err := strconv.Unquote(v); err == nil {
			return u
		}
	}
	return ""
}

func (s *Session) xdotool(args ...string) ([]byte, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = s.Env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && stderr.Len() > 0 {
		return out, fmt.Errorf("xdotool %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, err
}

// Xdotool runs xdotool on the session's display and returns its output.
func (s *Session) Xdotool(args ...string) (string, error) {
	out, err := s.xdotool(args...)
	return string(out), err
}

// ForeignWindows returns the visible windows that belong neither to the
// desktop itself (window manager, panel and its plugins, notification
// daemon) nor to one of the processes pids or their children: a leftover
// prompt (gcr-prompter), another test's window.
func (s *Session) ForeignWindows(pids ...int) ([]Window, error) {
	ws, err := s.Windows()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	roots := map[int]bool{}
	for _, pid := range s.ownPIDs {
		roots[pid] = true
	}
	s.mu.Unlock()
	for _, pid := range pids {
		roots[pid] = true
	}
	var foreign []Window
	for _, w := range ws {
		if w.PID != 0 && descendsFrom(w.PID, roots) {
			continue
		}
		foreign = append(foreign, w)
	}
	return foreign, nil
}

// descendsFrom tells whether pid or one of its ancestors is in roots.
func descendsFrom(pid int, roots map[int]bool) bool {
	for i := 0; pid > 1 && i < 64; i++ {
		if roots[pid] {
			return true
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return false
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		rest := b[bytes.LastIndexByte(b, ')')+1:]
		f := strings.Fields(string(rest))
		if len(f) < 2 {
			return false
		}
		pid, _ = strconv.Atoi(f[1])
	}
	return false
}

// WindowsOf returns the visible windows of process pid and its children:
// the app may show a window from a child process of its tray, and to a
// user that is the app's window all the same.
func (s *Session) WindowsOf(pid int) ([]Window, error) {
	ws, err := s.Windows()
	if err != nil {
		return nil, err
	}
	var mine []Window
	for _, w := range ws {
		if w.PID != 0 && descendsFrom(w.PID, map[int]bool{pid: true}) {
			mine = append(mine, w)
		}
	}
	return mine, nil
}

// WaitWindow waits until process pid shows a window titled exactly title
// and returns it. Failing, it lists the windows on screen.
func (s *Session) WaitWindow(ctx context.Context, pid int, title string) (Window, error) {
	for {
		ws, err := s.WindowsOf(pid)
		if err != nil {
			return Window{}, err
		}
		for _, w := range ws {
			if w.Title == title {
				return w, nil
			}
		}
		select {
		case <-ctx.Done():
			all, _ := s.Windows()
			return Window{}, fmt.Errorf("no window of process %d titled %q: %w; on screen: %v", pid, title, ctx.Err(), all)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// WaitNoWindow waits until process pid shows no window.
func (s *Session) WaitNoWindow(ctx context.Context, pid int) error {
	for {
		ws, err := s.WindowsOf(pid)
		if err != nil {
			return err
		}
		if len(ws) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("process %d still shows %v: %w", pid, ws, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
