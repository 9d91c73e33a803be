package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// policyNote is what a field the IT policy locks says.
const policyNote = "Set by your IT department"

// formPolicy is the IT policy a profile form follows.
type formPolicy struct {
	pol   credstore.Policy
	login string // the policy's login URL, normalised; "" none
}

// withPolicy applies the parts of the IT policy that are options: the
// tray's re-check interval.
func withPolicy(opt Options) Options {
	pol := opt.Policy
	if pol.CheckInterval != "" && (opt.CheckInterval == 0 || pol.IsLocked(credstore.PolicyCheckInterval)) {
		if d, err := credstore.ParseCheckInterval(pol.CheckInterval); err == nil {
			opt.CheckInterval = d
		}
	}
	return opt
}

// lockForm makes f follow the IT policy: preset values on a new profile,
// locked ones read-only.
func (u *UI) lockForm(f *profileForm) {
	if u.opt.Policy.IsZero() {
		return
	}
	fp := &formPolicy{pol: u.opt.Policy}
	fp.login, _ = connection.PolicyLoginURL(fp.pol) // an unusable one is reported by every check
	f.pol = fp
	f.presetPolicy(credstore.Profile{})
	f.enforcePolicy()
}

// presetLogin reports whether the policy names the login URL, so the
// wizard can skip its first step.
func (f *profileForm) presetLogin() bool { return f.pol != nil && f.pol.login != "" }

// presetPolicy fills the policy's values into a profile that has none of
// its own (a new profile).
func (f *profileForm) presetPolicy(p credstore.Profile) {
	if f.pol == nil {
		return
	}
	pol := f.pol.pol
	defer f.quiet()()
	if p.LoginURL == "" && f.pol.login != "" {
		f.setLoginURL(f.pol.login)
	}
	if p.ClientID == "" && pol.ClientID != "" {
		f.clientID.SetText(pol.ClientID)
	}
	if p.Proxy == "" && pol.Proxy != "" {
		f.proxy.SetText(pol.Proxy)
	}
	if p.CAFile == "" && pol.CAFile != "" {
		f.caFile.SetText(pol.CAFile)
	}
}

// quiet stops change events until the returned function runs.
func (f *profileForm) quiet() func() {
	was := f.loading
	f.loading = true
	return func() { f.loading = was }
}

func (f *profileForm) setLoginURL(login string) {
	env := environmentOf(login)
	f.env.SetSelected(env)
	if env == envMyDomain {
		f.myDomain.SetText(login)
	} else {
		f.myDomain.SetText("")
	}
	f.syncEnvironment()
}

// enforcePolicy puts the locked values in and makes their widgets
// read-only, and offers only the allowed methods. It runs after every load
// and method change.
func (f *profileForm) enforcePolicy() {
	if f.pol == nil {
		return
	}
	pol := f.pol.pol
	defer f.quiet()()
	if pol.IsLocked(credstore.PolicyLoginURL) && f.pol.login != "" {
		f.setLoginURL(f.pol.login)
		f.env.Disable()
		f.myDomain.Disable()
	}
	for _, l := range []struct {
		name  string
		entry *widget.Entry
		value string
	}{{credstore.PolicyClientID, f.clientID, pol.ClientID}, {credstore.PolicyProxy, f.proxy, pol.Proxy}, {credstore.PolicyCAFile, f.caFile, pol.CAFile}} {
		if pol.IsLocked(l.name) {
			l.entry.SetText(l.value)
			l.entry.Disable()
		}
	}
	if len(pol.Methods) > 0 {
		var allowed []string
		for _, label := range methodLabels {
			if pol.MethodAllowed(string(methodFromLabel(label))) {
				allowed = append(allowed, label)
			}
		}
		if len(allowed) > 0 && len(allowed) != len(f.method.Options) {
			f.method.Options = allowed
			f.method.Refresh()
		}
		if len(allowed) > 0 && !pol.MethodAllowed(string(methodFromLabel(f.v.method))) {
			f.method.SetSelected(allowed[0]) // runs syncMethod, which comes back here
		}
		if len(allowed) == 1 {
			f.method.Disable()
		}
	}
}

