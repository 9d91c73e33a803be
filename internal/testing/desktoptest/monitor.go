package desktoptest

import (
	"context"
	"fmt"
	"sync"

	"github.com/godbus/dbus/v5"
)

// NotifyMonitor watches a bus (org.freedesktop.DBus.Monitoring) for the
// Notify calls sent to the real notification daemon, so a test can read
// a notification's exact text while the daemon shows it: the daemon stays
// the one that answers, the monitor only listens.
type NotifyMonitor struct {
	mon  *dbus.Conn
	conn *dbus.Conn // for looking up senders' PIDs

	mu      sync.Mutex
	seen    []Notification
	changed chan struct{}
	done    chan struct{}
}

// StartNotifyMonitor opens a monitoring connection to the bus at address;
// conn (on the same bus) resolves senders to PIDs. Close it when done.
func StartNotifyMonitor(address string, conn *dbus.Conn) (*NotifyMonitor, error) {
	mon, err := dbus.Connect(address)
	if err != nil {
		return nil, fmt.Errorf("notify monitor: connect: %w", err)
	}
	rule := "type='method_call',interface='" + notificationsIface + "',member='Notify'"
	if err := mon.BusObject().Call("org.freedesktop.DBus.Monitoring.BecomeMonitor", 0, []string{rule}, uint32(0)).Err; err != nil {
		mon.Close()
		return nil, fmt.Errorf("notify monitor: BecomeMonitor: %w", err)
	}
	m := &NotifyMonitor{mon: mon, conn: conn, changed: make(chan struct{}), done: make(chan struct{})}
	ch := make(chan *dbus.Message, 64)
	mon.Eavesdrop(ch)
	go m.loop(ch)
	return m, nil
}

func (m *NotifyMonitor) loop(ch chan *dbus.Message) {
	defer close(m.done)
	for {
		select {
		case msg, ok := <-ch:
			if !ok {
				return
			}
			m.take(msg)
		case <-m.mon.Context().Done():
			return
		}
	}
}

func (m *NotifyMonitor) take(msg *dbus.Message) {
	if msg.Type != dbus.TypeMethodCall || len(msg.Body) < 8 {
		return
	}
	var n Notification
	var ok [8]bool
	n.AppName, ok[0] = msg.Body[0].(string)
	n.ReplacesID, ok[1] = msg.Body[1].(uint32)
	n.AppIcon, ok[2] = msg.Body[2].(string)
	n.Summary, ok[3] = msg.Body[3].(string)
	n.Body, ok[4] = msg.Body[4].(string)
	n.Actions, ok[5] = msg.Body[5].([]string)
	n.Hints, ok[6] = msg.Body[6].(map[string]dbus.Variant)
	n.ExpireTimeout, ok[7] = msg.Body[7].(int32)
	for _, b := range ok {
		if !b {
			return
		}
	}
	if s, ok := msg.Headers[dbus.FieldSender].Value().(string); ok {
		n.Sender = s
		var pid uint32
		if m.conn != nil && m.conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, s).Store(&pid) == nil {
			n.PID = int(pid)
		}
	}
	m.mu.Lock()
	m.seen = append(m.seen, n)
	close(m.changed)
	m.changed = make(chan struct{})
	m.mu.Unlock()
}

// All returns the Notify calls seen so far, oldest first.
func (m *NotifyMonitor) All() []Notification {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Notification(nil), m.seen...)
}

// WaitFrom waits for the (after+1)-th Notify call from process pid, i.e.
// pass the number already consumed, and returns it.
func (m *NotifyMonitor) WaitFrom(ctx context.Context, pid, after int) (Notification, error) {
	for {
		m.mu.Lock()
		changed := m.changed
		var mine []Notification
		for _, n := range m.seen {
			if n.PID == pid {
				mine = append(mine, n)
			}
		}
		m.mu.Unlock()
		if len(mine) > after {
			return mine[after], nil
		}
		select {
		case <-ctx.Done():
			return Notification{}, fmt.Errorf("no notification #%d from process %d: %w", after+1, pid, ctx.Err())
		case <-changed:
		case <-m.done:
			return Notification{}, ErrClosed
		}
	}
}

// Close ends the monitoring connection.
func (m *NotifyMonitor) Close() error {
	err := m.mon.Close()
	<-m.done
	return err
}
