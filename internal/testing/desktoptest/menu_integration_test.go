//go:build integration

package desktoptest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// fakeMenu is a tray item with a one-entry dbusmenu that renumbers its
// entry when a test says, as Fyne's systray does on every change.
type fakeMenu struct {
	mu sync.Mutex
	id int32 // the entry's number now
	// renumber says, per click (0, 1, …), whether the menu is renumbered
	// just before the click arrives ("before") or just after ("after").
	renumber map[int]string
	// gone: the menu cannot be read after the first click (a Quit).
	gone      bool
	clicks    int
	delivered []int32 // clicks that reached the entry, by number
	lost      []int32 // clicks sent for a number gone
}

type layout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

func (f *fakeMenu) GetLayout(parent, depth int32, props []string) (uint32, layout, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gone && f.clicks > 0 {
		return 0, layout{}, dbus.MakeFailedError(errors.New("the program has ended"))
	}
	entry := layout{ID: f.id, Props: map[string]dbus.Variant{"label": dbus.MakeVariant("Settings…")}, Children: []dbus.Variant{}}
	return uint32(f.id), layout{ID: 0, Props: map[string]dbus.Variant{}, Children: []dbus.Variant{dbus.MakeVariant(entry)}}, nil
}

func (f *fakeMenu) Event(id int32, event string, data dbus.Variant, ts uint32) *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	when := f.renumber[f.clicks]
	f.clicks++
	if when == "before" {
		f.id++
	}
	if id == f.id {
		f.delivered = append(f.delivered, id)
	} else {
		f.lost = append(f.lost, id)
	}
	if when == "after" {
		f.id++
	}
	return nil
}

// Get is org.freedesktop.DBus.Properties.Get of the item: its Menu.
func (f *fakeMenu) Get(iface, name string) (dbus.Variant, *dbus.Error) {
	return dbus.MakeVariant(dbus.ObjectPath("/Menu")), nil
}

func (f *fakeMenu) wasLost(id int32) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.lost {
		if l == id {
			return true
		}
	}
	return false
}

func TestClickLabelLost(t *testing.T) {
	requireSession(t, false)
	tests := []struct {
		name      string
		renumber  map[int]string
		gone      bool
		delivered []int32
		asked     int // how often the test was asked whether a click was lost
		err       string
	}{
		{name: "stable menu", delivered: []int32{5}},
		{name: "renumbered before the click", renumber: map[int]string{0: "before"}, delivered: []int32{6}, asked: 1},
		{name: "renumbered after the click", renumber: map[int]string{0: "after"}, delivered: []int32{5}, asked: 1},
		{name: "the program ends with the click", gone: true, delivered: []int32{5}},
		{name: "renumbered before every click", renumber: map[int]string{0: "before", 1: "before", 2: "before"}, asked: 3, err: "lost 3 times"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			server := connect(t)
			f := &fakeMenu{id: 5, renumber: tc.renumber, gone: tc.gone}
			if err := server.Export(f, "/Menu", "com.canonical.dbusmenu"); err != nil {
				t.Fatal(err)
			}
			if err := server.Export(f, "/Item", "org.freedesktop.DBus.Properties"); err != nil {
				t.Fatal(err)
			}
			item := desktoptest.Item{BusName: server.Names()[0], Path: "/Item"}
			asked := 0
			lost := func(id int32) bool { asked++; return f.wasLost(id) }
			err := desktoptest.ClickLabelLost(context.Background(), connect(t), item, "Settings…", lost)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("ClickLabelLost: %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("ClickLabelLost = %v; want an error saying %q", err, tc.err)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if !slices.Equal(f.delivered, tc.delivered) {
				t.Errorf("clicks delivered to %v; want %v (lost: %v)", f.delivered, tc.delivered, f.lost)
			}
			if asked != tc.asked {
				t.Errorf("asked %d times whether a click was lost; want %d", asked, tc.asked)
			}
		})
	}
}
