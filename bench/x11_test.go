//go:build integration

package bench

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// --- The X11 side ---
//
// Waiting for a window is done by listening, not polling: the benchmark
// speaks just enough of the core X11 protocol to ask the server for
// MapNotify events on the root window and to read a mapped window's title
// and _NET_WM_PID. A window is timed when its MapNotify arrives; Fyne paints
// its first frame right after mapping the window. Without a window manager
// (the test session's Xvfb has none) a top-level window is a child of the
// root, so its MapNotify names the window itself.

// openTestDisplay connects to the test session's X server, or fails the
// benchmark with how to get one.
func openTestDisplay(b *testing.B) *xConn {
	b.Helper()
	testfix.RequireSession(b, "go test -tags integration -run '^$' -bench Startup ./bench/")
	display := os.Getenv("DISPLAY")
	x, err := dialX(display)
	if err != nil {
		b.Fatalf("X server at DISPLAY=%s: %v", display, err)
	}
	b.Cleanup(x.close)
	return x
}

const (
	xOpChangeWindowAttributes = 2
	xOpInternAtom             = 16
	xOpGetProperty            = 20

	xEventMapNotify    = 19
	xEventGenericEvent = 35

	xCWEventMask            = 1 << 11
	xSubstructureNotifyMask = 1 << 19
	xAtomWMName             = 39 // predefined atom WM_NAME
	xAnyPropertyType        = 0
	xReplyTimeout           = 5 * time.Second
	xPropertyMaxLength      = 256 // in 4-byte units: ample for a title
)

var le = binary.LittleEndian

type xConn struct {
	c       net.Conn
	root    uint32
	seq     uint16        // sequence number of the last request sent
	replies chan []byte   // replies and errors, in order
	maps    chan xMapped  // top-level windows mapped
	dead    chan struct{} // closed when the connection fails; readErr is set then
	readErr error

	netWMName, netWMPID uint32 // atoms
}

type xMapped struct {
	window uint32
	at     time.Time // when the event arrived
}

// dialX connects to a local display (":N" or ":N.S") over its Unix socket,
// without authorisation (Xvfb in the test session needs none), and selects
// SubstructureNotify on the first screen's root window.
func dialX(display string) (*xConn, error) {
	host, num, _ := strings.Cut(display, ":")
	num, _, _ = strings.Cut(num, ".")
	if (host != "" && host != "unix") || num == "" {
		return nil, fmt.Errorf("only local displays (:N) are supported")
	}
	c, err := net.Dial("unix", "/tmp/.X11-unix/X"+num)
	if err != nil {
		return nil, err
	}
	x := &xConn{c: c, replies: make(chan []byte, 16), maps: make(chan xMapped, 1024), dead: make(chan struct{})}
	if err := x.setup(); err != nil {
		c.Close()
		return nil, err
	}
	go x.readLoop()

	req := make([]byte, 16)
	req[0] = xOpChangeWindowAttributes
	le.PutUint16(req[2:], uint16(len(req)/4))
	le.PutUint32(req[4:], x.root)
	le.PutUint32(req[8:], xCWEventMask)
	le.PutUint32(req[12:], xSubstructureNotifyMask)
	if err := x.send(req); err != nil {
		x.close()
		return nil, err
	}
	// The replies to these also confirm that the event mask was accepted.
	if x.netWMName, err = x.internAtom("_NET_WM_NAME"); err == nil {
		x.netWMPID, err = x.internAtom("_NET_WM_PID")
	}
	if err != nil {
		x.close()
		return nil, err
	}
	return x, nil
}

