//go:build integration

package e2e

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
)

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
// caller reads it, so an unchanged popup fails there). The pointer is
// then rested on the popup (holdPopup).
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
				return d.holdPopup(t, w)
			}
		}
		if len(ws) == 1 && time.Since(start) > time.Second {
			return d.holdPopup(t, ws[0])
		}
		if time.Now().After(deadline) {
			all, _ := d.Windows()
			t.Fatalf("xfce4-notifyd showed no new window; on screen: %v", all)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// holdPopup rests the pointer on popup, as a reader's does: xfce4-notifyd
// stops a notification's expiry while the pointer is over it (and starts
// it again when the pointer leaves), so the pictures taken of it next do
// not race the app's own timeout (8 s for "connected"), which a loaded
// machine's OCR outlasted.
func (d *desk) holdPopup(t *testing.T, popup desktoptest.Window) desktoptest.Window {
	t.Helper()
	if _, err := d.Xdotool("mousemove", "--window", popup.ID, fmt.Sprint(popup.Width/2), fmt.Sprint(popup.Height/2)); err != nil {
		t.Fatalf("rest the pointer on the popup %s: %v", popup, err)
	}
	return popup
}
