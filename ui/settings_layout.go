package ui

// This file holds the frame of the Settings window: the form that scrolls,
// the verdict pinned under it, the buttons, and a size that fits the
// screen.
//
// Why the verdict is pinned: a test, a Save or a notification's "Open
// Settings" is answered by the verdict, and the user's eye is on the
// button they pressed, at the bottom. When the verdict was the last part of
// the scrolled form it landed below the fold (the form is taller than an
// 800×600 screen, and than 1366×768 with Advanced open), so nothing seemed
// to happen. Pinned between the form and the buttons, outside the scroll,
// it (and the progress while testing) is always in view, whatever the
// screen, the scale, the scroll position or the Advanced rows; only the
// form scrolls. The window itself is never taller than the screen's usable
// height, so the pinned part is never under the screen's edge either.
//
// On a small screen (800×600 at scale 2 is 400×300 points) all of that
// must fit in very little: the window is no wider than the screen either
// (the button rows wrap rather than widen it, Copy diagnostics shrinks to
// its icon); the pinned panel shows the headline in full but takes at
// most panelShare of the window, its hint scrolling on its own, cut under
// a whole line, so that a long hint leaves the form its rows; and on a
// short screen the form leaves out the title block.

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Settings window sizes: its width, and the tallest it grows by itself.
const (
	settingsWidth     = 580
	settingsMaxHeight = 720
	// frameAllowance is the room, in screen pixels, left for the window
	// manager's title bar and borders around the window's content.
	frameAllowance = 48
	// shortScreen: a window that may be no higher leaves the title block
	// out of the form.
	shortScreen = 360
)

// frame puts the window together: body scrolls, the result panel and the
// buttons stay under it.
func (s *settingsWindow) frame(body fyne.CanvasObject, buttons *fyne.Container) fyne.CanvasObject {
	// The scroll bar is drawn over the content's right edge: keep the
	// content clear of it.
	pad := theme.Padding()
	inner := container.New(layout.NewCustomPaddedLayout(pad, pad, pad, pad+theme.ScrollBarSize()), body)
	// Over the whole form: the wheel scrolls the form wherever the
	// pointer is (wheelThrough).
	s.scroll = container.NewVScroll(container.NewStack(inner, newWheelThrough(func() fyne.Scrollable { return s.scroll })))
	s.panelRule = widget.NewSeparator()
	s.hint = container.NewVScroll(container.New(layout.NewCustomPaddedLayout(0, 0, 0, theme.ScrollBarSize()), s.result.more))
	s.panel = container.New(layout.NewCustomPaddedLayout(0, 0, 2*pad, 2*pad),
		container.New(pinnedLayout{s}, s.panelRule, s.result.head, s.hint, container.NewHBox(s.switchBtn)))
	s.result.onChange = s.resultChanged
	s.resultChanged()
	return container.NewBorder(nil, container.NewVBox(s.panel, container.NewPadded(buttons)), nil, nil, s.scroll)
}

// resultChanged shows the panel only when it has something to say, and
// fits the window to it. A new verdict's hint is shown from its start.
func (s *settingsWindow) resultChanged() {
	if s.panel == nil {
		return
	}
	if s.result.shown() || s.switchBtn.Visible() {
		s.panel.Show()
	} else {
		s.panel.Hide()
	}
	if h := s.result.headline.Text; h != s.shownHeadline {
		s.shownHeadline = h
		s.hint.ScrollToTop()
	}
	relayout(s.win.Content())
	s.fitWindow()
}

// panelShare is the most of the window's height the pinned panel takes
// when its hint is long: the form keeps the rest.
const panelShare = 0.45

// pinnedLayout stacks the pinned panel's rows (the rule, the headline,
// the hint's scroll, the switch button) as a VBox does, with the hint's
// scroll as high as the hint, but no higher than leaves the panel within
// panelShare of the window; then the hint scrolls on its own. Whatever
// the window, the headline is shown in full and the hint's first lines.
type pinnedLayout struct{ s *settingsWindow }

// heights are the rows' heights; 0 for a row not shown.
func (l pinnedLayout) heights(objects []fyne.CanvasObject) []float32 {
	hs := make([]float32, len(objects))
	var fixed float32
	shown := 0
	for i, o := range objects {
		if !o.Visible() {
			continue
		}
		if sc, ok := o.(*container.Scroll); ok {
			hs[i] = sc.Content.MinSize().Height
		} else {
			hs[i] = o.MinSize().Height
			fixed += hs[i]
		}
		if hs[i] > 0 {
			shown++
		}
	}
	if shown > 1 {
		fixed += float32(shown-1) * theme.Padding()
	}
	room := panelShare*l.s.windowHeight() - fixed
	for i, o := range objects {
		if _, ok := o.(*container.Scroll); ok && hs[i] > 0 {
			if h := fyne.Max(room, leastHint()); h < hs[i] {
				hs[i] = l.s.hintBreak(h)
			}
		}
	}
	return hs
}

// hintBreak is the height, at most h, at which the hint's scroll cuts its
// content cleanly: under a line of the hint, or under the details or Find
// out why, not through them (a half line, a half button).
func (s *settingsWindow) hintBreak(h float32) float32 {
	pad, inner := theme.Padding(), theme.InnerPadding()
	// A label's wrapped lines follow each other without spacing.
	line := fyne.MeasureText("Ag", theme.TextSize(), fyne.TextStyle{}).Height
	best := float32(0)
	var y float32
	for _, o := range s.result.more.Objects {
		if !o.Visible() {
			continue
		}
		if l, ok := o.(*widget.Label); ok {
			for end := y + inner + line; end <= h && end < y+l.MinSize().Height; end += line {
				best = end
			}
		}
		y += o.MinSize().Height
		if y <= h {
			best = y
		}
		y += pad
	}
	if best <= 0 {
		return h
	}
	return best
}

