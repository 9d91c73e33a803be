package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyButton is a button made for the keyboard: a ring you can see while it
// has the focus, Return and Enter press it, Escape runs onEscape (a dialog's
// cancel), and Space presses it on the space character rather than on the
// key-down.
//
// The last point matters when a press moves the focus: the driver delivers
// a Space key-down and then the ' ' character to whatever is focused at
// that moment. Fyne's button acts on the key-down, so a button that switches
// pages hands the character to the entry it focuses on the new page (a
// space typed into the password). Acting on the character consumes it.
type keyButton struct {
	widget.Button
	onEscape func()
	focused  bool
}

func newKeyButton(text string, icon fyne.Resource, tapped func()) *keyButton {
	b := &keyButton{}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Return or Enter and cancels on Escape.
func (b *keyButton) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	case fyne.KeyEscape:
		if b.onEscape != nil {
			b.onEscape()
		}
	}
}

// TypedRune presses the button on the space character.
func (b *keyButton) TypedRune(r rune) {
	if r == ' ' {
		b.Tapped(nil)
	}
}

// FocusGained shows the focus ring. Fyne's own focus look (the focus
// colour blended into the button's fill) is left out: on a primary button it
// only lowers the label's contrast.
func (b *keyButton) FocusGained() {
	b.focused = true
	b.Refresh()
}

// FocusLost hides the focus ring.
func (b *keyButton) FocusLost() {
	b.focused = false
	b.Refresh()
}

// CreateRenderer draws Fyne's button with a focus ring on top.
func (b *keyButton) CreateRenderer() fyne.WidgetRenderer {
	ring := canvas.NewRectangle(color.Transparent)
	ring.StrokeColor = color.Transparent
	ring.StrokeWidth = 2
	r := &ringRenderer{WidgetRenderer: b.Button.CreateRenderer(), ring: ring, b: b}
	r.Refresh()
	return r
}

// ringColor is the focus ring's colour: the theme's text colour, which has
// a text's contrast against the window background in every theme variant.
func ringColor(th fyne.Theme) color.Color {
	return th.Color(theme.ColorNameForeground, fyne.CurrentApp().Settings().ThemeVariant())
}

type ringRenderer struct {
	fyne.WidgetRenderer
	ring *canvas.Rectangle
	b    *keyButton
}

func (r *ringRenderer) Layout(size fyne.Size) {
	r.WidgetRenderer.Layout(size)
	r.ring.Move(fyne.NewPos(0, 0))
	r.ring.Resize(size)
}

func (r *ringRenderer) Objects() []fyne.CanvasObject {
	return append(append([]fyne.CanvasObject{}, r.WidgetRenderer.Objects()...), r.ring)
}

func (r *ringRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	th := r.b.Theme()
	r.ring.CornerRadius = th.Size(theme.SizeNameInputRadius)
	if r.b.focused && !r.b.Disabled() {
		r.ring.StrokeColor = ringColor(th)
	} else {
		r.ring.StrokeColor = color.Transparent
	}
	r.ring.Refresh()
}

// keyEntry is an entry that hands Escape to onEscape (a dialog's cancel);
// Return already submits through OnSubmitted.
type keyEntry struct {
	widget.Entry
	onEscape func()
}

