package desktoptest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
)

// Names of the notification server stand-in on the bus.
const (
	NotificationsName  = "org.freedesktop.Notifications"
	NotificationsPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	notificationsIface = "org.freedesktop.Notifications"
)

// Notification is one call of org.freedesktop.Notifications.Notify.
type Notification struct {
	// ID is the id the server answered.
	ID uint32
	// AppName, ReplacesID, AppIcon, Summary, Body, Actions, Hints and
	// ExpireTimeout are Notify's arguments as sent.
	AppName       string
	ReplacesID    uint32
	AppIcon       string
	Summary       string
	Body          string
	Actions       []string
	Hints         map[string]dbus.Variant
	ExpireTimeout int32
	// Sender is the unique bus name of the caller, PID its process as
	// the bus daemon reports it (0 if it did not).
	Sender string
	PID    int
	// Received is when the call arrived.
	Received time.Time
}

// Notifications is a running org.freedesktop.Notifications stand-in that
// shows nothing and records every notification. All methods are safe for
// concurrent use.
type Notifications struct {
	conn *dbus.Conn

	mu      sync.Mutex
	list    []Notification
	next    int // index of the first notification Next has not returned
	lastID  uint32
	open    map[uint32]bool
	changed chan struct{} // closed and replaced on every change

	done      chan struct{}
	closeOnce sync.Once
}

// notificationMethods holds exactly the D-Bus methods of the interface.
type notificationMethods struct{ n *Notifications }

// Notify is org.freedesktop.Notifications' method.
func (m notificationMethods) Notify(sender dbus.Sender, appName string, replacesID uint32, appIcon, summary, body string,
	actions []string, hints map[string]dbus.Variant, expireTimeout int32) (uint32, *dbus.Error) {
	n := m.n
	var pid uint32
	_ = n.conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, string(sender)).Store(&pid)
	n.mu.Lock()
	defer n.mu.Unlock()
	id := replacesID
	if id == 0 || !n.open[id] {
		n.lastID++
		id = n.lastID
	}
	n.open[id] = true
	n.list = append(n.list, Notification{
		ID: id, AppName: appName, ReplacesID: replacesID, AppIcon: appIcon,
		Summary: summary, Body: body, Actions: actions, Hints: hints,
		ExpireTimeout: expireTimeout, Sender: string(sender), PID: int(pid), Received: time.Now(),
	})
	close(n.changed)
	n.changed = make(chan struct{})
	return id, nil
}

// GetCapabilities is org.freedesktop.Notifications' method.
func (m notificationMethods) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"body"}, nil
}

// GetServerInformation is org.freedesktop.Notifications' method.
func (m notificationMethods) GetServerInformation() (name, vendor, version, specVersion string, err *dbus.Error) {
	return "desktoptest", "AdvoLogix Connect tests", "1.0", "1.2", nil
}

// CloseNotification is org.freedesktop.Notifications' method.
func (m notificationMethods) CloseNotification(id uint32) *dbus.Error {
	m.n.mu.Lock()
	wasOpen := m.n.open[id]
	delete(m.n.open, id)
	m.n.mu.Unlock()
	if wasOpen {
		// Reason 3: closed by a call to CloseNotification.
		_ = m.n.conn.Emit(NotificationsPath, notificationsIface+".NotificationClosed", id, uint32(3))
	}
	return nil
}

// StartNotifications exports the notification server on conn and then
// takes the name org.freedesktop.Notifications, waiting in the bus's queue
// while another connection owns it, until ctx ends. Call Close when done;
// the connection stays the caller's.
func StartNotifications(ctx context.Context, conn *dbus.Conn) (*Notifications, error) {
	n := &Notifications{
		conn:    conn,
		open:    map[uint32]bool{},
		changed: make(chan struct{}),
		done:    make(chan struct{}),
	}
	fail := func(what string, err error) (*Notifications, error) {
		n.unexport()
		return nil, fmt.Errorf("desktoptest: notifications: %s: %w", what, err)
	}
	if err := conn.Export(notificationMethods{n}, NotificationsPath, notificationsIface); err != nil {
		return fail("export", err)
	}
	in := func(name, typ string) introspect.Arg { return introspect.Arg{Name: name, Type: typ, Direction: "in"} }
	out := func(name, typ string) introspect.Arg { return introspect.Arg{Name: name, Type: typ, Direction: "out"} }
	node := &introspect.Node{
		Name: string(NotificationsPath),
		Interfaces: []introspect.Interface{
			introspect.IntrospectData,
			{
				Name: notificationsIface,
				Methods: []introspect.Method{
					{Name: "Notify", Args: []introspect.Arg{
						in("app_name", "s"), in("replaces_id", "u"), in("app_icon", "s"), in("summary", "s"),
						in("body", "s"), in("actions", "as"), in("hints", "a{sv}"), in("expire_timeout", "i"),
						out("id", "u"),
					}},
					{Name: "GetCapabilities", Args: []introspect.Arg{out("capabilities", "as")}},
					{Name: "GetServerInformation", Args: []introspect.Arg{
						out("name", "s"), out("vendor", "s"), out("version", "s"), out("spec_version", "s"),
					}},
					{Name: "CloseNotification", Args: []introspect.Arg{in("id", "u")}},
				},
				Signals: []introspect.Signal{
					{Name: "NotificationClosed", Args: []introspect.Arg{{Name: "id", Type: "u"}, {Name: "reason", Type: "u"}}},
					{Name: "ActionInvoked", Args: []introspect.Arg{{Name: "id", Type: "u"}, {Name: "action_key", Type: "s"}}},
				},
			},
		},
	}
	if err := conn.Export(introspect.NewIntrospectable(node), NotificationsPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		return fail("export introspection", err)
	}
	if err := acquireName(ctx, conn, NotificationsName); err != nil {
		return fail("start", err)
	}
	return n, nil
}

// Next waits for the next notification that Next has not returned yet,
// including ones that arrived before the call, and returns it. Check PID
// when other programs may notify too.
func (n *Notifications) Next(ctx context.Context) (Notification, error) {
	for {
		n.mu.Lock()
		if n.next < len(n.list) {
			nt := n.list[n.next]
			n.next++
			n.mu.Unlock()
			return nt, nil
		}
		changed := n.changed
		n.mu.Unlock()
		select {
		case <-changed:
		case <-n.done:
			return Notification{}, fmt.Errorf("desktoptest: no notification: %w", ErrClosed)
		case <-ctx.Done():
			return Notification{}, fmt.Errorf("desktoptest: no notification was sent: %w", context.Cause(ctx))
		}
	}
}

// All returns every notification received so far, oldest first.
func (n *Notifications) All() []Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notification(nil), n.list...)
}

// Close releases the name and withdraws the object. The connection stays
// open. Close is idempotent.
func (n *Notifications) Close() error {
	var err error
	n.closeOnce.Do(func() {
		close(n.done)
		if _, e := n.conn.ReleaseName(NotificationsName); e != nil && n.conn.Connected() {
			err = fmt.Errorf("desktoptest: notifications: release name: %w", e)
		}
		n.unexport()
	})
	return err
}

func (n *Notifications) unexport() {
	for _, iface := range []string{notificationsIface, "org.freedesktop.DBus.Introspectable"} {
		_ = n.conn.Export(nil, NotificationsPath, iface)
	}
}
