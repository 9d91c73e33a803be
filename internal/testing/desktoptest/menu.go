package desktoptest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

const menuIface = "com.canonical.dbusmenu"

// MenuItem is one entry of a com.canonical.dbusmenu menu, read with
// [GetLayout]. The root (ID 0) is the menu itself; its Children are what
// the tray shows.
type MenuItem struct {
	ID int32
	// Label is the label as sent, mnemonic underscores included.
	Label string
	// Enabled and Visible default to true, as in the dbusmenu spec.
	Enabled bool
	Visible bool
	// Type is "standard" or "separator".
	Type string
	// ToggleType is "", "checkmark" or "radio"; ToggleState is 0 (off),
	// 1 (on) or -1 (indeterminate).
	ToggleType  string
	ToggleState int32
	Children    []MenuItem
	// Props holds every property as sent.
	Props map[string]dbus.Variant
}

// Labels returns the labels of the visible entries below m, depth first,
// separators left out.
func (m MenuItem) Labels() []string {
	var out []string
	for _, c := range m.Children {
		if !c.Visible {
			continue
		}
		if c.Type != "separator" {
			out = append(out, c.Label)
		}
		out = append(out, c.Labels()...)
	}
	return out
}

// Find returns the visible, non-separator entries below m whose label
// matches label after [NormalizeLabel] on both sides, depth first.
func (m MenuItem) Find(label string) []MenuItem {
	want := NormalizeLabel(label)
	var out []MenuItem
	for _, c := range m.Children {
		if !c.Visible {
			continue
		}
		if c.Type != "separator" && NormalizeLabel(c.Label) == want {
			out = append(out, c)
		}
		out = append(out, c.Find(label)...)
	}
	return out
}

// NormalizeLabel makes labels comparable the way a person reads them: a
// mnemonic underscore is dropped ("_Quit" → "Quit", "__" → "_"), "…" is
// written "...", runs of spaces become one, and case is folded.
func NormalizeLabel(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		if r[i] == '_' {
			if i+1 < len(r) && r[i+1] == '_' {
				b.WriteRune('_')
				i++
			}
			continue
		}
		b.WriteRune(r[i])
	}
	out := strings.ReplaceAll(b.String(), "…", "...")
	return strings.ToLower(strings.Join(strings.Fields(out), " "))
}

// GetLayout reads item's whole menu with com.canonical.dbusmenu.GetLayout
// (parent 0, all levels, all properties). The menu's object path is taken
// from the item's Menu property, as a desktop shell does.
func GetLayout(ctx context.Context, conn *dbus.Conn, item Item) (MenuItem, error) {
	menu, err := menuObject(ctx, conn, item)
	if err != nil {
		return MenuItem{}, err
	}
	var (
		revision uint32
		layout   rawLayout
	)
	call := menu.CallWithContext(ctx, menuIface+".GetLayout", 0, int32(0), int32(-1), []string{})
	if err := call.Store(&revision, &layout); err != nil {
		return MenuItem{}, fmt.Errorf("desktoptest: GetLayout of %s: %w", item, err)
	}
	return convertLayout(layout)
}

// WaitMenu polls item's menu until cond accepts it, and returns that
// menu. A tray may register before its menu is filled in (Fyne fills it
// from another goroutine), so tests wait for the entries they need.
func WaitMenu(ctx context.Context, conn *dbus.Conn, item Item, cond func(MenuItem) bool) (MenuItem, error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var (
		last    MenuItem
		lastErr error
	)
	for {
		m, err := GetLayout(ctx, conn, item)
		if err == nil && cond(m) {
			return m, nil
		}
		if err == nil {
			last, lastErr = m, nil
		} else if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			lastErr = err
		}
		select {
		case <-ctx.Done():
			if lastErr != nil {
				return MenuItem{}, fmt.Errorf("desktoptest: menu of %s never matched: %w (last error: %v)", item, context.Cause(ctx), lastErr)
			}
			return last, fmt.Errorf("desktoptest: menu of %s never matched, last labels %q: %w", item, last.Labels(), context.Cause(ctx))
		case <-tick.C:
		}
	}
}

// HasLabels is a [WaitMenu] condition: every label is in the menu.
func HasLabels(labels ...string) func(MenuItem) bool {
	return func(m MenuItem) bool {
		for _, l := range labels {
			if len(m.Find(l)) == 0 {
				return false
			}
		}
		return true
	}
}

// ClickLabel clicks the one visible entry of item's menu labelled label
// (compared with [NormalizeLabel]) by sending the dbusmenu event
// Event(id, "clicked", "", now), as a desktop shell does. It fails if no
// entry or more than one matches, or if the entry is disabled: a person
// could not click it either. It is [ClickLabelLost] without a way to tell
// a lost click.
func ClickLabel(ctx context.Context, conn *dbus.Conn, item Item, label string) error {
	return ClickLabelLost(ctx, conn, item, label, nil)
}

// clickTries is how often ClickLabelLost sends a click its program lost.
const clickTries = 3

