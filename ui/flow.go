package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
)

// flowRow lays out a row of buttons: right-aligned, those before a spacer
// (layout.NewSpacer) at the left. When the row is narrower than the
// buttons need (a small screen, a large scale), it wraps them onto more
// rows, filled from the end: the last button, the primary one, stays at
// the bottom right (or from the start, fromStart: a bar of equal buttons
// read in order), and the row never makes the window wider than its
// widest button.
//
// Its height depends on its width, as a wrapping label's does: MinSize
// counts the rows it needs at the width it was last laid out in (one row
// before that); the canvas lays out again when that changes.
type flowRow struct {
	width     float32 // the width of the last Layout; 0: not laid out yet
	fromStart bool
}

// newFlowRow is a row of objects laid out by flowRow, filled from the end.
func newFlowRow(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(&flowRow{}, objects...)
}

// newFlowRowFromStart is a row of objects laid out by flowRow, filled
// from the start.
func newFlowRowFromStart(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(&flowRow{fromStart: true}, objects...)
}

// rows splits the visible objects (by index, spacers left out) into rows
// no wider than width (any width when width is 0).
func (l *flowRow) rows(objects []fyne.CanvasObject, width float32) [][]int {
	var order []int
	for i, o := range objects {
		if _, spacer := o.(*layout.Spacer); !spacer && o.Visible() {
			order = append(order, i)
		}
	}
	if !l.fromStart {
		reverse(order)
	}
	pad := theme.Padding()
	var rows [][]int
	var cur []int
	var used float32
	for _, i := range order {
		w := objects[i].MinSize().Width
		if len(cur) > 0 && width > 0 && used+pad+w > width {
			rows = append(rows, cur)
			cur, used = nil, 0
		}
		if len(cur) > 0 {
			used += pad
		}
		used += w
		cur = append(cur, i)
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	if !l.fromStart {
		for _, row := range rows {
			reverse(row)
		}
		reverse(rows)
	}
	return rows
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// rowHeight is the height of the row's tallest object.
func rowHeight(objects []fyne.CanvasObject, row []int) float32 {
	var h float32
	for _, i := range row {
		h = fyne.Max(h, objects[i].MinSize().Height)
	}
	return h
}

// MinSize is as wide as the widest object, as high as the rows it needs
// at the width last laid out in.
func (l *flowRow) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	rows := l.rows(objects, l.width)
	for n, row := range rows {
		for _, i := range row {
			size.Width = fyne.Max(size.Width, objects[i].MinSize().Width)
		}
		if n > 0 {
			size.Height += theme.Padding()
		}
		size.Height += rowHeight(objects, row)
	}
	return size
}

// Layout places the rows top down, each right-aligned, with the objects
// that come before a spacer at its left.
func (l *flowRow) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	pad := theme.Padding()
	split := len(objects) // the first spacer's index
	for i, o := range objects {
		if _, spacer := o.(*layout.Spacer); spacer {
			split = i
			break
		}
	}
	var y float32
	for _, row := range l.rows(objects, size.Width) {
		h := rowHeight(objects, row)
		left, right := float32(0), size.Width
		for _, i := range row {
			if i >= split {
				continue
			}
			m := objects[i].MinSize()
			objects[i].Resize(fyne.NewSize(m.Width, h))
			objects[i].Move(fyne.NewPos(left, y))
			left += m.Width + pad
		}
		for k := len(row) - 1; k >= 0; k-- {
			i := row[k]
			if i < split {
				continue
			}
			m := objects[i].MinSize()
			right -= m.Width
			objects[i].Resize(fyne.NewSize(m.Width, h))
			objects[i].Move(fyne.NewPos(right, y))
			right -= pad
		}
		y += h + pad
	}
}
