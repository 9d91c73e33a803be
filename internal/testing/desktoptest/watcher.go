package desktoptest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
	"github.com/godbus/dbus/v5/prop"
)

// Names of the StatusNotifierWatcher stand-in on the bus.
const (
	WatcherName  = "org.kde.StatusNotifierWatcher"
	WatcherPath  = dbus.ObjectPath("/StatusNotifierWatcher")
	watcherIface = "org.kde.StatusNotifierWatcher"

	// DefaultItemPath is where a StatusNotifierItem lives when it
	// registers with a bus name instead of an object path.
	DefaultItemPath = dbus.ObjectPath("/StatusNotifierItem")
	itemIface       = "org.kde.StatusNotifierItem"
)

// ErrClosed is returned by the waiting methods of a stand-in that was
// closed, or whose connection was.
var ErrClosed = errors.New("desktoptest: stand-in closed")

// Item is one StatusNotifierItem registered with a [Watcher]: the address
// a desktop shell uses to read the tray icon and its menu.
type Item struct {
	// BusName is where the item is reached: the registering connection's
	// unique name (":1.42") when it registered an object path, as
	// fyne.io/systray does, or the bus name it registered otherwise.
	BusName string
	// Path is the item's object path, usually /StatusNotifierItem.
	Path dbus.ObjectPath
	// Sender is the unique name of the connection that registered it.
	Sender string
	// PID is the registering process, as the bus daemon reports it
	// (0 if it did not).
	PID int
}

// String is the form listed in RegisteredStatusNotifierItems:
// bus name followed by object path, e.g. ":1.42/StatusNotifierItem".
func (it Item) String() string { return it.BusName + string(it.Path) }

// Watcher is a running org.kde.StatusNotifierWatcher stand-in. It keeps
// the list of registered items as a real watcher does: an item is dropped
// when its bus name leaves the bus. It claims a host is registered, since
// the test driving it acts as one. All methods are safe for concurrent use.
type Watcher struct {
	conn  *dbus.Conn
	props *prop.Properties

	mu      sync.Mutex
	items   []Item // currently registered, oldest first
	hosts   []string
	changed chan struct{} // closed and replaced on every change

	sigs      chan *dbus.Signal
	match     []dbus.MatchOption
	done      chan struct{}
	closeOnce sync.Once
}

// watcherMethods holds exactly the D-Bus methods of the watcher interface:
// conn.Export publishes every exported method of the value it is given.
type watcherMethods struct{ w *Watcher }

// RegisterStatusNotifierItem is org.kde.StatusNotifierWatcher's method.
func (m watcherMethods) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	return m.w.register(string(sender), service)
}

// RegisterStatusNotifierHost is org.kde.StatusNotifierWatcher's method.
func (m watcherMethods) RegisterStatusNotifierHost(sender dbus.Sender, service string) *dbus.Error {
	m.w.mu.Lock()
	m.w.hosts = append(m.w.hosts, service)
	m.w.mu.Unlock()
	_ = m.w.conn.Emit(WatcherPath, watcherIface+".StatusNotifierHostRegistered")
	return nil
}

// StartWatcher exports the watcher on conn and then takes the name
// org.kde.StatusNotifierWatcher, so a tray that sees the name appear finds
// the object ready. While another connection owns the name (a test of
// another package running at the same time) it waits in the bus's queue
// for it, until ctx ends. Call Close when done; the connection stays the
// caller's.
func StartWatcher(ctx context.Context, conn *dbus.Conn) (*Watcher, error) {
	w := &Watcher{
		conn:    conn,
		changed: make(chan struct{}),
		sigs:    make(chan *dbus.Signal, 64),
		done:    make(chan struct{}),
		match: []dbus.MatchOption{
			dbus.WithMatchSender("org.freedesktop.DBus"),
			dbus.WithMatchObjectPath("/org/freedesktop/DBus"),
			dbus.WithMatchInterface("org.freedesktop.DBus"),
			dbus.WithMatchMember("NameOwnerChanged"),
		},
	}
	fail := func(what string, err error) (*Watcher, error) {
		w.unexport()
		return nil, fmt.Errorf("desktoptest: watcher: %s: %w", what, err)
	}
	if err := conn.Export(watcherMethods{w}, WatcherPath, watcherIface); err != nil {
		return fail("export", err)
	}
	props, err := prop.Export(conn, WatcherPath, prop.Map{watcherIface: {
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitConst},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitConst},
	}})
	if err != nil {
		return fail("export properties", err)
	}
	w.props = props
	node := &introspect.Node{
		Name: string(WatcherPath),
		Interfaces: []introspect.Interface{
			introspect.IntrospectData,
			prop.IntrospectData,
			{
				Name: watcherIface,
				Methods: []introspect.Method{
					{Name: "RegisterStatusNotifierItem", Args: []introspect.Arg{{Name: "service", Type: "s", Direction: "in"}}},
					{Name: "RegisterStatusNotifierHost", Args: []introspect.Arg{{Name: "service", Type: "s", Direction: "in"}}},
				},
				Signals: []introspect.Signal{
					{Name: "StatusNotifierItemRegistered", Args: []introspect.Arg{{Type: "s"}}},
					{Name: "StatusNotifierItemUnregistered", Args: []introspect.Arg{{Type: "s"}}},
					{Name: "StatusNotifierHostRegistered"},
					{Name: "StatusNotifierHostUnregistered"},
				},
				Properties: props.Introspection(watcherIface),
			},
		},
	}
	if err := conn.Export(introspect.NewIntrospectable(node), WatcherPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		return fail("export introspection", err)
	}
	if err := conn.AddMatchSignal(w.match...); err != nil {
		return fail("watch NameOwnerChanged", err)
	}
	conn.Signal(w.sigs)
	go w.followOwners()
	if err := acquireName(ctx, conn, WatcherName); err != nil {
		w.Close()
		return nil, fmt.Errorf("desktoptest: watcher: %w", err)
	}
	return w, nil
}

