package desktoptest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// RegisteredItems reads RegisteredStatusNotifierItems from whoever owns
// org.kde.StatusNotifierWatcher on conn's bus (in a [Session], xfce4-panel's
// Status Tray) and resolves each entry to an [Item] with its PID.
func RegisteredItems(ctx context.Context, conn *dbus.Conn) ([]Item, error) {
	v, err := conn.Object(WatcherName, WatcherPath).GetProperty(watcherIface + ".RegisteredStatusNotifierItems")
	if err != nil {
		return nil, fmt.Errorf("read %s.RegisteredStatusNotifierItems: %w", watcherIface, err)
	}
	entries, ok := v.Value().([]string)
	if !ok {
		return nil, fmt.Errorf("RegisteredStatusNotifierItems is %s, not as", v.Signature())
	}
	var items []Item
	for _, e := range entries {
		it := parseItem(e)
		var pid uint32
		if conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetConnectionUnixProcessID", 0, it.BusName).Store(&pid) == nil {
			it.PID = int(pid)
		}
		var owner string
		if conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetNameOwner", 0, it.BusName).Store(&owner) == nil {
			it.Sender = owner
		}
		items = append(items, it)
	}
	return items, nil
}

// parseItem splits a watcher entry: "name/path", or a bare name (the
// default path), or a bare path (invalid without a sender; kept as is).
func parseItem(e string) Item {
	if i := strings.IndexByte(e, '/'); i > 0 {
		return Item{BusName: e[:i], Path: dbus.ObjectPath(e[i:])}
	}
	return Item{BusName: e, Path: DefaultItemPath}
}

// WaitRegisteredPID waits until the watcher on conn's bus lists an item of
// process pid, and returns it with the raw entry the watcher holds.
func WaitRegisteredPID(ctx context.Context, conn *dbus.Conn, pid int) (Item, error) {
	var last []Item
	var lastErr error
	for {
		items, err := RegisteredItems(ctx, conn)
		if err == nil {
			for _, it := range items {
				if it.PID == pid {
					return it, nil
				}
			}
			last = items
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return Item{}, fmt.Errorf("no tray item of process %d registered with the watcher (items %v, last error %v): %w", pid, last, lastErr, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
