package ui

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// resultView shows the outcome of a check the way the checker gives it: on
// success who and where, on failure a headline, the hint in plain words, and
// Salesforce's own message folded underneath.
type resultView struct {
	progress *widget.ProgressBarInfinite
	icon     *widget.Icon
	headline *widget.Label
	body     *widget.Label
	message  *widget.Label
	details  *fold          // "What Salesforce said", or "Details" (fold.go)
	why      *explainButton // "Find out why" (explain.go)
	// head is the progress and the headline; more the hint, the details
	// and "Find out why"; box both, one under the other (the wizard).
	// The Settings window shows head and more apart instead, and never
	// box (settings_layout.go).
	head, more, box *fyne.Container

	// verdict: what is shown is the outcome of a test (not a note or the
	// progress); stale: the inputs changed since that test (markStale).
	verdict, stale bool
	// onChange is called after every change of what is shown (the
	// Settings window fits itself and its pinned panel to it).
	onChange func()
}

func newResultView() *resultView {
	v := &resultView{
		progress: widget.NewProgressBarInfinite(),
		icon:     widget.NewIcon(nil),
		headline: widget.NewLabel(""),
		body:     widget.NewLabel(""),
		message:  widget.NewLabel(""),
	}
	v.headline.TextStyle = fyne.TextStyle{Bold: true}
	v.headline.Wrapping = fyne.TextWrapWord
	v.body.Wrapping = fyne.TextWrapWord
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Selectable = true
	v.details = newFold(detailsSalesforce, v.message)
	v.details.onToggle = v.changed
	v.why = newExplainButton(v)
	v.head = container.NewVBox(v.progress, container.NewBorder(nil, nil, container.New(firstLine{}, v.icon), nil, v.headline))
	v.more = container.NewVBox(v.body, v.details, v.why.btn)
	v.box = container.NewVBox(v.head, v.more)
	v.clear()
	return v
}

// clear hides everything.
func (v *resultView) clear() {
	v.verdict, v.stale = false, false
	v.body.Importance = widget.MediumImportance
	v.progress.Stop()
	v.progress.Hide()
	v.icon.Hide()
	v.headline.SetText("")
	v.headline.Hide()
	v.body.Hide()
	v.details.Hide()
	v.why.btn.Hide()
	v.changed()
}

// changed tells onChange that what is shown changed.
func (v *resultView) changed() {
	if v.onChange != nil {
		v.onChange()
	}
}

// shown reports whether anything is shown.
func (v *resultView) shown() bool { return v.headline.Visible() || v.progress.Visible() }

// busy shows the progress bar and a line of what is happening.
func (v *resultView) busy(what string) {
	v.clear()
	v.progress.Show()
	v.progress.Start()
	v.headline.SetText(what)
	v.headline.Importance = widget.MediumImportance
	v.headline.Show()
	v.changed()
}

// note shows a neutral or warning line (a saved profile, a keychain error).
func (v *resultView) note(icon fyne.Resource, headline, body string, imp widget.Importance) {
	v.clear()
	v.icon.SetResource(icon)
	v.icon.Show()
	v.headline.Importance = imp
	v.headline.SetText(headline)
	v.headline.Show()
	if body != "" {
		v.body.SetText(sentence(body))
		v.body.Show()
	}
	v.changed()
}

// sentence starts s with a capital letter: a message of a lower layer
// ("enter your username") shown as a sentence of its own.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Prefix of a verdict whose inputs have changed since.
const stalePrefix = "Before your changes: "

// markStale marks a verdict shown as being about the inputs before the
// user's changes: greyed, its headline prefixed, "Find out why" (which
// would ask about the old attempt) gone. It is kept rather than removed:
// its hint is often what the user is following while they type the fix.
// Notes (a saved profile, a missing field) are not verdicts and stay.
func (v *resultView) markStale() {
	if !v.verdict || v.stale {
		return
	}
	v.stale = true
	v.headline.SetText(stalePrefix + v.headline.Text)
	v.headline.Importance = widget.LowImportance
	v.headline.Refresh()
	v.icon.SetResource(theme.NewDisabledResource(theme.HistoryIcon()))
	v.body.Importance = widget.LowImportance
	v.body.Refresh()
	v.why.btn.Hide()
	v.changed()
}

// Headline of a failure the user chose to save anyway.
const savedNotConnected = "Saved — not connected"

