package ui

import (
	"fmt"
	"strings"
	"time"

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
	detailsT *widget.AccordionItem // "What Salesforce said", or "Details"
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
	v.box = container.NewVBox(
		v.progress,
		container.NewBorder(nil, nil, container.NewVBox(v.icon), nil, v.headline),
		v.body,
		v.details,
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
	v.detailsT.Title = detailsTitle(r)
	v.details.CloseAll()
	v.details.Refresh()
	v.details.Show()
}

// Titles of the folded details under a failure.
const (
	detailsSalesforce = "What Salesforce said"
	detailsOther      = "Details"
)

// detailsTitle is "What Salesforce said" only when the message is
// Salesforce's own: an answer that refused the login, not a network error,
// a setting of ours or a browser sign-in that did not finish.
func detailsTitle(r sfclient.Result) string {
	if r.Kind() != sfclient.KindCredentials || r.Code == "INVALID_SETTINGS" || strings.HasPrefix(string(r.Code), "SIGNIN_") {
		return detailsOther
	}
	return detailsSalesforce
}

// showFor renders a Result checked from a window: the hint fits the window
// (no advice about a field it has not, or about a My Domain the user did
// not choose). env is the environment chosen in the form.
func (v *resultView) showFor(r sfclient.Result, env string, timeout time.Duration) {
	r.Hint = windowHint(r, env, timeout)
	v.show(r)
}

// windowHint adapts the checker's hint (written for the window and the
// command line alike) to the window.
func windowHint(r sfclient.Result, env string, timeout time.Duration) string {
	// The checker names the Classic path to the token reset; most firms
	// use Lightning.
	r.Hint = strings.Replace(r.Hint, "My Settings → Personal → Reset My Security Token",
		"Reset My Security Token (in Lightning: your picture → Settings → My Personal Information; in Classic: My Settings → Personal)", 1)
	switch {
	case r.Code == sfclient.CodeTimeout:
		return fmt.Sprintf("No answer came within %s. Check your internet connection, VPN and proxy (Advanced), then test again. "+
			"If Salesforce is slow to answer, Cancel stops the wait at any time.", timeout)
	case r.Code == sfclient.CodeNetwork && env != envMyDomain:
		h := strings.Replace(r.Hint, "Check the login address (the spelling of your My Domain) and that you are online.",
			"Check that you are online, and the proxy (Advanced) if your firm uses one.", 1)
		return strings.Replace(h, " (the spelling of your My Domain)", "", 1)
	}
	return r.Hint
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
