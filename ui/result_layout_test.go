package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Tests of how a result is drawn: where its parts land on the canvas.

// firstText is the first line of text drawn for label l (a label draws
// its text as canvas.Text objects, a line each).
func firstText(t *testing.T, l *widget.Label) *canvas.Text {
	t.Helper()
	var found *canvas.Text
	walkObjects(l, true, func(o fyne.CanvasObject) bool {
		if txt, ok := o.(*canvas.Text); ok && strings.TrimSpace(txt.Text) != "" {
			found = txt
			return false
		}
		return true
	})
	if found == nil {
		t.Fatalf("no text drawn for %q", l.Text)
	}
	return found
}

// The result's icon sits level with the first line of its headline: their
// vertical centres, as drawn, are at most 2 px apart, for a headline of one
// line and one that wraps.
func TestResultIconLevelWithHeadline(t *testing.T) {
	test.NewTempApp(t)
	for _, headline := range []string{
		"Connected to Salesforce",
		"Salesforce no longer accepts this security token, and this headline is long enough to wrap onto a second and a third line",
	} {
		v := newResultView()
		v.note(theme.ErrorIcon(), headline, "Check the username and password.", widget.DangerImportance)
		w := test.NewWindow(v.box)
		w.Resize(fyne.NewSize(320, 400))
		d := fyne.CurrentApp().Driver()
		line := firstText(t, v.headline)
		textTop := d.AbsolutePositionForObject(line).Y
		textMid := textTop + line.Size().Height/2
		iconTop := d.AbsolutePositionForObject(v.icon).Y
		iconMid := iconTop + v.icon.Size().Height/2
		if diff := iconMid - textMid; diff > 2 || diff < -2 {
			t.Errorf("%q: the icon's centre is at y %v, the headline's first line's at %v (tops %v and %v)", headline, iconMid, textMid, iconTop, textTop)
		}
		if v.icon.Size().Height <= 0 || line.Size().Height <= 0 {
			t.Errorf("%q: icon %v, text %v high", headline, v.icon.Size(), line.Size())
		}
		w.Close()
	}
}