// ClickLabelLost clicks the enabled entry labelled label in item's menu.
//
// A tray may number its entries anew at any time (Fyne's systray does on
// every change of the menu, and once more when the tray host is ready),
// and a click sent for a number that has just gone is lost. So the menu is
// read again after the click: if the entry still has its number, the click
// reached it. If not, the renumbering came either before the click or
// after it, and lost(id) tells which: it reports whether the program said
// it had no entry id (nil: the click counts as delivered). A lost click is
// sent again, to the entry's new number. A menu that cannot be read after
// the click (its program has ended) counts as a click delivered.
func ClickLabelLost(ctx context.Context, conn *dbus.Conn, item Item, label string, lost func(id int32) bool) error {
	menu, err := menuObject(ctx, conn, item)
	if err != nil {
		return err
	}
	for try := 1; ; try++ {
		entry, err := findEnabled(ctx, conn, item, label)
		if err != nil {
			return err
		}
		call := menu.CallWithContext(ctx, menuIface+".Event", 0,
			entry.ID, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
		if call.Err != nil {
			return fmt.Errorf("desktoptest: click %q of %s: %w", label, item, call.Err)
		}
		after, err := GetLayout(ctx, conn, item)
		if err != nil {
			// The menu is gone: a click on Quit ends the program at once.
			// The click was answered, and what the program does next is
			// the test's to check.
			return nil
		}
		if after.byID(entry.ID) || lost == nil || !lost(entry.ID) {
			return nil
		}
		if try == clickTries {
			return fmt.Errorf("desktoptest: click %q of %s: lost %d times (the menu was renumbered each time)", label, item, try)
		}
	}
}

// LostClickWait bounds [SystrayLost]'s wait for a program's report of a
// lost click. The report is written before the click's D-Bus reply, so it
// is in the pipe already; the wait covers only the test's reader of it.
const LostClickWait = 5 * time.Second

// SystrayLostLine is the line Fyne's systray logs for a click on entry
// id when its menu has no such entry any more.
func SystrayLostLine(id int32) string {
	return fmt.Sprintf("systray error: no menu item with ID %d\n", id)
}

// SystrayLost is the lost func of [ClickLabelLost] for a Fyne program
// whose output (stdout and stderr) output returns.
func SystrayLost(output func() string) func(id int32) bool {
	return func(id int32) bool {
		line := SystrayLostLine(id)
		deadline := time.Now().Add(LostClickWait)
		for !strings.Contains(output(), line) {
			if time.Now().After(deadline) {
				return false
			}
			time.Sleep(20 * time.Millisecond)
		}
		return true
	}
}

// findEnabled reads item's menu and returns its one enabled entry
// labelled label.
func findEnabled(ctx context.Context, conn *dbus.Conn, item Item, label string) (MenuItem, error) {
	root, err := GetLayout(ctx, conn, item)
	if err != nil {
		return MenuItem{}, err
	}
	found := root.Find(label)
	switch {
	case len(found) == 0:
		return MenuItem{}, fmt.Errorf("desktoptest: no menu entry %q in %s; entries: %q", label, item, root.Labels())
	case len(found) > 1:
		return MenuItem{}, fmt.Errorf("desktoptest: %d menu entries match %q in %s", len(found), label, item)
	case !found[0].Enabled:
		return MenuItem{}, fmt.Errorf("desktoptest: menu entry %q of %s is disabled", found[0].Label, item)
	}
	return found[0], nil
}

// byID reports whether an entry below m has the number id.
func (m MenuItem) byID(id int32) bool {
	for _, c := range m.Children {
		if c.ID == id || c.byID(id) {
			return true
		}
	}
	return false
}

// menuObject finds item's menu through its Menu property.
func menuObject(ctx context.Context, conn *dbus.Conn, item Item) (dbus.BusObject, error) {
	var path dbus.ObjectPath
	call := conn.Object(item.BusName, item.Path).CallWithContext(ctx,
		"org.freedesktop.DBus.Properties.Get", 0, itemIface, "Menu")
	if err := call.Store(&path); err != nil {
		return nil, fmt.Errorf("desktoptest: Menu property of %s: %w", item, err)
	}
	if !path.IsValid() || path == "/" {
		return nil, fmt.Errorf("desktoptest: %s has no menu (Menu = %q)", item, path)
	}
	return conn.Object(item.BusName, path), nil
}

// rawLayout is the dbusmenu layout as it travels: (ia{sv}av).
type rawLayout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

func convertLayout(l rawLayout) (MenuItem, error) {
	m := MenuItem{
		ID: l.ID, Enabled: true, Visible: true, Type: "standard",
		Props: l.Props,
	}
	if m.Props == nil {
		m.Props = map[string]dbus.Variant{}
	}
	for key, dst := range map[string]any{
		"label": &m.Label, "enabled": &m.Enabled, "visible": &m.Visible, "type": &m.Type,
		"toggle-type": &m.ToggleType, "toggle-state": &m.ToggleState,
	} {
		if v, ok := m.Props[key]; ok {
			if err := v.Store(dst); err != nil {
				return MenuItem{}, fmt.Errorf("desktoptest: menu entry %d: property %s: %w", l.ID, key, err)
			}
		}
	}
	for _, v := range l.Children {
		var c rawLayout
		if err := v.Store(&c); err != nil {
			return MenuItem{}, fmt.Errorf("desktoptest: menu entry %d: child: %w", l.ID, err)
		}
		child, err := convertLayout(c)
		if err != nil {
			return MenuItem{}, err
		}
		m.Children = append(m.Children, child)
	}
	return m, nil
}
