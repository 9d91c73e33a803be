package ui

import (
	"fmt"
	"strings"

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
	details  *widget.Accordion
	detailsT *widget.AccordionItem // "What Salesforce said", or "Details"
	why      *explainButton        // "Find out why" (explain.go)
	box      *fyne.Container
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
	v.detailsT = widget.NewAccordionItem(detailsSalesforce, v.message)
	v.details = widget.NewAccordion(v.detailsT)
	v.why = newExplainButton(v)
	v.box = container.NewVBox(
		v.progress,
		container.NewBorder(nil, nil, container.NewVBox(v.icon), nil, v.headline),
		v.body,
		v.details,
		v.why.btn,
	)
	v.clear()
	return v
}

// clear hides everything.
func (v *resultView) clear() {
	v.progress.Stop()
	v.progress.Hide()
	v.icon.Hide()
	v.headline.SetText("")
	v.headline.Hide()
	v.body.Hide()
	v.details.Hide()
	v.why.btn.Hide()
}

// busy shows the progress bar and a line of what is happening.
func (v *resultView) busy(what string) {
	v.clear()
	v.progress.Show()
	v.progress.Start()
	v.headline.SetText(what)
	v.headline.Importance = widget.MediumImportance
	v.headline.Show()
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
		v.body.SetText(body)
		v.body.Show()
	}
}

// saved adds that profile name was saved to what is shown: "— saved"
// after a success, a line of its own when nothing is shown; a failure the
// user chose to save anyway stays as it is.
func (v *resultView) saved(name string) {
	switch {
	case v.headline.Text == "":
		v.note(theme.ConfirmIcon(), "Saved", fmt.Sprintf("Profile %q is saved; its secrets are in the keychain.", name), widget.SuccessImportance)
	case v.headline.Importance == widget.SuccessImportance && !strings.HasSuffix(v.headline.Text, " — saved"):
		v.headline.SetText(v.headline.Text + " — saved")
	}
}

// show renders an outcome of the use-case layer: on success who and
// where; on failure its headline and hint, and underneath, folded, the
// message (Salesforce's own, or what failed here), its code and any
// warnings.
func (v *resultView) show(o connection.Outcome) {
	if o.OK() {
		v.note(theme.ConfirmIcon(), "Connected to Salesforce", whoAndWhere(o.Result), widget.SuccessImportance)
		return
	}
	imp := widget.DangerImportance
	icon := theme.ErrorIcon()
	if o.Kind() == connection.KindConnection {
		imp, icon = widget.WarningImportance, theme.WarningIcon()
	}
	v.note(icon, o.Headline, o.Hint, imp)
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
	v.detailsT.Title = detailsTitle(o)
	v.details.CloseAll()
	v.details.Refresh()
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
