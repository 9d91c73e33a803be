package connection

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// ExplainStore is what Explain needs from credstore: the saved profiles,
// their secrets, and a place for a refresh token Salesforce rotates.
type ExplainStore interface {
	Store
	Load() (credstore.Settings, error)
}

// Attempt is a failed password login to explain: the profile it used (only
// its login URL, username and method matter) and when it ran, by this
// computer's clock.
type Attempt struct {
	Profile    credstore.Profile
	Result     sfclient.Result
	Start, End time.Time
}

// Explanation is what Explain found. Result is the attempt's Result with
// LoginHistoryStatus and, when Salesforce's Status is known, the headline,
// hint and suspect field refined; code and message stay as Salesforce
// answered on the wire. Nothing in it is stored.
type Explanation struct {
	Result sfclient.Result
	// Status is Salesforce's Status for the attempt, "" when none was read.
	Status string
	// Queried reports that the Login History query was sent.
	Queried bool
	// Session names the browser sign-in profile whose session was used.
	Session string
	// Note says, for people, why no Status was read ("" when one was).
	Note string
}

// Why Explain read nothing.
var (
	// ErrNoSession: no browser sign-in profile of the same user and org.
	ErrNoSession = errors.New("no browser sign-in for this user")
	// ErrNotExplainable: the verdict is not one Login History refines.
	ErrNotExplainable = errors.New("nothing for Login History to add")
)

// Explainable tells whether Explain would look at r: a failed password
// login whose verdict hides the cause.
func Explainable(p credstore.Profile, r sfclient.Result) bool {
	return !r.OK && p.Method != credstore.MethodOAuthBrowser && sfclient.HistoryRefines(r.Code)
}

// SessionProfile returns the browser sign-in profile of the same user and
// org as p (same username, same login address), if the store has one.
func SessionProfile(s credstore.Settings, p credstore.Profile) (credstore.Profile, bool) {
	want := sameOrgKey(p)
	if want == "" {
		return credstore.Profile{}, false
	}
	for _, q := range s.Profiles {
		if q.Method == credstore.MethodOAuthBrowser && q.Name != p.Name && sameOrgKey(q) == want {
			return q, true
		}
	}
	return credstore.Profile{}, false
}

// sameOrgKey is the username (Salesforce usernames are unique across all
// orgs) and the normalised login URL, which keeps a sandbox apart.
func sameOrgKey(p credstore.Profile) string {
	u := strings.ToLower(strings.TrimSpace(p.Username))
	l, err := sfclient.ParseLoginURL(p.LoginURL)
	if u == "" || err != nil {
		return ""
	}
	return u + " " + strings.ToLower(l.URL)
}

// Explain asks Salesforce why a password login failed, from the user's own
// Login History, with a session the user granted earlier: the refresh token
// of a browser sign-in profile of the same user and org. It sends one token
// refresh (a token use, not a login: it cannot lock anyone out) and one
// REST query, and nothing at all when the store holds no such profile or
// the verdict needs no explaining. A refresh token Salesforce rotates
// replaces the saved one; nothing from the history is stored. Explain never
// changes whether the check failed: a failure of its own is a Note.
func Explain(ctx context.Context, st ExplainStore, a Attempt, timeout time.Duration) Explanation {
	ex := Explanation{Result: a.Result}
	if !Explainable(a.Profile, a.Result) {
		ex.Note = ErrNotExplainable.Error()
		return ex
	}
	settings, err := st.Load()
	if err != nil {
		ex.Note = "the saved profiles could not be read: " + err.Error()
		return ex
	}
	bp, ok := SessionProfile(settings, a.Profile)
	if !ok {
		ex.Note = fmt.Sprintf("%v %s: sign in with the browser once (advologix-connect login --browser) to let the app read your Login History", ErrNoSession, a.Profile.Username)
		return ex
	}
	sec, err := st.Secrets(ctx, bp.Name)
	if err != nil || sec.RefreshToken == "" {
		if err == nil {
			err = ErrSecretsMissing
		}
		ex.Note = fmt.Sprintf("profile %q's browser sign-in could not be read: %v", bp.Name, err)
		return ex
	}
	var saveErr error
	onRotated := func(tok string) { saveErr = st.UpdateSecret(ctx, bp.Name, credstore.KindRefreshToken, tok) }
	ex = ExplainWith(ctx, bp, sec.RefreshToken, sec.ClientSecret, onRotated, a, timeout)
	if saveErr != nil {
		ex.Note = strings.TrimSpace(ex.Note + " (the refresh token Salesforce rotated could not be saved: " + saveErr.Error() + ")")
	}
	return ex
}

// ExplainWith is Explain with a session in hand: the refresh token of
// browser profile bp (just saved by a sign-in, or read from the keychain).
// onRotated, if set, receives a refresh token Salesforce rotates.
func ExplainWith(ctx context.Context, bp credstore.Profile, refreshToken, clientSecret string, onRotated func(string), a Attempt, timeout time.Duration) Explanation {
	ex := Explanation{Result: a.Result, Session: bp.Name}
	if !Explainable(a.Profile, a.Result) {
		ex.Note = ErrNotExplainable.Error()
		return ex
	}
	bp.Method = credstore.MethodOAuthBrowser
	c, err := sfclient.New(Config(bp, timeout))
	if err != nil {
		ex.Note = fmt.Sprintf("profile %q cannot be used: %v", bp.Name, err)
		return ex
	}
	sess, fail := c.RefreshSession(ctx, sfclient.Credentials{RefreshToken: refreshToken, ClientSecret: clientSecret, OnRefreshTokenRotated: onRotated})
	if fail != nil {
		ex.Note = fmt.Sprintf("the browser sign-in of profile %q did not work (%s): %s", bp.Name, fail.Code, fail.Headline)
		return ex
	}
	h, err := c.QueryLoginHistory(ctx, sess)
	ex.Queried = true
	if err != nil {
		ex.Note = err.Error()
		return ex
	}
	m := sfclient.Method(a.Profile.Method)
	if m == "" {
		m = sfclient.MethodSOAP
	}
	att, ok := sfclient.FindAttempt(h, m, a.Start, a.End)
	if !ok {
		ex.Note = "Salesforce's Login History has no record of this attempt"
		return ex
	}
	ex.Status = att.Status
	sfclient.ApplyLoginHistory(&ex.Result, att.Status)
	return ex
}

// Explain refines o — a login from Test, CheckSaved or CheckProfile that
// began at start — from the user's own Login History when it is a failed
// password login whose verdict hides the cause (the package function
// Explain, with s.Store: a saved browser sign-in of the same user and org,
// one token refresh and one query, never a login). The outcome's
// headline, hint and suspect follow the refined Result; its code stays
// Salesforce's. The Explanation says what was read, or why nothing was.
func (s *Service) Explain(ctx context.Context, o Outcome, start time.Time) (Outcome, Explanation) {
	if !o.Checked || !Explainable(o.Profile, o.Result) {
		return o, Explanation{Result: o.Result, Note: ErrNotExplainable.Error()}
	}
	ex := Explain(ctx, s.Store, Attempt{Profile: o.Profile, Result: o.Result, Start: start, End: time.Now()}, s.timeout())
	o.Result, o.Headline, o.Hint, o.Suspect = ex.Result, ex.Result.Headline, ex.Result.Hint, ex.Result.Suspect
	return o, ex
}