func newKeyEntry() *keyEntry {
	e := &keyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey cancels on Escape and types everything else.
func (e *keyEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}

// choice is one button of a question dialog.
type choice struct {
	label string
	imp   widget.Importance
	do    func() // nil: just close
}

// ask shows a question with its choices as buttons, left to right. The
// choice at safe gets the focus (Return takes it), and Escape anywhere in
// the dialog takes the choice at cancel. It returns the buttons, in order.
func ask(win fyne.Window, title, message string, choices []choice, safe, cancel int) []*keyButton {
	text := widget.NewLabel(message)
	text.Wrapping = fyne.TextWrapWord
	return askWith(win, title, text, choices, safe, cancel)
}

// askWith is ask with any content above the buttons.
func askWith(win fyne.Window, title string, content fyne.CanvasObject, choices []choice, safe, cancel int) []*keyButton {
	d := dialog.NewCustomWithoutButtons(title, content, win)
	btns := make([]*keyButton, len(choices))
	objs := make([]fyne.CanvasObject, len(choices))
	for i, c := range choices {
		c := c
		b := newKeyButton(c.label, nil, func() {
			d.Hide()
			if c.do != nil {
				c.do()
			}
		})
		b.Importance = c.imp
		btns[i], objs[i] = b, b
	}
	for _, b := range btns {
		b.onEscape = btns[cancel].OnTapped
	}
	d.SetButtons(objs)
	d.Resize(dialogSize(win, content))
	d.Show()
	win.Canvas().Focus(btns[safe])
	return btns
}

// dialogSize is wide enough for a sentence or a name field, and no wider
// than the window.
func dialogSize(win fyne.Window, content fyne.CanvasObject) fyne.Size {
	w := float32(420)
	if ws := win.Canvas().Size().Width - 2*theme.Padding(); ws > 0 && ws < w {
		w = ws
	}
	return fyne.NewSize(w, content.MinSize().Height)
}

// showProblem tells of a problem in a dialog whose OK has the focus
// (Return and Escape close it).
func showProblem(win fyne.Window, title, text string) {
	ask(win, title, sentence(text), []choice{{label: "OK", imp: widget.HighImportance}}, 0, 0)
}

// askName shows a dialog with one name field: Return submits (when the
// name is valid), Escape and Cancel close it. The field has the focus. Its
// buttons are keyButtons: a Space that presses one is not typed into what
// has the focus once the dialog is gone.
func askName(win fyne.Window, title, label, confirm, initial, placeholder string, validate func(string) error, done func(name string)) *keyEntry {
	entry := newKeyEntry()
	entry.SetPlaceHolder(placeholder)
	entry.SetText(initial)
	entry.Validator = validate
	form := widget.NewForm(widget.NewFormItem(label, entry))
	d := dialog.NewCustomWithoutButtons(title, form, win)
	cancel := newKeyButton("Cancel", theme.CancelIcon(), d.Hide)
	ok := newKeyButton(confirm, theme.ConfirmIcon(), func() {
		if validate(entry.Text) != nil {
			return
		}
		d.Hide()
		done(entry.Text)
	})
	ok.Importance = widget.HighImportance
	sync := func() {
		if validate(entry.Text) != nil {
			ok.Disable()
		} else {
			ok.Enable()
		}
	}
	entry.OnChanged = func(string) { sync() }
	entry.OnSubmitted = func(string) { ok.OnTapped() }
	entry.onEscape, cancel.onEscape, ok.onEscape = d.Hide, d.Hide, d.Hide
	sync()
	d.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.Resize(fyne.NewSize(dialogSize(win, form).Width, form.MinSize().Height))
	d.Show()
	win.Canvas().Focus(entry)
	return entry
}

// showAddress says in plain words that no browser could be opened and
// offers the address to copy: read-only, selectable, with a Copy button.
func showAddress(a fyne.App, win fyne.Window, what, address string) {
	addr := widget.NewEntry()
	addr.SetText(address)
	addr.OnChanged = func(s string) {
		if s != address {
			addr.SetText(address) // read-only, but selectable and copyable
		}
	}
	text := widget.NewLabel("No web browser could be opened on this computer. To " + what + ", copy this address into a web browser:")
	text.Wrapping = fyne.TextWrapWord
	done := widget.NewLabel("")
	copyBtn := newKeyButton("Copy", theme.ContentCopyIcon(), func() {
		a.Clipboard().SetContent(address)
		done.SetText("Copied.")
	})
	content := container.NewVBox(text, container.NewBorder(nil, nil, nil, copyBtn, addr), done)
	btns := askWith(win, "Open this address in a browser", content, []choice{{label: "Close", imp: widget.HighImportance}}, 0, 0)
	copyBtn.onEscape = btns[0].OnTapped
	win.Canvas().Focus(copyBtn)
}