func (x *xConn) setup() error {
	req := make([]byte, 12)
	req[0] = 'l' // little-endian
	le.PutUint16(req[2:], 11)
	if _, err := x.c.Write(req); err != nil {
		return err
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(x.c, head); err != nil {
		return fmt.Errorf("connection setup: %w", err)
	}
	body := make([]byte, 4*int(le.Uint16(head[6:])))
	if _, err := io.ReadFull(x.c, body); err != nil {
		return fmt.Errorf("connection setup: %w", err)
	}
	switch head[0] {
	case 1: // success
	case 0:
		return fmt.Errorf("connection refused: %s", body[:min(int(head[1]), len(body))])
	default:
		return errors.New("the server asks for authorisation (the test session's Xvfb does not)")
	}
	if len(body) < 32 {
		return errors.New("short connection setup reply")
	}
	vendorLen, formats := int(le.Uint16(body[16:])), int(body[21])
	off := 32 + (vendorLen+3)&^3 + 8*formats
	if len(body) < off+4 {
		return errors.New("short connection setup reply")
	}
	x.root = le.Uint32(body[off:])
	return nil
}

// readLoop reads everything the server sends: replies and errors go to
// x.replies, MapNotify events of ordinary windows to x.maps, the rest is
// dropped.
func (x *xConn) readLoop() {
	defer close(x.dead)
	for {
		p := make([]byte, 32)
		if _, err := io.ReadFull(x.c, p); err != nil {
			x.readErr = err
			return
		}
		at := time.Now()
		switch p[0] & 0x7f {
		case 0: // error
			x.replies <- p
		case 1: // reply
			p = append(p, make([]byte, 4*int(le.Uint32(p[4:])))...)
			if _, err := io.ReadFull(x.c, p[32:]); err != nil {
				x.readErr = err
				return
			}
			x.replies <- p
		case xEventGenericEvent:
			if _, err := io.CopyN(io.Discard, x.c, 4*int64(le.Uint32(p[4:]))); err != nil {
				x.readErr = err
				return
			}
		case xEventMapNotify:
			if p[12] != 0 { // override-redirect: menus, tooltips
				continue
			}
			select {
			case x.maps <- xMapped{window: le.Uint32(p[8:]), at: at}:
			default: // nobody is waiting for windows and the queue is full
			}
		}
	}
}

func (x *xConn) close() { x.c.Close() }

func (x *xConn) send(req []byte) error {
	x.seq++
	_, err := x.c.Write(req)
	return err
}

// roundTrip sends a request that has a reply and returns the reply.
func (x *xConn) roundTrip(req []byte) ([]byte, error) {
	if err := x.send(req); err != nil {
		return nil, err
	}
	timeout := time.After(xReplyTimeout)
	for {
		select {
		case p := <-x.replies:
			seq := le.Uint16(p[2:])
			if p[0] == 0 {
				return nil, fmt.Errorf("X error %d for request %d (opcode %d)", p[1], seq, p[10])
			}
			if seq == x.seq {
				return p, nil
			}
		case <-x.dead:
			return nil, fmt.Errorf("connection to the X server lost: %v", x.readErr)
		case <-timeout:
			return nil, fmt.Errorf("no reply from the X server within %v", xReplyTimeout)
		}
	}
}

func (x *xConn) internAtom(name string) (uint32, error) {
	n := len(name)
	req := make([]byte, 8+(n+3)&^3)
	req[0] = xOpInternAtom
	le.PutUint16(req[2:], uint16(len(req)/4))
	le.PutUint16(req[4:], uint16(n))
	copy(req[8:], name)
	p, err := x.roundTrip(req)
	if err != nil {
		return 0, fmt.Errorf("InternAtom %s: %w", name, err)
	}
	return le.Uint32(p[8:]), nil
}

// property returns a window property's value and format (8, 16 or 32), or
// a nil value if the window does not have it.
func (x *xConn) property(window, prop uint32) ([]byte, int, error) {
	req := make([]byte, 24)
	req[0] = xOpGetProperty
	le.PutUint16(req[2:], uint16(len(req)/4))
	le.PutUint32(req[4:], window)
	le.PutUint32(req[8:], prop)
	le.PutUint32(req[12:], xAnyPropertyType)
	le.PutUint32(req[20:], xPropertyMaxLength)
	p, err := x.roundTrip(req)
	if err != nil {
		return nil, 0, err
	}
	format := int(p[1])
	n := int(le.Uint32(p[16:])) * format / 8
	if le.Uint32(p[8:]) == 0 || 32+n > len(p) { // no such property
		return nil, 0, nil
	}
	return p[32 : 32+n], format, nil
}

// windowInfo returns a window's title (_NET_WM_NAME, else WM_NAME) and the
// process ID it declares in _NET_WM_PID (0 if none).
func (x *xConn) windowInfo(window uint32) (title string, pid int, err error) {
	v, _, err := x.property(window, x.netWMName)
	if err == nil && v == nil {
		v, _, err = x.property(window, xAtomWMName)
	}
	if err != nil {
		return "", 0, err
	}
	title = string(v)
	v, format, err := x.property(window, x.netWMPID)
	if err != nil {
		return "", 0, err
	}
	if format == 32 && len(v) >= 4 {
		pid = int(le.Uint32(v))
	}
	return title, pid, nil
}

// forgetMapped drops the windows mapped so far.
func (x *xConn) forgetMapped() {
	for {
		select {
		case <-x.maps:
		default:
			return
		}
	}
}

// waitForWindow returns when a window whose title contains title, and that
// does not declare a process other than pid, was mapped. It gives up when
// exited is closed or after timeout.
func (x *xConn) waitForWindow(pid int, title string, exited <-chan struct{}, timeout time.Duration) (time.Time, error) {
	deadline := time.After(timeout)
	var seen []string
	for {
		select {
		case m := <-x.maps:
			t, wpid, err := x.windowInfo(m.window)
			if err != nil { // a window gone again already: BadWindow
				seen = append(seen, fmt.Sprintf("0x%x (%v)", m.window, err))
				continue
			}
			if strings.Contains(t, title) && (wpid == 0 || wpid == pid) {
				return m.at, nil
			}
			seen = append(seen, fmt.Sprintf("%q (pid %d)", t, wpid))
		case <-exited:
			return time.Time{}, fmt.Errorf("exited before showing a window titled %q; windows seen: %v", title, seen)
		case <-x.dead:
			return time.Time{}, fmt.Errorf("connection to the X server lost: %v", x.readErr)
		case <-deadline:
			return time.Time{}, fmt.Errorf("no window titled %q within %v; windows seen: %v", title, timeout, seen)
		}
	}
}

// waitForWindowID waits for a window titled exactly title, of any process,
// and returns it and the process it declares.
func (x *xConn) waitForWindowID(title string, exited <-chan struct{}, timeout time.Duration) (uint32, int, error) {
	deadline := time.After(timeout)
	for {
		select {
		case m := <-x.maps:
			t, wpid, err := x.windowInfo(m.window)
			if err == nil && t == title {
				return m.window, wpid, nil
			}
		case <-exited:
			return 0, 0, fmt.Errorf("exited before showing a window titled %q", title)
		case <-x.dead:
			return 0, 0, fmt.Errorf("connection to the X server lost: %v", x.readErr)
		case <-deadline:
			return 0, 0, fmt.Errorf("no window titled %q within %v", title, timeout)
		}
	}
}

// deleteWindow asks a window to close as a window manager does: a
// WM_PROTOCOLS client message carrying WM_DELETE_WINDOW.
func (x *xConn) deleteWindow(window uint32) error {
	protocols, err := x.internAtom("WM_PROTOCOLS")
	if err != nil {
		return err
	}
	del, err := x.internAtom("WM_DELETE_WINDOW")
	if err != nil {
		return err
	}
	const xOpSendEvent, xEventClientMessage = 25, 33
	req := make([]byte, 44)
	req[0] = xOpSendEvent
	le.PutUint16(req[2:], uint16(len(req)/4))
	le.PutUint32(req[4:], window) // destination
	// event mask 0: sent to the window's owner
	ev := req[12:]
	ev[0] = xEventClientMessage
	ev[1] = 32 // format
	le.PutUint32(ev[4:], window)
	le.PutUint32(ev[8:], protocols)
	le.PutUint32(ev[12:], del)
	le.PutUint32(ev[16:], 0) // CurrentTime
	if err := x.send(req); err != nil {
		return err
	}
	// A round trip: the server has handled the event when its reply comes.
	_, err = x.internAtom("WM_DELETE_WINDOW")
	return err
}
