//go:build integration

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

// look is how the app is drawn: Fyne's scale and theme.
type look struct {
	Scale string // FYNE_SCALE
	Theme string // FYNE_THEME: light or dark
}

func (l look) String() string { return "scale" + l.Scale + "-" + l.Theme }

// enlarge is how much OCR enlarges a picture drawn in this look: text at
// scale 1 is too small for tesseract, at scale 2 it is big enough.
func (l look) enlarge() int {
	if l.Scale == "1" {
		return 2
	}
	return 1
}

// env is the look's environment variables.
func (l look) env() []string { return []string{"FYNE_SCALE=" + l.Scale, "FYNE_THEME=" + l.Theme} }

// looks are the four ways every checked screen is photographed.
var looks = []look{{"1", "dark"}, {"1", "light"}, {"2", "dark"}, {"2", "light"}}

// defaultLook is the look of the tests that photograph one way only.
var defaultLook = look{"1", "dark"}

// desk is one test's own desktop: a fresh bus, keyring, X server, window
// manager, xfce4-panel as the tray host and xfce4-notifyd, nothing shared
// with another test (so no prompt or window of another test can be on
// its screen), plus a monitor of the notifications sent on its bus.
type desk struct {
	*desktoptest.Session
	Notes *desktoptest.NotifyMonitor
	t     *testing.T
}

// newDesk starts a desktop for t and asserts that its screen shows
// nothing but the desktop itself; it ends with the test.
func newDesk(t *testing.T) *desk {
	t.Helper()
	requireTools(t, append(desktoptest.SessionTools, desktoptest.OCRTools...)...)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	s, err := desktoptest.StartSession(ctx, shortTempDir(t), desktoptest.SessionOptions{Width: 1366, Height: 768, Env: []string{"LANG=en_US.UTF-8"}, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("desktop logs:\n%s", s.Logs())
		}
		if err := s.Close(); err != nil {
			t.Errorf("desktop session: %v", err)
		}
	})
	mon, err := desktoptest.StartNotifyMonitor(s.Bus, s.Conn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mon.Close() })
	d := &desk{Session: s, Notes: mon, t: t}
	d.assertClean()
	return d
}

// shortTempDir is a temporary directory with a short path: the bus and
// X server put sockets under it, and a socket's path has a length limit.
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// assertClean fails the test if a window is on screen that belongs
// neither to the desktop nor to one of pids (the processes under test):
// a keyring prompt, another program's window.
func (d *desk) assertClean(pids ...int) {
	d.t.Helper()
	foreign, err := d.ForeignWindows(pids...)
	if err != nil {
		d.t.Fatalf("list the windows: %v", err)
	}
	if len(foreign) > 0 {
		path := filepath.Join(artifactsDir(d.t), fileName(d.t.Name())+"-foreign-windows.png")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = d.Screenshot(ctx, "root", path)
		d.t.Fatalf("windows not of the test on screen: %v (screen: %s)", foreign, path)
	}
}

// app is one run of advologix-connect on the desk.
type app struct {
	*proc
	d    *desk
	look look
}

// startApp runs the app with args on the desk, in the look l, trusting
// the emulator's CA (ca, may be "") through SSL_CERT_FILE.
func (d *desk) startApp(l look, ca string, args ...string) *app {
	d.t.Helper()
	bin := buildApp(d.t)
	env := d.Env(l.env()...)
	if ca != "" {
		env = append(env, "SSL_CERT_FILE="+ca)
	}
	return &app{proc: startProcess(d.t, env, bin, args...), d: d, look: l}
}

// cli runs the app's command line on the desk (its keyring, its settings)
// and returns its exit code and output.
func (d *desk) cli(ca, stdin string, args ...string) (int, string) {
	d.t.Helper()
	cmd := d.Command(buildApp(d.t), args...)
	if ca != "" {
		cmd.Env = append(cmd.Env, "SSL_CERT_FILE="+ca)
	}
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		code = -1
		if cmd.ProcessState != nil {
			code = cmd.ProcessState.ExitCode()
		}
	}
	return code, string(out)
}

// window waits for the app's window titled exactly title.
func (a *app) window(title string) desktoptest.Window {
	a.d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	w, err := a.d.WaitWindow(ctx, a.Pid(), title)
	if err != nil {
		a.d.t.Fatalf("%v\noutput:\n%s", err, a.Output())
	}
	return w
}

