package desktoptest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

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
//
// The desktop is third-party programs (Xvfb, a bus, openbox, xfce4-panel,
// xfce4-notifyd): when one of them fails to come up, the start is tried
// once more in a fresh folder under dir, and the first failure is told to
// SessionOptions.Logf. A missing program fails at once.
func StartSession(ctx context.Context, dir string, opts SessionOptions) (*Session, error) {
	s, err := startSession(ctx, filepath.Join(dir, "1"), opts)
	if err == nil || errors.Is(err, errMissingTools) || ctx.Err() != nil {
		return s, err
	}
	if opts.Logf != nil {
		opts.Logf("desktop session: the first start failed, trying once more: %v", err)
	}
	return startSession(ctx, filepath.Join(dir, "2"), opts)
}

// errMissingTools: a program the session needs is not installed.
var errMissingTools = errors.New("desktop session: missing programs")

func startSession(ctx context.Context, dir string, opts SessionOptions) (s *Session, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
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
		return nil, fmt.Errorf("%w: %s (run scripts/ensure-deps.sh runtime-test)", errMissingTools, strings.Join(missing, ", "))
	}
	if opts.Width == 0 {
		opts.Width, opts.Height = 1280, 800
	}
	started := &Session{Dir: dir, Width: opts.Width, Height: opts.Height, ownPIDs: map[string]int{}, opts: opts}
	s = started
	defer func() {
		if err != nil {
			// Not s: a "return nil, err" has already set it to nil.
			started.Close()
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
	// --debug: openbox logs the desktop switch that firstKey waits for.
	wm, err := s.start("openbox", "openbox", "--sm-disable", "--debug")
	if err != nil {
		return nil, err
	}
	if err := s.waitFor(ctx, "openbox to manage the screen", func() bool {
		out, err := exec.Command("xprop", "-display", s.Display, "-root", "_NET_SUPPORTING_WM_CHECK").Output()
		return err == nil && bytes.Contains(out, []byte("window id"))
	}, wm); err != nil {
		return nil, err
	}
	if err := s.firstKey(ctx, wm); err != nil {
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
