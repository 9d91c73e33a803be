package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/advologix/advologix-connect/credstore"
)

// Tests of issue #22 on small screens: the Settings window at 800×600 and
// scale 2 (400×300 points), and a verdict whose hint is long.

// fitsItsContent fails the test unless the window is within the screen's
// usable area and its content's least size within the window: a real
// window grows to its content's least size, off the screen if need be.
func fitsItsContent(t *testing.T, s *settingsWindow, what string) {
	t.Helper()
	size, limit := s.win.Canvas().Size(), s.maxSize()
	if size.Width > limit.Width+0.5 || size.Height > limit.Height+0.5 {
		t.Errorf("%s: the window is %v, the screen leaves %v", what, size, limit)
	}
	least := s.win.Content().MinSize().Add(fyne.NewSquareSize(2 * theme.Padding()))
	if least.Width > size.Width+0.5 || least.Height > size.Height+0.5 {
		t.Errorf("%s: the window's content needs %v, more than the window's %v (the window would grow off the screen)", what, least, size)
	}
}

// firstLineInView fails the test unless the first line of label l, in the
// pinned panel's hint, shows: inside the hint's scroll and the window.
func firstLineInView(t *testing.T, s *settingsWindow, what string, l fyne.CanvasObject) {
	t.Helper()
	if !l.Visible() {
		t.Errorf("%s is hidden", what)
		return
	}
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(l).Y
	line := fyne.MeasureText("Ag", theme.TextSize(), fyne.TextStyle{}).Height + theme.InnerPadding()
	view, height := float32(0), s.win.Canvas().Size().Height
	if sc := scrollOf(s.win.Content(), l); sc != nil {
		view, height = d.AbsolutePositionForObject(sc).Y, sc.Size().Height
	}
	if top < view-0.5 || top+line > view+height+0.5 || top+line > s.win.Canvas().Size().Height {
		t.Errorf("%s's first line at y %v..%v; its view shows %v..%v of a window %v high", what, top, top+line, view, view+height, s.win.Canvas().Size().Height)
	}
}

// scrollOf is the innermost scroll in root that holds o, or nil.
func scrollOf(root, o fyne.CanvasObject) *container.Scroll {
	var found *container.Scroll
	var walk func(x fyne.CanvasObject, in *container.Scroll) bool
	walk = func(x fyne.CanvasObject, in *container.Scroll) bool {
		if x == o {
			found = in
			return false
		}
		var children []fyne.CanvasObject
		switch v := x.(type) {
		case *container.Scroll:
			in, children = v, []fyne.CanvasObject{v.Content}
		case *fyne.Container:
			children = v.Objects
		}
		for _, c := range children {
			if !walk(c, in) {
				return false
			}
		}
		return true
	}
	walk(root, nil)
	return found
}

// copyDiagnostics is the Copy diagnostics button, with or without its text.
func copyDiagnostics(c fyne.Canvas) *keyButton {
	return find(c, func(b *keyButton) bool { return b.Icon == theme.ContentCopyIcon() })
}

// At 800×600 and scale 2 (and a panel along the screen's edge), with
// Advanced open or closed: the window fits the screen, the verdict's
// headline shows in full and its hint's first lines, the buttons keep to
// one row, and the form keeps at least two rows.
func TestVerdictFitsA400x300PointScreen(t *testing.T) {
	for _, advanced := range []bool{false, true} {
		f := newFixture(t, nil)
		f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: staleToken})
		f.u.opt.ScreenArea = func() (int, int) { return 800, 572 }
		s := f.openSettings()
		// Shown for the first time at scale 2, as a real window learns
		// its scale when it is shown.
		s.win.Canvas().(test.WindowlessCanvas).SetScale(2)
		s.shown = false
		s.show()
		if advanced {
			test.Tap(s.advancedBtn)
		}
		fitsItsContent(t, s, "before the test")
		test.Tap(s.testBtn)
		f.wait()
		if !strings.Contains(s.result.body.Text, "If you changed or reset your password recently") {
			t.Fatalf("hint %q, want the stale-token verdict's", s.result.body.Text)
		}
		fitsItsContent(t, s, "the verdict")
		inView(t, s, "the headline", s.result.headline)
		firstLineInView(t, s, "the hint", s.result.body)
		for _, b := range []*keyButton{s.testBtn, s.saveBtn, s.closeBtn, copyDiagnostics(s.win.Canvas())} {
			inView(t, s, "the button "+b.Text, b)
			if b.Position().Y != s.testBtn.Position().Y {
				t.Errorf("Advanced open %v: the buttons take more than one row (%q at y %v, Test connection at %v)", advanced, b.Text, b.Position().Y, s.testBtn.Position().Y)
			}
		}
		s.scroll.ScrollToTop()
		inView(t, s, "the profile picker, at the form's top", s.profiles)
		if h, row := s.scroll.Size().Height, s.form.username.MinSize().Height; h < 2*row {
			t.Errorf("Advanced open %v: the form shows %v px, less than two rows of %v", advanced, h, row)
		}
	}
}

