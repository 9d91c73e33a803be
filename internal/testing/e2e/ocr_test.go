//go:build integration

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

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

// wheel turns the mouse wheel over win's left margin, a quarter of the
// way down: over the form, above the pinned verdict of the Settings window,
// which takes up to 45% of the window over the buttons (and whose hint
// scrolls on its own): button 4 up, 5 down.
func (d *desk) wheel(win desktoptest.Window, button, clicks int) {
	d.t.Helper()
	if _, err := d.Xdotool("mousemove", "--window", win.ID, "8", fmt.Sprint(win.Height/4),
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
		if w, ok := findControl(text, label); ok {
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

// findControl finds label as a control's (a line of its own), else
// anywhere.
func findControl(text desktoptest.Text, label string) (desktoptest.Word, bool) {
	if w, ok := text.FindLabel(label); ok {
		return w, true
	}
	return text.Find(label)
}
