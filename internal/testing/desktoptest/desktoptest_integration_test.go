//go:build integration

package desktoptest_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
	"github.com/advologix/advologix-connect/internal/testing/testbin"
)

// wait bounds every test: generous for a cold Fyne start, short enough
// that a broken harness fails fast.
const wait = 20 * time.Second

// acquireWait bounds the wait for a stand-in's bus name, which a test of
// another package running at the same time may hold for a while.
const acquireWait = 3 * time.Minute

// requireSession fails (never skips) outside scripts/test-session.sh.
func requireSession(t *testing.T, needDisplay bool) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is empty): run under scripts/test-session.sh, as make test does")
	}
	if needDisplay && os.Getenv("DISPLAY") == "" {
		t.Fatal("no X display (DISPLAY is empty): run under scripts/test-session.sh, as make test does")
	}
}

// connect opens a private session bus connection closed at cleanup.
func connect(t *testing.T) *dbus.Conn {
	t.Helper()
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatalf("connect to the session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func startWatcher(t *testing.T, conn *dbus.Conn) *desktoptest.Watcher {
	t.Helper()
	return startStandIn(t, conn, desktoptest.StartWatcher)
}

func startNotifications(t *testing.T, conn *dbus.Conn) *desktoptest.Notifications {
	t.Helper()
	return startStandIn(t, conn, desktoptest.StartNotifications)
}

// startStandIn starts a stand-in on conn, waiting up to acquireWait for
// its bus name, and closes it at cleanup.
func startStandIn[S interface{ Close() error }](t *testing.T, conn *dbus.Conn, start func(context.Context, *dbus.Conn) (S, error)) S {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), acquireWait)
	defer cancel()
	s, err := start(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestWatcherRegistersAndDrops(t *testing.T) {
	requireSession(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	w := startWatcher(t, connect(t))

	// A second watcher waits for the name, and gives up when told to.
	short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancelShort()
	impatient := connect(t)
	if w2, err := desktoptest.StartWatcher(short, impatient); err == nil {
		w2.Close()
		t.Fatal("a second StartWatcher succeeded while the first owns the name")
	} else if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "still owned by") {
		t.Errorf("second StartWatcher: %v, want a deadline error naming the owner", err)
	} else {
		t.Log(err)
	}
	// It left the queue. (Tests of other packages may be queued too.)
	queued := func() []string {
		var names []string
		if err := impatient.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ListQueuedOwners", 0, desktoptest.WatcherName).Store(&names); err != nil {
			t.Fatal(err)
		}
		return names
	}
	if q := queued(); slices.Contains(q, impatient.Names()[0]) {
		t.Errorf("queued owners of the watcher name = %q; the watcher that gave up (%s) is still among them", q, impatient.Names()[0])
	}

	observer := connect(t)
	if err := observer.AddMatchSignal(dbus.WithMatchInterface("org.kde.StatusNotifierWatcher")); err != nil {
		t.Fatal(err)
	}
	sigs := make(chan *dbus.Signal, 16)
	observer.Signal(sigs)
	watcherObj := observer.Object(desktoptest.WatcherName, desktoptest.WatcherPath)

	client := connect(t)
	call := client.Object(desktoptest.WatcherName, desktoptest.WatcherPath).CallWithContext(ctx,
		"org.kde.StatusNotifierWatcher.RegisterStatusNotifierItem", 0, "/StatusNotifierItem")
	if call.Err != nil {
		t.Fatalf("RegisterStatusNotifierItem: %v", call.Err)
	}
	item, err := w.WaitItemPID(ctx, os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	want := desktoptest.Item{BusName: client.Names()[0], Path: "/StatusNotifierItem", Sender: client.Names()[0], PID: os.Getpid()}
	if item != want {
		t.Errorf("item = %+v, want %+v", item, want)
	}
	if sig := nextSignal(t, ctx, sigs, "StatusNotifierItemRegistered"); sig.Body[0] != item.String() {
		t.Errorf("StatusNotifierItemRegistered(%v), want %q", sig.Body[0], item.String())
	}

	var registered []string
	if err := watcherObj.StoreProperty("org.kde.StatusNotifierWatcher.RegisteredStatusNotifierItems", &registered); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(registered, item.String()) {
		t.Errorf("RegisteredStatusNotifierItems = %q, want %q among them", registered, item.String())
	}
	var hostRegistered bool
	if err := watcherObj.StoreProperty("org.kde.StatusNotifierWatcher.IsStatusNotifierHostRegistered", &hostRegistered); err != nil || !hostRegistered {
		t.Errorf("IsStatusNotifierHostRegistered = %v, %v; want true", hostRegistered, err)
	}
	var version int32
	if err := watcherObj.StoreProperty("org.kde.StatusNotifierWatcher.ProtocolVersion", &version); err != nil || version != 0 {
		t.Errorf("ProtocolVersion = %v, %v; want 0", version, err)
	}
	var xml string
	if err := watcherObj.CallWithContext(ctx, "org.freedesktop.DBus.Introspectable.Introspect", 0).Store(&xml); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"RegisterStatusNotifierItem", "RegisterStatusNotifierHost", "StatusNotifierItemRegistered", "RegisteredStatusNotifierItems"} {
		if !strings.Contains(xml, s) {
			t.Errorf("introspection lacks %s:\n%s", s, xml)
		}
	}

	// Registering again is not a second item.
	client.Object(desktoptest.WatcherName, desktoptest.WatcherPath).CallWithContext(ctx,
		"org.kde.StatusNotifierWatcher.RegisterStatusNotifierItem", 0, "/StatusNotifierItem")
	if n := len(slices.DeleteFunc(w.Items(), func(it desktoptest.Item) bool { return it != item })); n != 1 {
		t.Errorf("%d items after registering twice, want 1", n)
	}

	// The item goes when its connection leaves the bus.
	client.Close()
	if err := w.WaitGone(ctx, item); err != nil {
		t.Fatal(err)
	}
	if sig := nextSignal(t, ctx, sigs, "StatusNotifierItemUnregistered"); sig.Body[0] != item.String() {
		t.Errorf("StatusNotifierItemUnregistered(%v), want %q", sig.Body[0], item.String())
	}

	// A watcher waiting in the queue takes over when the first closes.
	next := make(chan error, 1)
	conn2 := connect(t)
	go func() {
		// Tests of other packages may be ahead in the queue.
		long, cancelLong := context.WithTimeout(context.Background(), acquireWait)
		defer cancelLong()
		w2, err := desktoptest.StartWatcher(long, conn2)
		if err == nil {
			err = w2.Close()
		}
		next <- err
	}()
	for !slices.Contains(queued(), conn2.Names()[0]) {
		if ctx.Err() != nil {
			t.Fatal("the second watcher never queued for the name")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-next; err != nil {
		t.Errorf("the queued watcher: %v", err)
	}
}

func nextSignal(t *testing.T, ctx context.Context, sigs <-chan *dbus.Signal, member string) *dbus.Signal {
	t.Helper()
	for {
		select {
		case sig := <-sigs:
			if strings.HasSuffix(sig.Name, "."+member) {
				return sig
			}
		case <-ctx.Done():
			t.Fatalf("no %s signal: %v", member, ctx.Err())
		}
	}
}

func TestNotificationsRecord(t *testing.T) {
	requireSession(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	n := startNotifications(t, connect(t))

	client := connect(t)
	obj := client.Object(desktoptest.NotificationsName, desktoptest.NotificationsPath)
	var caps []string
	if err := obj.CallWithContext(ctx, "org.freedesktop.Notifications.GetCapabilities", 0).Store(&caps); err != nil || !slices.Equal(caps, []string{"body"}) {
		t.Errorf("GetCapabilities = %q, %v; want [body]", caps, err)
	}
	var name, vendor, version, spec string
	if err := obj.CallWithContext(ctx, "org.freedesktop.Notifications.GetServerInformation", 0).Store(&name, &vendor, &version, &spec); err != nil || spec != "1.2" {
		t.Errorf("GetServerInformation = %q %q %q %q, %v", name, vendor, version, spec, err)
	}
	notify := func(replaces uint32, summary string) uint32 {
		t.Helper()
		var id uint32
		err := obj.CallWithContext(ctx, "org.freedesktop.Notifications.Notify", 0, "app", replaces, "", summary, "body text",
			[]string{}, map[string]dbus.Variant{"urgency": dbus.MakeVariant(byte(1))}, int32(-1)).Store(&id)
		if err != nil {
			t.Fatalf("Notify: %v", err)
		}
		return id
	}
	first := notify(0, "one")
	if again := notify(first, "one, updated"); again != first {
		t.Errorf("Notify replacing %d answered %d", first, again)
	}
	if third := notify(0, "two"); third == first {
		t.Errorf("a new notification reused id %d", first)
	}
	for _, want := range []string{"one", "one, updated", "two"} {
		got, err := n.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Summary != want || got.Body != "body text" || got.AppName != "app" || got.Sender != client.Names()[0] {
			t.Errorf("Next = %+v, want summary %q from %s", got, want, client.Names()[0])
		}
	}
	if all := n.All(); len(all) != 3 || all[0].Hints["urgency"].Value() != byte(1) {
		t.Errorf("All = %+v", all)
	}
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if got, err := n.Next(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Next with nothing new = %+v, %v; want a deadline error", got, err)
	}
	if err := obj.CallWithContext(ctx, "org.freedesktop.Notifications.CloseNotification", 0, first).Err; err != nil {
		t.Errorf("CloseNotification: %v", err)
	}
}

func TestMain(m *testing.M) { testbin.Main(m) }
