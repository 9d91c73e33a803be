package ui

import (
	"context"
	"errors"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/internal/connection"
)

// diagnosticsButton is "Copy diagnostics": it runs the checks of
// advologix-connect diagnose (never a login) in the background and puts
// the text report on the clipboard, for a message to IT support.
type diagnosticsButton struct {
	u       *UI
	win     fyne.Window
	btn     *keyButton
	profile func() string // the profile the network checks use; "": the default
	// compact: the button shows its icon only (a narrow window);
	// collecting: the report is being collected.
	compact, collecting bool
	// last is the report last copied (tests).
	last connection.Report
}

// addDiagnostics puts "Copy diagnostics" at the start of the Settings
// window's button row (or under the window's content if it has none).
func (s *settingsWindow) addDiagnostics() {
	d := newDiagnosticsButton(s.u, s.win, func() string {
		if s.isNew {
			return ""
		}
		return s.current
	})
	s.diag = d
	if row := buttonRow(s.win.Content(), 4); row != nil {
		row.Objects = append([]fyne.CanvasObject{d.btn}, row.Objects...)
		row.Refresh()
		return
	}
	s.win.SetContent(container.NewBorder(nil, container.NewHBox(d.btn), nil, nil, s.win.Content()))
}

func newDiagnosticsButton(u *UI, win fyne.Window, profile func() string) *diagnosticsButton {
	d := &diagnosticsButton{u: u, win: win, profile: profile}
	d.btn = newKeyButton("Copy diagnostics", theme.ContentCopyIcon(), d.run)
	d.btn.Importance = widget.LowImportance
	return d
}

// buttonRow finds the row of buttons: a container whose first object is a
// spacer (the row is right-aligned), at most depth levels down.
func buttonRow(o fyne.CanvasObject, depth int) *fyne.Container {
	c, ok := o.(*fyne.Container)
	if !ok || depth < 0 {
		return nil
	}
	if len(c.Objects) > 1 {
		if _, spacer := c.Objects[0].(*layout.Spacer); spacer {
			return c
		}
	}
	for _, child := range c.Objects {
		if row := buttonRow(child, depth-1); row != nil {
			return row
		}
	}
	return nil
}

// run collects the report and copies it.
func (d *diagnosticsButton) run() {
	d.btn.Disable()
	d.collecting = true
	d.btn.SetText(d.label())
	opts := connection.DiagnoseOptions{Profile: d.profile(), Version: d.u.app.Metadata().Version, Getenv: d.u.opt.Getenv, Policy: d.u.opt.Policy}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if st, ok := d.u.opt.Store.(connection.DiagnoseStore); ok {
		opts.Store = st
	} else {
		opts.StoreErr = errNoDiagnoseStore
	}
	background(d.u, func() connection.Report {
		return connection.Diagnose(context.Background(), opts)
	}, func(rep connection.Report) {
		d.last = rep
		d.collecting = false
		d.btn.SetText(d.label())
		d.btn.Enable()
		d.u.app.Clipboard().SetContent(rep.Text())
		// Its OK has the focus: Return and Escape close it.
		showProblem(d.win, "Diagnostics copied",
			"The diagnostics ("+rep.Summary()+") are on the clipboard: paste them into your message to IT support. They hold no password, token or session.")
	})
}

// label is the button's text: none when compact.
func (d *diagnosticsButton) label() string {
	switch {
	case d.compact:
		return ""
	case d.collecting:
		return "Collecting diagnostics…"
	}
	return "Copy diagnostics"
}

// setCompact shows the button as its icon only, or with its text.
func (d *diagnosticsButton) setCompact(on bool) {
	if d.compact != on {
		d.compact = on
		d.btn.SetText(d.label())
	}
}

// errNoDiagnoseStore: the window's store cannot run the keychain and
// settings checks (only tests use such a store).
var errNoDiagnoseStore = errors.New("this store does not support diagnostics")
