package sfclient

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
)

// loopback is the callback's listeners: 127.0.0.1 and, where there is one,
// [::1], since browsers may resolve "localhost" to either.
type loopback struct {
	listeners []net.Listener
	port      int // the port they listen on
}

func (l *loopback) close() {
	for _, ln := range l.listeners {
		_ = ln.Close()
	}
}

// listenLoopback listens on port of both loopback addresses; AnyPort takes
// the port the system gives 127.0.0.1, then the same one on [::1] (a few
// tries, should that one be taken there).
func listenLoopback(port int) (*loopback, error) {
	if port != AnyPort {
		return listenLoopbackOn(port)
	}
	var err error
	for range 5 {
		var l *loopback
		if l, err = listenLoopbackOn(0); err == nil {
			return l, nil
		}
		var se *SignInError
		if !errors.As(err, &se) || se.Code != CodeSignInPortInUse {
			break
		}
	}
	return nil, err
}

func listenLoopbackOn(port int) (*loopback, error) {
	inUse := func(addr string) error {
		return &SignInError{Code: CodeSignInPortInUse, Message: fmt.Sprintf("port %d on this computer (%s) is in use", port, addr),
			hint: "Another sign-in may still be open: finish or close it, or use another --callback-port (the connected app must list its callback URL). If no sign-in is open, another program or user holds the port: the browser could hand it your sign-in, so none is started."}
	}
	v4, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, syscall.EACCES) {
			return nil, inUse("127.0.0.1")
		}
		return nil, fmt.Errorf("listen for the sign-in callback: %w", err)
	}
	port = v4.Addr().(*net.TCPAddr).Port
	l := &loopback{listeners: []net.Listener{v4}, port: port}
	v6, err := net.Listen("tcp", net.JoinHostPort("::1", strconv.Itoa(port)))
	switch {
	case err == nil:
		l.listeners = append(l.listeners, v6)
	case noIPv6(err):
		// No [::1] on this computer: no browser can reach a squatter there.
	default:
		// Someone else holds [::1]:port, and a browser that resolves
		// localhost to ::1 would hand them the code and state.
		l.close()
		return nil, inUse("[::1]")
	}
	return l, nil
}

// noIPv6 tells errors that mean there is no IPv6 loopback to listen on.
func noIPv6(err error) bool {
	return errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT) || errors.Is(err, syscall.EPROTONOSUPPORT)
}
