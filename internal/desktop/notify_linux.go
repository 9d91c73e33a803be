package desktop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	dbus "github.com/godbus/dbus/v5"

	"github.com/advologix/advologix-connect/assets"
	"github.com/advologix/advologix-connect/ui"
)

// The freedesktop.org notification service.
const (
	notifyName  = "org.freedesktop.Notifications"
	notifyPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	notifyIface = "org.freedesktop.Notifications"
	// notifyCallTimeout bounds one call to the notification daemon.
	notifyCallTimeout = 5 * time.Second
)

// dbusNotifier sends notifications straight to org.freedesktop.Notifications
// rather than through Fyne, for what Fyne's SendNotification lacks: an
// expiry, replacing the previous notice instead of piling up, and a default
// action (clicking the notice) that opens Settings.
type dbusNotifier struct {
	conn  *dbus.Conn
	icon  string            // path of the app icon for the daemon, or ""
	icons map[string]string // paths of notices' own icons (ui.Notice.Icon), by name

	mu      sync.Mutex
	last    uint32            // the notice on screen, replaced by the next
	actions map[uint32]func() // default action per notice on screen
	// early holds the ids of notices clicked before Notify's reply (their
	// action not known yet).
	early map[uint32]bool
}

// NewNotifier returns the notifier, which connects to the session bus on
// its first notice (not at start-up, which it would slow down); without a
// bus the notice fails and the tray falls back to Fyne.
func NewNotifier() func(ui.Notice) error {
	var (
		once sync.Once
		n    *dbusNotifier
	)
	return func(no ui.Notice) error {
		once.Do(func() { n = connectNotifier() })
		if n == nil {
			return errors.New("notification: no session bus")
		}
		return n.notify(no)
	}
}

// connectNotifier connects to the session bus and follows the daemon's
// signals; nil without a bus.
func connectNotifier() *dbusNotifier {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return nil
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil
	}
	n := &dbusNotifier{conn: conn, icon: writeNotifyIcon(assets.AppIcon, "notification-icon.png"), icons: map[string]string{},
		actions: map[uint32]func(){}, early: map[uint32]bool{}}
	for _, member := range []string{"ActionInvoked", "NotificationClosed"} {
		if err := conn.AddMatchSignal(dbus.WithMatchObjectPath(notifyPath), dbus.WithMatchInterface(notifyIface), dbus.WithMatchMember(member)); err != nil {
			conn.Close()
			return nil
		}
	}
	signals := make(chan *dbus.Signal, 16)
	conn.Signal(signals)
	go n.follow(signals)
	return n
}

// notify shows one notice, replacing the one before.
func (n *dbusNotifier) notify(no ui.Notice) error {
	var actions []string
	if no.Open != nil {
		actions = []string{"default", "Open Settings"}
	}
	urgency := byte(1) // normal: a critical notice would never expire
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgency)}
	n.mu.Lock()
	replaces := n.last
	icon := n.icon
	if no.Icon != nil {
		path, ok := n.icons[no.Icon.Name()]
		if !ok {
			path = writeNotifyIcon(no.Icon, "notification-"+filepath.Base(no.Icon.Name()))
			n.icons[no.Icon.Name()] = path
		}
		if path != "" {
			icon = path
		}
	}
	n.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), notifyCallTimeout)
	defer cancel()
	var id uint32
	err := n.conn.Object(notifyName, notifyPath).CallWithContext(ctx, notifyIface+".Notify", 0,
		"AdvoLogix Connect", replaces, icon, no.Title, no.Body, actions, hints, int32(no.Timeout/time.Millisecond)).Store(&id)
	if err != nil {
		return fmt.Errorf("notification: %w", err)
	}
	n.mu.Lock()
	delete(n.actions, replaces)
	n.last = id
	clicked := n.early[id]
	delete(n.early, id)
	if no.Open != nil && !clicked {
		n.actions[id] = no.Open
	}
	n.mu.Unlock()
	if clicked && no.Open != nil {
		no.Open()
	}
	return nil
}

// follow runs the default action of a clicked notice and forgets closed
// ones.
func (n *dbusNotifier) follow(signals <-chan *dbus.Signal) {
	for sig := range signals {
		if sig.Path != notifyPath || len(sig.Body) < 2 {
			continue
		}
		id, ok := sig.Body[0].(uint32)
		if !ok {
			continue
		}
		switch sig.Name {
		case notifyIface + ".ActionInvoked":
			key, _ := sig.Body[1].(string)
			if key != "default" && key != "" {
				continue
			}
			n.mu.Lock()
			open, known := n.actions[id]
			if !known && id > n.last && len(n.early) < 16 {
				n.early[id] = true // Notify's reply is still on its way
			}
			n.mu.Unlock()
			if open != nil {
				open()
			}
		case notifyIface + ".NotificationClosed":
			n.mu.Lock()
			delete(n.actions, id)
			if n.last == id {
				n.last = 0
			}
			n.mu.Unlock()
		}
	}
}

// writeNotifyIcon puts an icon where the notification daemon can read it
// (it takes a file path), as name in the user's cache directory.
func writeNotifyIcon(res fyne.Resource, name string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	dir = filepath.Join(dir, "advologix-connect")
	path := filepath.Join(dir, name)
	if b, err := os.ReadFile(path); err == nil && string(b) == string(res.Content()) {
		return path
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ""
	}
	if err := os.WriteFile(path, res.Content(), 0o600); err != nil {
		return ""
	}
	return path
}
