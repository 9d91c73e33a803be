//go:build !darwin && !windows

package credstore

import (
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"

	dbus "github.com/godbus/dbus/v5"
)

// classifyPlatform sorts Secret Service (D-Bus) failures.
func classifyPlatform(err error) KeychainErrKind {
	var name string
	var de dbus.Error
	var dep *dbus.Error
	switch {
	case errors.As(err, &de):
		name = de.Name
	case errors.As(err, &dep) && dep != nil:
		name = dep.Name
	}
	switch {
	case name == "org.freedesktop.DBus.Error.NoReply" && strings.Contains(dbusMessage(de, dep), "disconnected"),
		name == "org.freedesktop.DBus.Error.Disconnected":
		// The Secret Service died (was killed) during the call: it is
		// gone, not locked.
		return KeychainUnavailable
	case name == "org.freedesktop.DBus.Error.ServiceUnknown",
		name == "org.freedesktop.DBus.Error.NameHasNoOwner",
		strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn."),
		name == "org.freedesktop.Secret.Error.NoSuchObject":
		// Nobody owns org.freedesktop.secrets and none can be started,
		// or there is no default collection to store into.
		return KeychainUnavailable
	case name == "org.freedesktop.Secret.Error.IsLocked",
		name == "org.freedesktop.DBus.Error.NoReply",
		name == "org.freedesktop.DBus.Error.Timeout",
		name == "org.freedesktop.DBus.Error.TimedOut":
		return KeychainLocked
	case name != "":
		return KeychainOther
	}
	msg := err.Error()
	switch {
	// go-keyring's text when the unlock prompt was dismissed or failed.
	case strings.HasPrefix(msg, "failed to unlock correct collection"):
		return KeychainLocked
	// No session bus at all: godbus could not find or reach one.
	case strings.Contains(msg, "couldn't determine address of session bus"),
		strings.Contains(msg, "dbus: authentication failed"),
		errors.Is(err, dbus.ErrClosed), errors.Is(err, io.EOF),
		errors.Is(err, exec.ErrNotFound), errors.Is(err, os.ErrNotExist),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENOENT):
		return KeychainUnavailable
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return KeychainUnavailable
	}
	return KeychainOther
}

// dbusMessage is the text of a D-Bus error, whichever form it came in.
func dbusMessage(de dbus.Error, dep *dbus.Error) string {
	e := de
	if dep != nil {
		e = *dep
	}
	if len(e.Body) > 0 {
		if m, ok := e.Body[0].(string); ok {
			return m
		}
	}
	return ""
}
