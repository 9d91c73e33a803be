package desktop

import (
	dbus "github.com/godbus/dbus/v5"
)

// TrayHostAvailable tells whether a StatusNotifierWatcher is on the session
// bus: without one, a tray icon would never appear and "tray" mode would
// leave the user with nothing on screen.
func TrayHostAvailable() bool {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return false
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false
	}
	if err := conn.Hello(); err != nil {
		return false
	}
	var has bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
