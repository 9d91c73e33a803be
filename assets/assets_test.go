package assets_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/assets"
)

func TestResources(t *testing.T) {
	tests := []struct {
		name string
		res  fyne.Resource
		size int
	}{
		{"AppIcon", assets.AppIcon, 256},
		{"TrayOK", assets.TrayOK, 64},
		{"TrayFailing", assets.TrayFailing, 64},
		{"TrayUnknown", assets.TrayUnknown, 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.res.Name() == "" {
				t.Error("resource has no name")
			}
			img, err := png.Decode(bytes.NewReader(tt.res.Content()))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if got := img.Bounds().Size(); got != image.Pt(tt.size, tt.size) {
				t.Errorf("size = %v, want %d×%d", got, tt.size, tt.size)
			}
			checkArtwork(t, img)
		})
	}
}

// checkArtwork fails unless img looks like an icon: transparent corners (no
// background square), an opaque middle, and more than a handful of colours.
func checkArtwork(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	for _, p := range []image.Point{b.Min, {b.Max.X - 1, b.Min.Y}, {b.Min.X, b.Max.Y - 1}, b.Max.Sub(image.Pt(1, 1))} {
		if _, _, _, a := img.At(p.X, p.Y).RGBA(); a != 0 {
			t.Errorf("corner %v is not transparent (alpha %d)", p, a>>8)
		}
	}
	mid := image.Pt((b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2)
	if _, _, _, a := img.At(mid.X, mid.Y).RGBA(); a>>8 < 0xf0 {
		t.Errorf("centre %v is not opaque (alpha %d)", mid, a>>8)
	}
	colours := map[[4]uint32]bool{}
	opaque := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			colours[[4]uint32{r >> 8, g >> 8, bl >> 8, a >> 8}] = true
			if a>>8 >= 0xf0 {
				opaque++
			}
		}
	}
	if len(colours) < 16 {
		t.Errorf("only %d distinct colours: a flat or empty image", len(colours))
	}
	if area := b.Dx() * b.Dy(); opaque < area/3 {
		t.Errorf("only %d of %d pixels are opaque: the artwork is too small or missing", opaque, area)
	}
}

// TestTrayIconsBranded: each state's icon is the app's shield (transparent
// beside the shield's pointed foot, where a round badge would be opaque) in
// its own colour at the centre.
func TestTrayIconsBranded(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  fyne.Resource
		want func(r, g, b uint32) bool
	}{
		{"ok", assets.TrayOK, func(r, g, b uint32) bool { return g > r+0x30 && g > b+0x30 }},
		{"failing", assets.TrayFailing, func(r, g, b uint32) bool { return r > g+0x50 && r > b+0x50 }},
		{"unknown", assets.TrayUnknown, func(r, g, b uint32) bool { return max(r, g, b)-min(r, g, b) < 0x20 }},
	} {
		img, err := png.Decode(bytes.NewReader(tc.res.Content()))
		if err != nil {
			t.Fatal(err)
		}
		// Lower corners of the shield: outside it, inside a circle badge.
		for _, p := range []image.Point{{12, 52}, {52, 52}} {
			if _, _, _, a := img.At(p.X, p.Y).RGBA(); a != 0 {
				t.Errorf("%s: %v is opaque: not the shield's outline", tc.name, p)
			}
		}
		r, g, b, _ := img.At(20, 32).RGBA()
		if !tc.want(r>>8, g>>8, b>>8) {
			t.Errorf("%s: shield colour #%02x%02x%02x", tc.name, r>>8, g>>8, b>>8)
		}
	}
}
