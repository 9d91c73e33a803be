package sfclient

import (
	"errors"
	"testing"
)

// Issue 9 item 6: the plain-http dialer refuses any address that is not
// loopback, whatever name resolved to it (nothing is dialed here).
func TestLoopbackOnlyDialControl(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:80": true, "127.8.9.10:8080": true, "[::1]:443": true,
		"10.9.9.9:80": false, "192.168.1.2:80": false, "[2001:db8::1]:80": false, "0.0.0.0:80": false,
	} {
		err := loopbackOnly("tcp", addr, nil)
		if ok != (err == nil) || (!ok && !errors.Is(err, errNotLoopback)) {
			t.Errorf("loopbackOnly(%s) = %v", addr, err)
		}
	}
}
