package desktoptest

// The session's programs: starting them, waiting for them and for their
// bus names, their logs, stopping them.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"
)

type sessionProc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

func (s *Session) start(name, prog string, args ...string) (*sessionProc, error) {
	cmd := exec.Command(prog, args...)
	cmd.Env = s.base
	return s.launch(name, cmd, true)
}

// launch starts cmd in its own process group with its output in name's
// log, and keeps it among the session's programs (and, when own, among
// the desktop's own processes) until the session stops them.
func (s *Session) launch(name string, cmd *exec.Cmd, own bool) (*sessionProc, error) {
	log, err := os.Create(s.logFile(name))
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
	if own {
		s.ownPIDs[name] = cmd.Process.Pid
	}
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
	_, err = s.launch(name, cmd, false)
	w.Close() // the program has its copy: a read ends when it exits
	if err != nil {
		return "", err
	}
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

// logFile is where the desktop program name's output goes.
func (s *Session) logFile(name string) string { return filepath.Join(s.Dir, name+".log") }

func (s *Session) logTail(name string) string {
	b, _ := os.ReadFile(s.logFile(name))
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

// firstKey sends the X server's first key event before any test does, and
// waits until openbox has handled whatever it caused. The first XTEST key
// event on a new server can change the core keyboard's map (xdotool's
// device becomes its source); openbox then reloads its key bindings, and
// a key it binds that arrives meanwhile is lost: a test's first alt+F4
// closed nothing under load (openbox --debug: "Keyboard map changed.
// Reloading keyboard bindings." right after it; it follows the first key
// in most sessions, in some never). Shift, pressed before any window
// exists, reaches no program. The X server handles queued input (the key,
// and the map change it sends openbox) before the next request, and
// openbox handles its events in order, so once it has logged a desktop
// switch asked for after the key (--debug: "_NET_CURRENT_DESKTOP message
// is missing a timestamp"), the reload, if any, is done.
func (s *Session) firstKey(ctx context.Context, wm *sessionProc) error {
	log := s.logFile(wm.name)
	const marker = "_NET_CURRENT_DESKTOP message"
	seen := func() int {
		b, _ := os.ReadFile(log)
		return strings.Count(string(b), marker)
	}
	before := seen()
	if _, err := s.xdotool("key", "shift"); err != nil {
		return fmt.Errorf("desktop session: the first key event: %w", err)
	}
	// Asked again at each look: openbox ignores it while it is still
	// setting up its desktops.
	return s.waitFor(ctx, "openbox to handle the first key event", func() bool {
		if seen() > before {
			return true
		}
		_, _ = s.xdotool("set_desktop", "0")
		return false
	}, wm)
}
