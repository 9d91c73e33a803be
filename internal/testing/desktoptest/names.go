package desktoptest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// acquireName takes name for conn. While another connection owns it, conn
// waits in the bus's queue: go test runs packages in parallel in one
// session, so the bus itself serialises the tests that need a stand-in.
// On ctx's end conn leaves the queue and the error names the owner.
func acquireName(ctx context.Context, conn *dbus.Conn, name string) error {
	reply, err := conn.RequestName(name, 0)
	if err != nil {
		return fmt.Errorf("request name %s: %w", name, err)
	}
	switch reply {
	case dbus.RequestNameReplyPrimaryOwner, dbus.RequestNameReplyAlreadyOwner:
		return nil
	case dbus.RequestNameReplyInQueue:
	default:
		return fmt.Errorf("request name %s: refused (reply %d)", name, reply)
	}
	me := conn.Names()[0]
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	owner := ""
	for {
		var now string
		err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetNameOwner", 0, name).Store(&now)
		if err == nil {
			if now == me {
				return nil
			}
			owner = now
		}
		select {
		case <-ctx.Done():
			_, _ = conn.ReleaseName(name) // leave the queue
			return fmt.Errorf("name %s is still owned by %s: %w", name, describeConn(conn, owner), context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// describeConn names a bus connection and, if it can, its process.
func describeConn(conn *dbus.Conn, unique string) string {
	if unique == "" {
		return "another connection"
	}
	var pid uint32
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetConnectionUnixProcessID", 0, unique).Store(&pid) != nil {
		return unique
	}
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	prog, _, _ := strings.Cut(string(cmdline), "\x00")
	if prog == "" {
		return fmt.Sprintf("%s (pid %d)", unique, pid)
	}
	return fmt.Sprintf("%s (pid %d, %s)", unique, pid, filepath.Base(prog))
}