// leastHint is the least height of the hint's scroll: two lines of text.
func leastHint() float32 {
	line := fyne.MeasureText("Ag", theme.TextSize(), fyne.TextStyle{}).Height
	return 2*line + theme.LineSpacing() + 2*theme.InnerPadding()
}

func (l pinnedLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	shown := 0
	for i, h := range l.heights(objects) {
		if h <= 0 {
			continue
		}
		o := objects[i]
		if sc, ok := o.(*container.Scroll); ok {
			o = sc.Content
		}
		size.Width = fyne.Max(size.Width, o.MinSize().Width)
		size.Height += h
		shown++
	}
	if shown > 1 {
		size.Height += float32(shown-1) * theme.Padding()
	}
	return size
}

func (l pinnedLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	var y float32
	for i, h := range l.heights(objects) {
		if h <= 0 {
			objects[i].Resize(fyne.NewSize(size.Width, 0))
			continue
		}
		objects[i].Move(fyne.NewPos(0, y))
		objects[i].Resize(fyne.NewSize(size.Width, h))
		y += h + theme.Padding()
	}
}

// windowHeight is the height the window has, or is being fitted to.
func (s *settingsWindow) windowHeight() float32 {
	if s.fitBase > 0 {
		return s.fitBase
	}
	if h := s.win.Canvas().Size().Height; h > 0 {
		return h
	}
	return s.maxSize().Height
}

// relayout lays out o's containers again, outside in, down to the first
// widget: the panel's rows come and go, and the scroll above it gives or
// takes the room. One Refresh of the outermost container does it all
// (fyne.Container.Refresh lays out, then refreshes each child, containers
// recursively); walking the tree and refreshing each container again
// refreshed a widget once per container above it.
func relayout(o fyne.CanvasObject) {
	if c, ok := o.(*fyne.Container); ok {
		c.Refresh()
	}
}

// maxSize is the largest the window may be: settingsWidth wide and
// settingsMaxHeight high, and no larger than the screen's usable area
// less the window's frame.
func (s *settingsWindow) maxSize() fyne.Size {
	max := fyne.NewSize(settingsWidth, settingsMaxHeight)
	if f := s.u.opt.ScreenArea; f != nil {
		if pw, ph := f(); pw > 0 && ph > 0 {
			scale := s.win.Canvas().Scale()
			if scale <= 0 {
				scale = 1
			}
			max = max.Min(fyne.NewSize(float32(pw-frameAllowance)/scale, float32(ph-frameAllowance)/scale))
		}
	}
	return max
}

// fitWindow sizes the window to its content (no half-empty window), up to
// maxSize; the form scrolls beyond. Once shown, a height the user chose
// (by resizing) is kept, unless the screen is shorter.
func (s *settingsWindow) fitWindow() {
	if s.scroll == nil || s.win.Content() == nil {
		return // still being built
	}
	limit := s.maxSize()
	cur := s.win.Canvas().Size()
	if s.shown && s.fittedHeight != 0 && cur.Height != 0 && cur.Height != s.fittedHeight && cur.Height <= limit.Height {
		return
	}
	w := fyne.Max(cur.Width, settingsWidth)
	w = fyne.Min(w, limit.Width) // the content's least width wins over both
	// A window narrower than it was made for (a small screen, a large
	// scale) shows Copy diagnostics as its icon, so that the buttons keep
	// to one row.
	if s.diag != nil {
		s.diag.setCompact(w < settingsWidth)
	}
	// On a screen this short (800×600 or 1366×768 at scale 2) the form shows two
	// rows or so: fields, not the title block, which the window's title
	// bar says again.
	if s.title != nil {
		if limit.Height < shortScreen {
			s.title.Hide()
		} else {
			s.title.Show()
		}
	}
	// The panel's share as if the window were as high as it may be.
	s.fitBase = limit.Height
	content := s.win.Content().MinSize()
	inner := s.scroll.Content.MinSize()
	s.fitBase = 0
	// The scroll shows all of inner; the window pads its content.
	h := fyne.Min(inner.Height+content.Height-s.scroll.MinSize().Height+2*theme.Padding(), limit.Height)
	s.win.Resize(fyne.NewSize(w, h))
	relayout(s.win.Content()) // the rows that wrap at the new width
	s.fittedHeight = s.win.Canvas().Size().Height
}

// wheelThrough lies over the form and hands every wheel event to the
// form's scroll.
//
// Why: Fyne delivers a wheel event to the innermost Scrollable under the
// pointer, and every Entry holds one (the scroller of its text), which
// takes the event even when it has nothing to scroll: over a field the
// wheel did nothing. Lying over the form, this is the innermost Scrollable
// everywhere in it. It is only Scrollable — not tappable, hoverable or
// draggable — so clicks, typing, selection and the pointer shape still go
// to the fields. The form's fields are single lines: a wheel has nothing
// of theirs to scroll vertically.
type wheelThrough struct {
	widget.BaseWidget
	target func() fyne.Scrollable
}

func newWheelThrough(target func() fyne.Scrollable) *wheelThrough {
	w := &wheelThrough{target: target}
	w.ExtendBaseWidget(w)
	return w
}

// Scrolled scrolls the target.
func (w *wheelThrough) Scrolled(ev *fyne.ScrollEvent) {
	if t := w.target(); t != nil {
		t.Scrolled(ev)
	}
}

// MinSize is nothing: it takes the size of what it lies over.
func (w *wheelThrough) MinSize() fyne.Size { return fyne.Size{} }

func (w *wheelThrough) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}
