package ui

// Widget tests from the desktop review of issue 8 ("Problem N" is that
// review's problem N), driven the way the user drove it: how the windows
// look: layout and visible focus, with pictures for a person to judge.

import (
	"fmt"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// Problem 10: Advanced scrolls to its last row, its fields line up with
// the main ones, nothing runs under the scroll bar at 480×400, and with
// Advanced closed the window has no empty half.
func TestSettingsAdvancedLayout(t *testing.T) {
	f := newFixture(t, nil)
	s := f.openSettings()
	f.fillForm(s.form, jane, janePass, janeToken)
	content := s.scroll.Content.MinSize().Height
	if view := s.scroll.Size().Height; view > content+theme.Padding()*4 || view < content-0.5 {
		t.Errorf("Advanced closed: %v of window for %v of content", view, content)
	}
	capture(t, s.win, "settings-advanced-closed")

	// Opening Advanced grows the window to fit, closing it shrinks it back.
	test.Tap(findButton(t, s.win.Canvas(), "Advanced"))
	if grown := s.win.Canvas().Size().Height; grown <= s.scroll.Size().Height-1 && grown < settingsMaxHeight {
		t.Errorf("Advanced opened: window %v tall", grown)
	}
	test.Tap(findButton(t, s.win.Canvas(), "Advanced"))
	if view, content := s.scroll.Size().Height, s.scroll.Content.MinSize().Height; view > content+theme.Padding()*4 || view < content-0.5 {
		t.Errorf("Advanced closed again: %v of window for %v of content", view, content)
	}
	// A size the user chose stays.
	s.win.Resize(fyne.NewSize(480, 400))
	test.Tap(findButton(t, s.win.Canvas(), "Advanced"))
	if sz := s.win.Canvas().Size(); sz != fyne.NewSize(480, 400) {
		t.Errorf("opening Advanced changed the user's size to %v", sz)
	}
	d := fyne.CurrentApp().Driver()
	s.scroll.ScrollToBottom()
	scrollTop := d.AbsolutePositionForObject(s.scroll)
	bottom := scrollTop.Y + s.scroll.Size().Height
	ca := d.AbsolutePositionForObject(s.form.caFile)
	if ca.Y+s.form.caFile.Size().Height > bottom+0.5 {
		t.Errorf("scrolled to the end, the CA file field ends at %v, below the view's %v", ca.Y+s.form.caFile.Size().Height, bottom)
	}
	user := d.AbsolutePositionForObject(s.form.username)
	if x := d.AbsolutePositionForObject(s.form.proxy).X; math.Abs(float64(x-user.X)) > 0.5 {
		t.Errorf("Advanced's fields start at x=%v, the main ones at x=%v", x, user.X)
	}
	capture(t, s.win, "settings-480x400-advanced-bottom")
	s.scroll.ScrollToTop()
	def := d.AbsolutePositionForObject(s.defaultBtn)
	if right := scrollTop.X + s.scroll.Size().Width - theme.ScrollBarSize(); def.X+s.defaultBtn.Size().Width > right+0.5 {
		t.Errorf("Make default ends at %v, under the scroll bar from %v", def.X+s.defaultBtn.Size().Width, right)
	}
	capture(t, s.win, "settings-480x400-top")
}

// contrast is WCAG's contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		ch := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
	}
	l1, l2 := lum(a), lum(b)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// over paints c on an opaque background.
func over(c, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(n.R, b.R), G: mix(n.G, b.G), B: mix(n.B, b.B), A: 255}
}

// Problem 11: focus you can see: a ring on buttons and a focus colour
// (radios, checks) with 3:1 against the background, dark and light.
func TestFocusIsVisible(t *testing.T) {
	f := newFixture(t, plain)
	w := f.openWizard()
	if _, ok := fyne.CurrentApp().Settings().Theme().(appTheme); !ok {
		t.Error("the app's theme is not appTheme")
	}
	th := appTheme{theme.DefaultTheme()}
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		bg := th.Color(theme.ColorNameBackground, v)
		if got := contrast(over(th.Color(theme.ColorNameFocus, v), bg), bg); got < 3 {
			t.Errorf("variant %d: focus colour has %.2f:1 against the background, want 3:1", v, got)
		}
		if got := contrast(over(th.Color(theme.ColorNameForeground, v), bg), bg); got < 3 {
			t.Errorf("variant %d: focus ring has %.2f:1", v, got)
		}
	}
	next := keyButtonNamed(t, w.win.Canvas(), "Next")
	ring := test.WidgetRenderer(next).(*ringRenderer).ring
	if _, _, _, a := ring.StrokeColor.RGBA(); a != 0 {
		t.Error("ring shown without focus")
	}
	w.win.Canvas().Focus(next)
	if _, _, _, a := ring.StrokeColor.RGBA(); a == 0 || ring.StrokeWidth < 2 {
		t.Errorf("focused primary button: ring %v width %v", ring.StrokeColor, ring.StrokeWidth)
	}
	// Pictures in the real theme, dark and light, for a person to judge.
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		fyne.CurrentApp().Settings().SetTheme(appTheme{variantTheme{theme.DefaultTheme(), v}})
		w.win.Content().Refresh()
		w.win.Canvas().Focus(next)
		capture(t, w.win, fmt.Sprintf("wizard-next-focused-variant%d", v))
	}
}

// variantTheme is a theme in one variant, whatever the app's.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// capture saves what a window shows, for a person to look at, when
// $UI_CAPTURE_DIR is set.
func capture(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("UI_CAPTURE_DIR")
	if dir == "" {
		return
	}
	// The test driver lays out only on a resize (the desktop driver does it
	// every frame): nudge the window so the picture is what a user sees.
	sz := w.Canvas().Size()
	w.Resize(sz.AddWidthHeight(1, 1))
	w.Resize(sz)
	img := w.Canvas().Capture()
	fh, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if err := png.Encode(fh, img); err != nil {
		t.Fatal(err)
	}
}
