package ui

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
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

// The header of a failure's details ("What Salesforce said") is reached
// with Tab and shows its focus as the ring of the app's other buttons, not
// as Fyne's grey fill; Space and Return open and close it.
func TestDetailsHeaderFocusRing(t *testing.T) {
	f := newFixture(t, nil)
	f.saveProfile("default", credstore.Secrets{Password: janePass, SecurityToken: staleToken})
	s := f.openSettings()
	test.Tap(s.testBtn)
	f.wait()
	var header *keyButton
	for _, o := range focusables(s) {
		switch b := o.(type) {
		case *keyButton:
			if b.Text == detailsSalesforce {
				header = b
			}
		case *widget.Button:
			if b.Text == detailsSalesforce || b.Text == detailsOther {
				t.Errorf("the details' header %q is a plain widget.Button: a grey fill when focused, no ring", b.Text)
			}
		}
	}
	if header == nil {
		t.Fatalf("Tab does not reach a %q keyButton", detailsSalesforce)
	}
	s.win.Canvas().Focus(header)
	r, ok := test.WidgetRenderer(header).(*ringRenderer)
	if !ok || r.ring.StrokeColor == nil || r.ring.StrokeColor == color.Transparent {
		t.Errorf("the focused details' header draws no ring")
	}
	header.TypedRune(' ')
	if !s.result.message.Visible() {
		t.Error("Space on the details' header does not open them")
	}
	header.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.result.message.Visible() {
		t.Error("Return on the open details' header does not close them")
	}
}