func (w *Watcher) register(sender, service string) *dbus.Error {
	it := Item{BusName: service, Path: DefaultItemPath, Sender: sender}
	if strings.HasPrefix(service, "/") {
		it.BusName, it.Path = sender, dbus.ObjectPath(service)
	}
	if !it.Path.IsValid() || it.BusName == "" {
		return dbus.MakeFailedError(fmt.Errorf("invalid StatusNotifierItem %q", service))
	}
	var pid uint32
	if err := w.conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, sender).Store(&pid); err == nil {
		it.PID = int(pid)
	}

	w.mu.Lock()
	for _, old := range w.items {
		if old.BusName == it.BusName && old.Path == it.Path {
			w.mu.Unlock()
			return nil // registering again, as systray does when the watcher restarts
		}
	}
	w.items = append(w.items, it)
	w.publishLocked()
	w.mu.Unlock()

	_ = w.conn.Emit(WatcherPath, watcherIface+".StatusNotifierItemRegistered", it.String())
	return nil
}

// followOwners drops the items of connections that leave the bus.
func (w *Watcher) followOwners() {
	for {
		select {
		case <-w.done:
			return
		case sig, ok := <-w.sigs:
			if !ok {
				w.Close() // the connection was closed
				return
			}
			if sig.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(sig.Body) != 3 {
				continue
			}
			name, _ := sig.Body[0].(string)
			newOwner, _ := sig.Body[2].(string)
			if newOwner == "" {
				w.drop(name)
			}
		}
	}
}

func (w *Watcher) drop(name string) {
	var gone []Item
	w.mu.Lock()
	kept := w.items[:0:0]
	for _, it := range w.items {
		if it.BusName == name || it.Sender == name {
			gone = append(gone, it)
		} else {
			kept = append(kept, it)
		}
	}
	if len(gone) > 0 {
		w.items = kept
		w.publishLocked()
	}
	w.mu.Unlock()
	for _, it := range gone {
		_ = w.conn.Emit(WatcherPath, watcherIface+".StatusNotifierItemUnregistered", it.String())
	}
}

// publishLocked updates the property and wakes the waiters; w.mu is held.
func (w *Watcher) publishLocked() {
	names := make([]string, len(w.items))
	for i, it := range w.items {
		names[i] = it.String()
	}
	w.props.SetMust(watcherIface, "RegisteredStatusNotifierItems", names)
	close(w.changed)
	w.changed = make(chan struct{})
}

// Items returns the items registered now, oldest first.
func (w *Watcher) Items() []Item {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Item(nil), w.items...)
}

// Hosts returns the services that called RegisterStatusNotifierHost.
func (w *Watcher) Hosts() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.hosts...)
}

// WaitItem waits until an item is registered and returns the oldest one
// still registered. With more than one tray program on the bus, use
// [Watcher.WaitItemPID].
func (w *Watcher) WaitItem(ctx context.Context) (Item, error) {
	return w.wait(ctx, "no StatusNotifierItem registered with the watcher", func() (Item, bool) {
		if len(w.items) == 0 {
			return Item{}, false
		}
		return w.items[0], true
	})
}

// WaitItemPID waits until the process pid has an item registered and
// returns it.
func (w *Watcher) WaitItemPID(ctx context.Context, pid int) (Item, error) {
	return w.wait(ctx, fmt.Sprintf("process %d registered no StatusNotifierItem", pid), func() (Item, bool) {
		for _, it := range w.items {
			if it.PID == pid {
				return it, true
			}
		}
		return Item{}, false
	})
}

// WaitGone waits until item is no longer registered, which happens when
// its program leaves the bus.
func (w *Watcher) WaitGone(ctx context.Context, item Item) error {
	_, err := w.wait(ctx, fmt.Sprintf("StatusNotifierItem %s is still registered", item), func() (Item, bool) {
		for _, it := range w.items {
			if it.BusName == item.BusName && it.Path == item.Path {
				return Item{}, false
			}
		}
		return Item{}, true
	})
	return err
}

// wait calls cond with w.mu held until it reports true.
func (w *Watcher) wait(ctx context.Context, what string, cond func() (Item, bool)) (Item, error) {
	for {
		w.mu.Lock()
		it, ok := cond()
		changed := w.changed
		w.mu.Unlock()
		if ok {
			return it, nil
		}
		select {
		case <-changed:
		case <-w.done:
			return Item{}, fmt.Errorf("desktoptest: %s: %w", what, ErrClosed)
		case <-ctx.Done():
			return Item{}, fmt.Errorf("desktoptest: %s: %w", what, context.Cause(ctx))
		}
	}
}

// Close releases the name and withdraws the object. The connection stays
// open. Close is idempotent.
func (w *Watcher) Close() error {
	var err error
	w.closeOnce.Do(func() {
		close(w.done)
		w.conn.RemoveSignal(w.sigs)
		_ = w.conn.RemoveMatchSignal(w.match...)
		if _, e := w.conn.ReleaseName(WatcherName); e != nil && w.conn.Connected() {
			err = fmt.Errorf("desktoptest: watcher: release name: %w", e)
		}
		w.unexport()
	})
	return err
}

func (w *Watcher) unexport() {
	for _, iface := range []string{watcherIface, "org.freedesktop.DBus.Properties", "org.freedesktop.DBus.Introspectable"} {
		_ = w.conn.Export(nil, WatcherPath, iface)
	}
}
