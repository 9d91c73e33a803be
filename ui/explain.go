package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
	"github.com/advologix/advologix-connect/sfclient"
)

// Button texts of the "Find out why" step.
const (
	explainText       = "Find out why"
	explainSignInText = "Sign in with the browser to find out why"
)

// explainButton is the "Find out why" button under a failed password
// login whose verdict hides the cause. It asks Salesforce's Login History
// (connection.Explain) with the user's browser sign-in of the same user;
// without one it offers that sign-in first, and only on the user's click.
type explainButton struct {
	btn *keyButton
	v   *resultView

	u      *UI
	win    fyne.Window                       // the window the button is in: dialogs open there
	source func() (credstore.Profile, error) // the form's profile: CA file, proxy, client id

	attempt connection.Attempt
	signIn  bool // no browser profile yet: the button signs in first
	own     bool // the result shown is the explanation itself
}

func newExplainButton(v *resultView) *explainButton {
	e := &explainButton{v: v}
	e.btn = newKeyButton(explainText, theme.SearchIcon(), e.tapped)
	e.btn.Hide()
	return e
}

// attach lets the button work in a window: u runs the work, source gives
// the profile being tested (for a sign-in's CA file, proxy and client id).
func (e *explainButton) attach(u *UI, win fyne.Window, source func() (credstore.Profile, error)) {
	e.u, e.win, e.source = u, win, source
}

// offer shows the button under r when Login History can tell more. It is
// called for every result shown.
func (e *explainButton) offer(r sfclient.Result) {
	e.btn.Hide()
	if r.LoginHistoryStatus != "" {
		e.v.message.SetText(e.v.message.Text + "\nLogin History: " + r.LoginHistoryStatus)
	}
	if e.own || e.u == nil || e.u.opt.Store == nil || r.LoginHistoryStatus != "" {
		return
	}
	p := credstore.Profile{LoginURL: r.LoginURL, Username: r.Username, Method: string(r.Method)}
	if !connection.Explainable(p, r) {
		return
	}
	now := time.Now()
	// The check ended just before its result is shown.
	e.attempt = connection.Attempt{Profile: p, Result: r, Start: now.Add(-time.Duration(r.ElapsedMS)*time.Millisecond - time.Second), End: now}
	e.signIn = false
	if s, err := e.u.opt.Store.Load(); err == nil {
		_, has := connection.SessionProfile(s, p)
		e.signIn = !has
	}
	if e.signIn && e.clientID() == "" {
		return // no way to open a session: nothing to offer
	}
	e.btn.SetText(explainText)
	if e.signIn {
		e.btn.SetText(explainSignInText)
	}
	e.btn.Enable()
	e.btn.Show()
}

func (e *explainButton) clientID() string {
	if e.source != nil {
		if p, err := e.source(); err == nil && p.ClientID != "" {
			return p.ClientID
		}
	}
	return e.u.defaultClientID()
}

func (e *explainButton) tapped() {
	if e.u == nil {
		return
	}
	a := e.attempt
	if !e.signIn {
		e.v.busy("Reading Salesforce's Login History…")
		e.explain(a)
		return
	}
	bp := e.browserProfile(a.Profile)
	e.v.busy(signInWait(e.u.opt.SignInTimeout))
	e.u.signIn(context.Background(), e.win, bp, func(o connection.SignInResult) {
		if !o.Saved {
			e.own = true
			showSignIn(e.v, o)
			e.own = false
			return
		}
		e.v.busy("Reading Salesforce's Login History…")
		e.explain(a)
	})
}

// explain runs connection.Explain in the background and shows its result.
func (e *explainButton) explain(a connection.Attempt) {
	background(e.u, func() connection.Explanation {
		ctx, cancel := context.WithTimeout(context.Background(), 2*e.u.opt.Timeout+credstore.DefaultReadTimeout)
		defer cancel()
		return connection.Explain(ctx, e.u.opt.Store, a, e.u.opt.Timeout)
	}, func(ex connection.Explanation) {
		e.own = true
		e.v.show(connection.FromResult(a.Profile, ex.Result))
		e.own = false
		if ex.Status == "" && ex.Note != "" {
			e.v.body.SetText(strings.TrimSpace(ex.Result.Hint + "\n\nLogin History: " + ex.Note + "."))
			e.v.body.Show()
			e.v.changed()
		}
	})
}

// browserProfile is the browser sign-in profile to create for the user of
// a failed attempt: same login address, the form's CA file and proxy, and a
// name no profile has yet.
func (e *explainButton) browserProfile(p credstore.Profile) credstore.Profile {
	bp := credstore.Profile{LoginURL: p.LoginURL, Username: p.Username, Method: credstore.MethodOAuthBrowser, ClientID: e.clientID()}
	if e.source != nil {
		if src, err := e.source(); err == nil {
			bp.CAFile, bp.Proxy, bp.APIVersion = src.CAFile, src.Proxy, src.APIVersion
		}
	}
	base := "browser sign-in"
	if local, _, ok := strings.Cut(p.Username, "@"); ok && local != "" {
		base = local + " (browser)"
	}
	bp.Name = base
	if s, err := e.u.opt.Store.Load(); err == nil {
		for i := 2; ; i++ {
			if _, taken := s.Profile(bp.Name); !taken {
				break
			}
			bp.Name = fmt.Sprintf("%s %d", base, i)
		}
	}
	return bp
}
