package ui

// This file holds the tray's notifications: what one says about an outcome, how
// long it stays up, and how it is sent.

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/connection"
)

// How long a notification stays on screen: a success is news for a moment,
// a failure is worth reading.
const (
	noticeTimeoutOK      = 8 * time.Second
	noticeTimeoutFailing = 20 * time.Second
)

// Notice is one desktop notification from the tray.
type Notice struct {
	Title   string        // one short line: connected or not
	Body    string        // the headline and who/where, two short lines
	Failing bool          // the news is bad
	Icon    fyne.Resource // the tray's icon for the state told; nil: the app's
	Timeout time.Duration // how long it stays up
	// Open is the notification's default action (clicking it): Settings on
	// the profile, with its last result. Nil: no action.
	Open func()
}

// notify sends n through the desktop's notifications, else Fyne's.
func (t *tray) notify(n Notice) {
	if f := t.u.side.desktop.Notify; f != nil {
		if err := f(n); err == nil {
			return
		}
	}
	t.u.app.SendNotification(fyne.NewNotification(n.Title, n.Body))
}

// describe writes the notification about an outcome: a title that says
// connected or not, a body of at most two short lines — the headline and
// who/where. key identifies the state, for "notify once per change". The
// tray adds the action that opens Settings on the profile.
func describe(o connection.Outcome) (Notice, string) {
	profile := o.Profile.Name
	if !o.Checked {
		n := Notice{Title: appName + ": not connected", Failing: true, Timeout: noticeTimeoutFailing}
		switch {
		case errors.As(o.Err, new(*credstore.KeychainError)):
			n.Title, n.Body = appName+": cannot read the keychain", shorten(o.Message, 120)
			return n, string(o.Code)
		case o.Code == connection.CodeSecretsMissing:
			n.Body = shorten(o.Hint, 120)
			return n, string(o.Code)
		}
		n.Body = shorten(o.Message, 120)
		return n, "error"
	}
	r := o.Result
	if r.OK {
		body := "Signed in as " + firstNonEmpty(r.UserFullName, r.Username)
		if org := r.Org(); org != "" {
			body += "\n" + org + " · " + r.Environment()
		}
		return Notice{Title: appName + ": connected", Body: body, Timeout: noticeTimeoutOK}, "ok"
	}
	body := shorten(r.Headline, 80) + "\n" + firstNonEmpty(r.Username, profile)
	if env := r.Environment(); env != "" {
		body += " · " + env
	}
	return Notice{Title: appName + ": not connected", Body: body, Failing: true, Timeout: noticeTimeoutFailing}, string(r.Code)
}

// shorten cuts s to at most n runes at a word boundary, with an ellipsis.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
