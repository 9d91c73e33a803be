package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	why      *explainButton // "Find out why" (explain.go)
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
	v.details = widget.NewAccordion(widget.NewAccordionItem("What Salesforce said", v.message))
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

// show renders a Result.
func (v *resultView) show(r sfclient.Result) {
	if r.OK {
		v.note(theme.ConfirmIcon(), "Connected to Salesforce", whoAndWhere(r), widget.SuccessImportance)
		return
	}
	imp := widget.DangerImportance
	icon := theme.ErrorIcon()
	if r.Kind() == sfclient.KindConnection {
		imp, icon = widget.WarningImportance, theme.WarningIcon()
	}
	v.note(icon, r.Headline, r.Hint, imp)
	msg := r.Message
	if r.Code != "" {
		msg = strings.TrimSpace(fmt.Sprintf("%s\n\nCode: %s · %s · %s · %d ms", r.Message, r.Code, r.Method.Label(), r.LoginURL, r.ElapsedMS))
	}
	v.message.SetText(msg)
	v.details.CloseAll()
	v.details.Show()
	v.why.offer(r)
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
