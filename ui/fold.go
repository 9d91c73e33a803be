package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fold is a titled detail that opens and closes: a result's "What
// Salesforce said". It replaces Fyne's Accordion, whose header is a
// plain widget.Button that shows its focus as a grey fill; the fold's
// header is a keyButton, with the focus ring of every other button
// (keys.go), and looks like the Settings window's "Advanced".
type fold struct {
	widget.BaseWidget
	box      *fyne.Container // the header, and the detail when open
	btn      *keyButton
	detail   fyne.CanvasObject
	open     bool
	onToggle func() // after it opened or closed
}

func newFold(title string, detail fyne.CanvasObject) *fold {
	f := &fold{detail: detail}
	f.btn = newKeyButton(title, theme.MenuExpandIcon(), f.toggle)
	f.btn.Importance = widget.LowImportance
	f.btn.Alignment = widget.ButtonAlignLeading
	f.btn.IconPlacement = widget.ButtonIconLeadingText
	f.box = container.NewVBox(container.NewHBox(f.btn), detail)
	f.ExtendBaseWidget(f)
	f.setOpen(false)
	return f
}

func (f *fold) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(f.box) }

// title is the header's text.
func (f *fold) title() string { return f.btn.Text }

// setTitle changes the header's text.
func (f *fold) setTitle(title string) { f.btn.SetText(title) }

// toggle opens a closed fold and closes an open one.
func (f *fold) toggle() {
	f.setOpen(!f.open)
	if f.onToggle != nil {
		f.onToggle()
	}
}

// setOpen shows or hides the detail.
func (f *fold) setOpen(open bool) {
	f.open = open
	if open {
		f.btn.SetIcon(theme.MenuDropDownIcon())
		f.detail.Show()
	} else {
		f.btn.SetIcon(theme.MenuExpandIcon())
		f.detail.Hide()
	}
	f.box.Refresh()
	f.Refresh()
}
