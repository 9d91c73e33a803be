//go:build !darwin && !windows

package credstore

import (
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	dbus "github.com/godbus/dbus/v5"
)

func TestClassifySecretServiceErrors(t *testing.T) {
	tests := []struct {
		err  error
		want KeychainErrKind
	}{
		{dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, KeychainUnavailable},
		{&dbus.Error{Name: "org.freedesktop.DBus.Error.NameHasNoOwner"}, KeychainUnavailable},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.Spawn.ChildExited"}, KeychainUnavailable},
		{dbus.Error{Name: "org.freedesktop.Secret.Error.NoSuchObject"}, KeychainUnavailable},
		{dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"}, KeychainLocked},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply"}, KeychainLocked},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply", Body: []any{"Did not receive a reply. Possible causes include: the remote application did not send a reply, the message bus security policy blocked the reply, the reply timeout expired, or the network connection was broken."}}, KeychainLocked},
		// Issue 9 item 12: a keyring daemon killed during the call is gone, not locked.
		{&dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply", Body: []any{"Message recipient disconnected from message bus without replying"}}, KeychainUnavailable},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.Disconnected"}, KeychainUnavailable},
		{dbus.Error{Name: "org.freedesktop.DBus.Error.AccessDenied"}, KeychainOther},
		{fmt.Errorf("failed to unlock correct collection '%v'", "/org/freedesktop/secrets/collection/login"), KeychainLocked},
		{errors.New("dbus: couldn't determine address of session bus"), KeychainUnavailable},
		{&net.OpError{Op: "dial", Net: "unix", Err: syscall.ENOENT}, KeychainUnavailable},
		{fmt.Errorf("wrapped: %w", syscall.ECONNREFUSED), KeychainUnavailable},
		{dbus.ErrClosed, KeychainUnavailable},
		{errors.New("something odd"), KeychainOther},
	}
	for _, tc := range tests {
		if got := classifyPlatform(tc.err); got != tc.want {
			t.Errorf("classify(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