// A long hint does not squeeze the form: the pinned panel takes at most
// panelShare of the window, the headline in full and the hint's start
// in view, and the hint scrolls on its own.
func TestLongHintLeavesTheFormItsRows(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: staleToken})
	s := f.openSettings()
	s.win.Resize(fyne.NewSize(settingsWidth, 540))
	test.Tap(s.testBtn)
	f.wait()
	s.result.body.SetText(strings.Repeat(s.result.body.Text+" ", 4))
	s.result.changed()
	s.win.Resize(fyne.NewSize(settingsWidth, 540))
	if h, most := s.panel.Size().Height, 0.45*s.win.Canvas().Size().Height; h > most+0.5 {
		t.Errorf("the pinned panel is %v px high, more than 45%% of the window's %v", h, s.win.Canvas().Size().Height)
	}
	inView(t, s, "the headline", s.result.headline)
	firstLineInView(t, s, "the hint", s.result.body)
	hint := scrollOf(s.win.Content(), s.result.body)
	if hint == nil || hint == s.scroll {
		t.Fatal("the hint does not scroll on its own")
	}
	if content, view := hint.Content.MinSize().Height, hint.Size().Height; content <= view {
		t.Errorf("the long hint (%v px) fits its view (%v px): nothing to scroll, the test proves nothing", content, view)
	}
	test.Scroll(s.win.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(s.result.body).Add(fyne.NewPos(5, 5)), 0, -40)
	if hint.Offset.Y <= 0 {
		t.Error("the wheel over the long hint does not scroll it")
	}
	if h, row := s.scroll.Size().Height, s.form.username.MinSize().Height; h < 4*row {
		t.Errorf("the form shows %v px, less than four rows of %v", h, row)
	}
}

// A row of buttons too wide for its window wraps: no button leaves the
// row's width, the last (primary) one is at the bottom right, and the
// row asks for the height of its rows.
func TestFlowRowWraps(t *testing.T) {
	test.NewTempApp(t)
	first := newKeyButton("Copy diagnostics", theme.ContentCopyIcon(), nil)
	last := newKeyButton("Test connection", theme.MediaPlayIcon(), nil)
	row := newFlowRow(first, layoutSpacer(), newKeyButton("Close", nil, nil), newKeyButton("Save", nil, nil), last)
	w := test.NewWindow(row)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSize(first.MinSize().Width+last.MinSize().Width, 200))
	width := row.Size().Width
	var bottom float32
	for _, o := range row.Objects {
		if o.Position().X < 0 || o.Position().X+o.Size().Width > width+0.5 {
			t.Errorf("%v at x %v..%v, the row is %v wide", o, o.Position().X, o.Position().X+o.Size().Width, width)
		}
		bottom = fyne.Max(bottom, o.Position().Y+o.Size().Height)
	}
	if last.Position().Y+last.Size().Height != bottom || last.Position().X+last.Size().Width < width-0.5 {
		t.Errorf("the primary button is at %v, not at the bottom right of %v×%v", last.Position(), width, bottom)
	}
	if first.Position().X != 0 || first.Position().Y != 0 {
		t.Errorf("the button before the spacer is at %v, not at the top left", first.Position())
	}
	if h := row.MinSize().Height; h < bottom {
		t.Errorf("the row asks for %v px, its rows take %v", h, bottom)
	}
}

// Where the pinned hint is cut to fit, it is cut under a line or a row:
// its lines and "What Salesforce said" are shown whole or not at all, at
// any height of the window.
func TestHintCutCleanly(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: staleToken})
	s := f.openSettings()
	test.Tap(s.testBtn)
	f.wait()
	d := fyne.CurrentApp().Driver()
	for h := float32(300); h <= 700; h += 3 {
		s.win.Resize(fyne.NewSize(settingsWidth, h))
		relayout(s.win.Content())
		view := d.AbsolutePositionForObject(s.hint).Y + s.hint.Size().Height
		top := d.AbsolutePositionForObject(s.result.details).Y
		if bottom := top + s.result.details.Size().Height; top < view-0.5 && bottom > view+0.5 {
			t.Errorf("window %v high: the hint's view ends at y %v, through %q (%v..%v)", h, view, detailsSalesforce, top, bottom)
		}
		walkObjects(s.result.body, true, func(o fyne.CanvasObject) bool {
			if txt, ok := o.(*canvas.Text); ok && strings.TrimSpace(txt.Text) != "" {
				top := d.AbsolutePositionForObject(txt).Y
				if bottom := top + txt.Size().Height; top < view-0.5 && bottom > view+0.5 {
					t.Errorf("window %v high: the hint's view ends at y %v, through the line %q (%v..%v)", h, view, txt.Text, top, bottom)
				}
			}
			return true
		})
	}
}
