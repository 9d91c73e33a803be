//go:build !linux

package testfix

import (
	"fmt"
	"net"
	"testing"
)

// Listening tells whether port is held: without Linux's socket tables it
// tries to listen on it, so it cannot tell this process from another.
func Listening(tb testing.TB, port int) bool {
	tb.Helper()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return true
	}
	ln.Close()
	return false
}