// shows photographs win until OCR reads every one of want in it (or
// waitLong passes: then the test fails with what was read), after
// asserting nothing foreign is on screen. The picture and the text read
// stay as $ADVOLOGIX_ARTIFACTS/e2e/<test>-<name>.png and .txt.
func (a *app) shows(win desktoptest.Window, name string, want ...string) desktoptest.Text {
	a.d.t.Helper()
	return a.d.look(win, name, []int{a.Pid()}, false, a.look.enlarge(), want...)
}

// showsScrolling is shows for a window whose content scrolls (Settings,
// which at scale 2 on a 1366×768 screen is taller than the screen): like
// a user it scrolls to the top, then down a page at a time (mouse wheel)
// until the wanted text has all been seen or the bottom is reached; each
// page is kept as <name>.png, <name>-p2.png, …. The window stays
// scrolled where the text was found. Word boxes of the text returned
// belong to different pages: click only on what does not scroll (the
// button bar).
func (a *app) showsScrolling(win desktoptest.Window, name string, want ...string) desktoptest.Text {
	a.d.t.Helper()
	return a.d.look(win, name, []int{a.Pid()}, true, a.look.enlarge(), want...)
}

func (d *desk) shows(win desktoptest.Window, name string, pids []int, want ...string) desktoptest.Text {
	d.t.Helper()
	return d.look(win, name, pids, false, 2, want...)
}

// maxPages bounds showsScrolling's pages.
const maxPages = 6