// lockedName is the policy name of a form row's widget, or "".
func (f *profileForm) lockedName(obj fyne.CanvasObject) string {
	if f.pol == nil {
		return ""
	}
	pol := f.pol.pol
	for _, c := range []struct {
		name   string
		target fyne.CanvasObject
		locked bool
	}{
		{credstore.PolicyLoginURL, f.env, pol.IsLocked(credstore.PolicyLoginURL) && f.pol.login != ""},
		{credstore.PolicyClientID, f.clientID, pol.IsLocked(credstore.PolicyClientID)},
		{credstore.PolicyProxy, f.proxy, pol.IsLocked(credstore.PolicyProxy)},
		{credstore.PolicyCAFile, f.caFile, pol.IsLocked(credstore.PolicyCAFile)},
		{credstore.PolicyMethods, f.method, len(pol.Methods) > 0},
	} {
		if c.locked && holds(obj, c.target) {
			return c.name
		}
	}
	return ""
}

// lockItems marks the form rows the policy locks: the hint says who set
// them, and buttons in the row (Browse…) are disabled.
func lockItems(f *profileForm, items []*widget.FormItem) []*widget.FormItem {
	for _, it := range items {
		name := f.lockedName(it.Widget)
		if name == "" {
			continue
		}
		if name == credstore.PolicyMethods && len(f.method.Options) > 1 {
			it.HintText = "Your IT department allows only these"
			continue
		}
		it.HintText = policyNote
		eachObject(it.Widget, func(o fyne.CanvasObject) {
			switch b := o.(type) {
			case *widget.Button:
				b.Disable()
			case *keyButton:
				b.Disable()
			}
		})
	}
	return items
}

// holds reports whether obj is target or a container holding it.
func holds(obj, target fyne.CanvasObject) bool {
	found := false
	eachObject(obj, func(o fyne.CanvasObject) { found = found || o == target })
	return found
}

func eachObject(obj fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(obj)
	if c, ok := obj.(*fyne.Container); ok {
		for _, o := range c.Objects {
			eachObject(o, fn)
		}
	}
}

// passwordAllowed reports whether the policy allows a password login.
func (w *wizard) passwordAllowed() bool {
	pol := w.u.opt.Policy
	return pol.MethodAllowed(credstore.MethodSOAP) || pol.MethodAllowed(credstore.MethodOAuthPassword)
}

// wizardPolicy applies the policy to the wizard's own widgets: no password
// path where only browser sign-in is allowed, and the start in the tray
// choice.
func (w *wizard) wizardPolicy() {
	pol := w.u.opt.Policy
	if !w.passwordAllowed() {
		eachObject(w.pages[stepWhere], func(o fyne.CanvasObject) {
			var b *widget.Button
			switch v := o.(type) {
			case *widget.Button:
				b = v
			case *keyButton:
				b = &v.Button
			}
			if b != nil && (b.Text == "Next" || b.Text == usePasswordLabel) {
				o.Hide()
			}
		})
	}
	if w.autoRun == nil || pol.StartInTray == nil {
		return
	}
	w.autoRun.SetChecked(*pol.StartInTray)
	if pol.IsLocked(credstore.PolicyStartInTray) {
		w.autoRun.Text = fmt.Sprintf("%s (%s)", w.autoRun.Text, policyNote)
		w.autoRun.Disable()
		w.autoRun.Refresh()
	}
}

// firstStep is where the wizard starts: a login URL the policy presets
// skips the "where" step, unless that step is where browser sign-in
// starts (a client id is configured: it is the first choice).
func (w *wizard) firstStep() int {
	if w.form.presetLogin() && w.passwordAllowed() && w.clientID == "" {
		return stepWho
	}
	return stepWhere
}

// ShowPolicyError opens a window that says the IT policy cannot be used;
// the app does nothing else then, so nobody steps out of a broken policy.
func ShowPolicyError(a fyne.App, err error) fyne.Window {
	win := a.NewWindow("AdvoLogix Connect")
	text := widget.NewLabel(fmt.Sprintf("Your IT department's settings for AdvoLogix Connect cannot be used, so it cannot start.\n\n%v\n\nTell your IT department this message.", err))
	text.Wrapping = fyne.TextWrapWord
	win.SetContent(container.NewBorder(nil, container.NewHBox(layoutSpacer(), widget.NewButton("Close", win.Close)), nil, nil, text))
	win.Resize(fyne.NewSize(480, 220))
	win.Show()
	return win
}