// saved adds that profile name was saved to what is shown: "— saved"
// after a success, a line of its own when nothing is shown; a failure
// stays as it is (savedAnyway marks it).
func (v *resultView) saved(name string) {
	switch {
	case v.headline.Text == "" || !v.headline.Visible():
		v.note(theme.ConfirmIcon(), "Saved", fmt.Sprintf("Profile %q is saved; its secrets are in the keychain.", name), widget.SuccessImportance)
	case v.headline.Importance == widget.SuccessImportance && !strings.HasSuffix(v.headline.Text, " — saved"):
		v.headline.SetText(v.headline.Text + " — saved")
		v.changed()
	}
}

// savedAnyway marks a failed verdict as saved all the same: the headline
// says "Saved — not connected", the failure's headline and hint move into
// the text, its details stay.
func (v *resultView) savedAnyway() {
	if !v.verdict || v.headline.Importance == widget.SuccessImportance || v.headline.Text == savedNotConnected {
		return
	}
	body := strings.TrimPrefix(v.headline.Text, stalePrefix)
	if v.body.Visible() && v.body.Text != "" {
		body += ". " + v.body.Text
	}
	v.headline.SetText(savedNotConnected)
	v.body.SetText(body)
	v.body.Show()
	v.changed()
}

// show renders an outcome of the use-case layer: on success who and
// where; on failure its headline and hint, and underneath, folded, the
// message (Salesforce's own, or what failed here), its code and any
// warnings.
func (v *resultView) show(o connection.Outcome) {
	defer v.changed()
	if o.OK() {
		v.note(theme.ConfirmIcon(), "Connected to Salesforce", whoAndWhere(o.Result), widget.SuccessImportance)
		v.verdict = true
		return
	}
	imp := widget.DangerImportance
	icon := theme.ErrorIcon()
	if o.Kind() == connection.KindConnection {
		imp, icon = widget.WarningImportance, theme.WarningIcon()
	}
	v.note(icon, o.Headline, o.Hint, imp)
	v.verdict = true
	r := o.Result
	if !o.Checked {
		m, err := sfclient.ParseMethod(o.Profile.Method)
		if err != nil {
			m = sfclient.Method(o.Profile.Method)
		}
		r = sfclient.Result{Method: m, LoginURL: o.Profile.LoginURL}
	}
	msg := strings.TrimSpace(fmt.Sprintf("%s\n\nCode: %s · %s · %s · %d ms", o.Message, o.Code, r.Method.Label(), r.LoginURL, r.ElapsedMS))
	for _, w := range o.Warnings {
		if !strings.Contains(msg, w) {
			msg += "\nNote: " + w
		}
	}
	v.message.SetText(msg)
	v.details.setTitle(detailsTitle(o))
	v.details.setOpen(false)
	v.details.Show()
	if o.Checked {
		v.why.offer(o.Result)
	}
}

// Titles of the folded details under a failure.
const (
	detailsSalesforce = "What Salesforce said"
	detailsOther      = "Details"
)

// detailsTitle is "What Salesforce said" only when the message is
// Salesforce's own: an answer that refused the login, not a network error,
// a setting of ours or a browser sign-in that did not finish.
func detailsTitle(o connection.Outcome) string {
	if o.Checked && o.Kind() == connection.KindCredentials {
		return detailsSalesforce
	}
	return detailsOther
}

// whoAndWhere is the success text: user, organisation, environment,
// instance.
func whoAndWhere(r sfclient.Result) string {
	lines := []string{"Signed in as " + r.Who()}
	if org := r.Org(); org != "" {
		lines = append(lines, fmt.Sprintf("%s · %s", org, r.Environment()))
	}
	if r.InstanceURL != "" {
		lines = append(lines, r.InstanceURL)
	}
	return strings.Join(lines, "\n")
}

// firstLine places an icon level with the first line of the text beside
// it (a label's text sits inside its padding): not at the top of the row,
// and not in the middle of a headline that wraps.
type firstLine struct{}

func (firstLine) lineHeight() float32 {
	return fyne.MeasureText("Ag", theme.TextSize(), fyne.TextStyle{Bold: true}).Height + 2*theme.InnerPadding()
}

func (l firstLine) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objects {
		w = fyne.Max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, l.lineHeight())
}

func (l firstLine) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		m := o.MinSize()
		o.Resize(m)
		o.Move(fyne.NewPos(0, (l.lineHeight()-m.Height)/2))
	}
}