func (d *desk) look(win desktoptest.Window, name string, pids []int, scroll bool, enlarge int, want ...string) desktoptest.Text {
	d.t.Helper()
	d.assertClean(pids...)
	base := filepath.Join(artifactsDir(d.t), fileName(d.t.Name()+"-"+name))
	budget := waitLong
	if scroll {
		budget = 3 * waitLong // several pages, each read three times
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	var text, lastText desktoptest.Text
	var missing, paths, lastPaths []string
	check := func() {
		missing = missing[:0]
		for _, w := range want {
			if !text.Contains(w) {
				missing = append(missing, w)
			}
		}
	}
attempts:
	for {
		if scroll {
			d.wheel(win, 4, 20) // to the top
		}
		if len(paths) > 0 {
			lastText, lastPaths = text, paths
		}
		text, paths = desktoptest.Text{}, nil
		var prev []byte
		for page := 1; ; page++ {
			path := base + ".png"
			if page > 1 {
				path = fmt.Sprintf("%s-p%d.png", base, page)
			}
			if err := d.Screenshot(ctx, win.ID, path); err != nil {
				if ctx.Err() != nil && len(paths)+len(lastPaths) > 0 {
					break attempts // keep the last text read, for the message
				}
				d.t.Fatalf("screenshot of %v: %v", win, err)
			}
			picture, err := os.ReadFile(path)
			if err != nil {
				d.t.Fatal(err)
			}
			if page > 1 && bytes.Equal(picture, prev) {
				os.Remove(path) // the bottom: scrolling changed nothing
				break
			}
			prev = picture
			read, err := desktoptest.OCRAt(ctx, path, enlarge)
			if err != nil {
				if ctx.Err() != nil && len(paths)+len(lastPaths) > 0 {
					break attempts
				}
				d.t.Fatalf("OCR of %s: %v", path, err)
			}
			if err := os.WriteFile(strings.TrimSuffix(path, ".png")+".txt", []byte(read.String()+"\n"), 0o644); err != nil {
				d.t.Fatal(err)
			}
			text = text.Append(read)
			paths = append(paths, path)
			check()
			if len(missing) == 0 || !scroll || page == maxPages {
				break
			}
			d.wheel(win, 5, 5) // a page down
			time.Sleep(200 * time.Millisecond)
		}
		if len(missing) == 0 || ctx.Err() != nil {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	if len(paths) == 0 {
		text, paths = lastText, lastPaths
		check()
	}
	if len(missing) > 0 {
		d.t.Fatalf("%v (window %v) does not show %q; OCR read:\n%s", paths, win, missing, text)
	}
	for _, p := range paths {
		d.t.Logf("checked screenshot: %s", p)
	}
	return text
}

// wheel turns the mouse wheel over win's left margin, halfway down (where
// only labels are: an entry under the pointer would take the wheel for
// itself): button 4 up, 5 down.
func (d *desk) wheel(win desktoptest.Window, button, clicks int) {
	d.t.Helper()
	if _, err := d.Xdotool("mousemove", "--window", win.ID, "8", fmt.Sprint(win.Height/2),
		"click", "--repeat", fmt.Sprint(clicks), "--delay", "30", fmt.Sprint(button)); err != nil {
		d.t.Fatal(err)
	}
}

// click clicks the middle of the first word of label, where OCR finds it
// in seen (the last text read off win), else in a new picture of win
// (taken until label is on it, see shows).
func (a *app) click(win desktoptest.Window, seen desktoptest.Text, label string) {
	a.d.t.Helper()
	deadline := time.Now().Add(waitLong)
	text := seen
	for {
		if len(text.Lines) == 0 {
			text = a.shows(win, "before-"+label, label)
		}
		if w, ok := text.Find(label); ok {
			x, y := w.X+w.Width/2, w.Y+w.Height/2
			if _, err := a.d.Xdotool("mousemove", "--window", win.ID, fmt.Sprint(x), fmt.Sprint(y), "click", "1"); err != nil {
				a.d.t.Fatal(err)
			}
			return
		}
		if time.Now().After(deadline) {
			a.d.t.Fatalf("no %q on screen to click; OCR read:\n%s", label, text)
		}
		text = desktoptest.Text{}
	}
}

// keys sends key events (xdotool key names: Tab, space, Return,
// shift+Tab, …) to the focused window, one at a time.
func (d *desk) keys(names ...string) {
	d.t.Helper()
	for _, k := range names {
		if _, err := d.Xdotool("key", "--clearmodifiers", k); err != nil {
			d.t.Fatal(err)
		}
		time.Sleep(60 * time.Millisecond)
	}
}

// typeText types s as key events into the focused window.
func (d *desk) typeText(s string) {
	d.t.Helper()
	if _, err := d.Xdotool("type", "--delay", "20", s); err != nil {
		d.t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
}

// focus activates win through the window manager, as a click on it would.
func (d *desk) focus(win desktoptest.Window) {
	d.t.Helper()
	if _, err := d.Xdotool("windowactivate", "--sync", win.ID); err != nil {
		d.t.Fatal(err)
	}
}

// panelShot photographs xfce4-panel (the full-width window of its
// process) and returns the picture.
func (d *desk) panelShot(t *testing.T, name string) image.Image {
	t.Helper()
	ws, err := d.WindowsOf(d.PanelPID())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if w.Width == d.Width {
			path := filepath.Join(artifactsDir(t), fileName(t.Name()+"-"+name)+".png")
			ctx, cancel := context.WithTimeout(context.Background(), waitLong)
			defer cancel()
			if err := d.Screenshot(ctx, w.ID, path); err != nil {
				t.Fatal(err)
			}
			img, err := readPNG(path)
			if err != nil {
				t.Fatal(err)
			}
			return img
		}
	}
	t.Fatalf("no panel window among %v", ws)
	return nil
}

// assertTrayDrawn waits until the panel shows an icon where before it
// had none: at least a 10×10 pixels' worth of the panel changed (an empty
// Status Tray is one flat colour).
func (d *desk) assertTrayDrawn(t *testing.T, before image.Image, name string) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		after := d.panelShot(t, name)
		changed := 0
		b := before.Bounds()
		if after.Bounds() == b {
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					r0, g0, b0, _ := before.At(x, y).RGBA()
					r1, g1, b1, _ := after.At(x, y).RGBA()
					if absDiff(r0, r1)+absDiff(g0, g1)+absDiff(b0, b1) > 3*0x1000 {
						changed++
					}
				}
			}
		}
		if changed >= 100 {
			t.Logf("tray icon drawn in the panel: %d pixels changed", changed)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the panel shows no new tray icon (%d pixels changed; see %s.png)", changed, fileName(t.Name()+"-"+name))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// notifydWindows are xfce4-notifyd's windows on screen now.
func (d *desk) notifydWindows(t *testing.T) map[string]bool {
	t.Helper()
	ws, err := d.WindowsOf(d.NotifydPID())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, w := range ws {
		ids[w.ID] = true
	}
	return ids
}

// newNotifydWindow waits for a window of xfce4-notifyd that was not in
// before: the popup of a new notification. A notification that replaces
// one still on screen (replaces_id) is shown in the same popup: then,
// after a second without a new window, the one popup on screen is it (the
// caller reads it, so an unchanged popup fails there).
func (d *desk) newNotifydWindow(t *testing.T, before map[string]bool) desktoptest.Window {
	t.Helper()
	start := time.Now()
	deadline := start.Add(waitLong)
	for {
		ws, err := d.WindowsOf(d.NotifydPID())
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			if !before[w.ID] {
				return w
			}
		}
		if len(ws) == 1 && time.Since(start) > time.Second {
			return ws[0]
		}
		if time.Now().After(deadline) {
			all, _ := d.Windows()
			t.Fatalf("xfce4-notifyd showed no new window; on screen: %v", all)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
