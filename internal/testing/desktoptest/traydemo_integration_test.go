//go:build integration

package desktoptest_test

import (
	"bytes"
	"context"
	"image/color"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
	"github.com/advologix/advologix-connect/internal/testing/testbin"
)

// buildTrayDemo builds testdata/traydemo once for the run (internal/testing/testbin).
func buildTrayDemo(t *testing.T) string {
	t.Helper()
	return testbin.Build(t, "github.com/advologix/advologix-connect/internal/testing/desktoptest/testdata/traydemo")
}

// TestTrayDemo drives a real Fyne tray program through the stand-ins, as
// the application's end-to-end tests will.
func TestTrayDemo(t *testing.T) {
	requireSession(t, true)
	bin := buildTrayDemo(t)
	conn := connect(t)
	// Both stand-ins own their names before the program starts.
	w := startWatcher(t, conn)
	notes := startNotifications(t, conn)

	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("traydemo output:\n%s", out.String())
		}
	})

	item, err := w.WaitItemPID(ctx, cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("registered after %v: %s, sender %s, pid %d", time.Since(start).Round(time.Millisecond), item, item.Sender, item.PID)
	if item.Path != desktoptest.DefaultItemPath || !strings.HasPrefix(item.BusName, ":") {
		t.Errorf("item = %+v, want the unique name and /StatusNotifierItem", item)
	}
	var owner string
	wellKnown := "org.kde.StatusNotifierItem-" + strconv.Itoa(cmd.Process.Pid) + "-1"
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetNameOwner", 0, wellKnown).Store(&owner); err != nil || owner != item.Sender {
		t.Errorf("owner of %s = %q, %v; want %s", wellKnown, owner, err, item.Sender)
	}

	menu, err := desktoptest.WaitMenu(ctx, conn, item, desktoptest.HasLabels("Test connection", "Settings…", "Quit"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := menu.Labels(), []string{"Test connection", "Settings…", "Quit"}; !slices.Equal(got, want) {
		t.Errorf("menu labels = %q, want %q", got, want)
	}
	t.Logf("menu after %v: %+v", time.Since(start).Round(time.Millisecond), menu.Children)

	props, err := desktoptest.GetItemProperties(ctx, conn, item)
	if err != nil {
		t.Fatal(err)
	}
	// The menu was read above from the path this property names, as a
	// shell does; systray 1.12 serves it at /StatusNotifierItem/menu, 1.11
	// at /StatusNotifierMenu.
	if props.Status != "Active" || !props.Menu.IsValid() || props.Menu == "/" {
		t.Errorf("Status %q, Menu %q; want Active and the menu's object path", props.Status, props.Menu)
	}
	t.Logf("item properties: Id %q Title %q Category %q, %d icon(s)", props.ID, props.Title, props.Category, len(props.Icons))
	if c := centre(t, ctx, conn, item); !(c.R > 0xa0 && c.G < 0x40) {
		t.Errorf("icon centre = %+v, want red", c)
	}

	if err := desktoptest.ClickLabel(ctx, conn, item, "test CONNECTION"); err != nil {
		t.Fatal(err)
	}
	note, err := notes.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if note.Summary != "Clicked" || note.Body != "hello" || note.AppName != "com.advologix.connect.traydemo" ||
		note.Sender != item.Sender || note.PID != cmd.Process.Pid {
		t.Errorf("notification = %+v", note)
	}
	// The icon turns green after the notification; poll, it changes on
	// the program's main goroutine.
	for c := centre(t, ctx, conn, item); !(c.G > 0x80 && c.R < 0x40); c = centre(t, ctx, conn, item) {
		if ctx.Err() != nil {
			t.Fatalf("icon centre = %+v, want green after the click", c)
		}
		time.Sleep(50 * time.Millisecond)
	}

	if err := desktoptest.ClickLabel(ctx, conn, item, "No such entry"); err == nil || !strings.Contains(err.Error(), "Settings…") {
		t.Errorf("ClickLabel of a missing label: %v, want an error listing the entries", err)
	}

	if err := desktoptest.ClickLabel(ctx, conn, item, "_Quit"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for the cleanup
		if err != nil {
			t.Errorf("traydemo after Quit: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("traydemo still runs after its Quit entry was clicked")
	}
	if err := w.WaitGone(ctx, item); err != nil {
		t.Error(err)
	}
	if extra := notes.All(); len(extra) != 1 {
		t.Errorf("%d notifications, want 1: %+v", len(extra), extra)
	}
}

// centre returns the colour at the middle of the tray icon.
func centre(t *testing.T, ctx context.Context, conn *dbus.Conn, item desktoptest.Item) color.NRGBA {
	t.Helper()
	img, err := desktoptest.ItemIcon(ctx, conn, item)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	return img.NRGBAAt(b.Min.X+b.Dx()/2, b.Min.Y+b.Dy()/2)
}
