//go:build integration

package desktoptest_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// TestSession: a desktop of its own starts with every part on its bus
// (the panel's watcher, the notification daemon, the keyring), shows
// nothing but the panel, stores a secret without any prompt, and leaves
// no process behind when closed.
func TestSession(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	dir, err := os.MkdirTemp("", "dt-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := desktoptest.StartSession(ctx, dir, desktoptest.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			s.Close()
		}
	}()
	if s.Display == "" || s.Display == os.Getenv("DISPLAY") || s.Bus == os.Getenv("DBUS_SESSION_BUS_ADDRESS") {
		t.Errorf("display %q, bus %q: not a session of its own", s.Display, s.Bus)
	}
	for _, name := range []string{desktoptest.WatcherName, "org.freedesktop.Notifications", "org.freedesktop.secrets"} {
		var has bool
		if err := s.Conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has); err != nil || !has {
			t.Errorf("%s has no owner on the session's bus (%v)", name, err)
		}
	}
	store := s.Command("secret-tool", "store", "--label=probe", "desktoptest", "probe")
	store.Stdin = strings.NewReader("s3cret")
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v %s", err, out)
	}
	if out, err := s.Command("secret-tool", "lookup", "desktoptest", "probe").Output(); err != nil || string(out) != "s3cret" {
		t.Errorf("secret-tool lookup = %q, %v", out, err)
	}
	ws, err := s.Windows()
	if err != nil {
		t.Fatal(err)
	}
	panel := false
	for _, w := range ws {
		panel = panel || (w.PID == s.PanelPID() && w.Width == s.Width)
	}
	if !panel {
		t.Errorf("no full-width panel window among %v", ws)
	}
	if foreign, err := s.ForeignWindows(); err != nil || len(foreign) != 0 {
		t.Errorf("foreign windows on a fresh desktop: %v %v", foreign, err)
	}
	pids := []int{s.PanelPID(), s.NotifydPID()}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	closed = true
	for _, pid := range pids {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
			t.Errorf("process %d still runs after Close", pid)
		}
	}
}
