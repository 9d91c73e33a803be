package sfclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Session is an access token for one user's org, obtained from a refresh
// token the user granted earlier. AccessToken is a live credential: the
// String form never shows it, and it is never stored.
type Session struct {
	AccessToken string
	InstanceURL string
	UserID      string
	OrgID       string
}

// String hides the access token.
func (s Session) String() string {
	return fmt.Sprintf("Session{%s user %s org %s, access token %s}", s.InstanceURL, s.UserID, s.OrgID, present(s.AccessToken))
}

// GoString is String.
func (s Session) GoString() string { return s.String() }

// RefreshSession trades cr.RefreshToken for an access token: one request to
// the token endpoint. It is not a login with a password, so it cannot count
// towards a lockout, but Salesforce records it as a token use. A refresh
// token Salesforce rotates goes to cr.OnRefreshTokenRotated. A failure is
// a Result (its code says why), never a retry.
func (c *Checker) RefreshSession(ctx context.Context, cr Credentials) (Session, *Result) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if cr.RefreshToken == "" {
		r := Result{Code: CodeOAuthInvalidGrant, Message: "no refresh token is saved for this profile"}
		c.finishResult(&r)
		return Session{}, &r
	}
	octx := context.WithValue(ctx, oauth2.HTTPClient, c.client)
	tok, err := c.oauthConfig(cr.ClientSecret).TokenSource(octx, &oauth2.Token{RefreshToken: cr.RefreshToken}).Token()
	if err != nil {
		r := c.refreshFailure(err)
		c.finishResult(&r)
		return Session{}, &r
	}
	if tok.RefreshToken != "" && tok.RefreshToken != cr.RefreshToken && cr.OnRefreshTokenRotated != nil {
		cr.OnRefreshTokenRotated(tok.RefreshToken)
	}
	ti, err := readTokenInfo(tok)
	if err == nil && ti.UserID == "" {
		err = fmt.Errorf("%w: token answer without a user in its id", errNotSalesforce)
	}
	if err != nil {
		r := Result{Code: CodeUnexpectedResponse, Message: err.Error()}
		c.finishResult(&r)
		return Session{}, &r
	}
	return Session{AccessToken: tok.AccessToken, InstanceURL: ti.InstanceURL, UserID: ti.UserID, OrgID: ti.OrgID}, nil
}

// LoginAttempt is one LoginHistory record: Salesforce's own account of a
// login attempt.
type LoginAttempt struct {
	LoginTime   time.Time
	Status      string // e.g. "Invalid Password", "Failed: API security token required"
	LoginType   string // e.g. "Remote Access 2.0"
	Application string
	APIType     string
	SourceIP    string
}

// LoginHistory is the answer to a LoginHistory query: the records, newest
// first, and the two clocks at the time of the answer (the server's from
// its Date header, zero when it sent none), so attempts timed by this
// computer can be found in Salesforce's times.
type LoginHistory struct {
	Attempts   []LoginAttempt
	ServerTime time.Time
	LocalTime  time.Time
}

// HistoryLimit is how many LoginHistory records a query reads.
const HistoryLimit = 20

// ErrHistoryUnavailable wraps every failure of a LoginHistory query.
var ErrHistoryUnavailable = errors.New("login history unavailable")

// QueryLoginHistory reads s's user's own latest LoginHistory records (API
// 37.0 and later let every user read their own): one REST call with the
// session, never a login. Nothing is read from other users, and the token
// goes only to the login host or a Salesforce instance.
func (c *Checker) QueryLoginHistory(ctx context.Context, s Session) (LoginHistory, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if !c.instanceAllowed(s.InstanceURL) {
		return LoginHistory{}, fmt.Errorf("%w: instance %s is not a Salesforce address", ErrHistoryUnavailable, s.InstanceURL)
	}
	if !validID(s.UserID) { // also keeps the SOQL literal safe
		return LoginHistory{}, fmt.Errorf("%w: no valid user id", ErrHistoryUnavailable)
	}
	soql := fmt.Sprintf("SELECT LoginTime, Status, LoginType, Application, ApiType, SourceIp FROM LoginHistory WHERE UserId = '%s' ORDER BY LoginTime DESC LIMIT %d", s.UserID, HistoryLimit)
	u := fmt.Sprintf("%s/services/data/v%s/query?%s", s.InstanceURL, c.historyVersion(), url.Values{"q": {soql}}.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return LoginHistory{}, fmt.Errorf("%w: %v", ErrHistoryUnavailable, err)
	}
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return LoginHistory{}, fmt.Errorf("%w: %s", ErrHistoryUnavailable, classifyTransport(err, c.login.Host).message)
	}
	defer resp.Body.Close()
	local := time.Now()
	body, err := readLimited(resp.Body, MaxResponseBytes)
	if err != nil {
		return LoginHistory{}, fmt.Errorf("%w: %v", ErrHistoryUnavailable, err)
	}
	if resp.StatusCode != http.StatusOK {
		code, msg := ParseAPIError(body)
		return LoginHistory{}, fmt.Errorf("%w: HTTP %d %s %s", ErrHistoryUnavailable, resp.StatusCode, code, printable(msg, 200))
	}
	h, err := ParseLoginHistory(body)
	if err != nil {
		return LoginHistory{}, err
	}
	h.LocalTime = local
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		h.ServerTime = d
	}
	return h, nil
}

// historyVersion is the API version of the query: the Checker's, raised to
// 37.0, where users may first read their own history.
func (c *Checker) historyVersion() string {
	if len(c.apiVersion) == 4 && c.apiVersion < "37.0" {
		return "37.0"
	}
	return c.apiVersion
}

func validID(id string) bool {
	if len(id) != 15 && len(id) != 18 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

type historyJSON struct {
	TotalSize *int `json:"totalSize"`
	Done      bool `json:"done"`
	Records   []struct {
		Attributes struct {
			Type string `json:"type"`
		} `json:"attributes"`
		LoginTime   string `json:"LoginTime"`
		Status      string `json:"Status"`
		LoginType   string `json:"LoginType"`
		Application string `json:"Application"`
		APIType     string `json:"ApiType"`
		SourceIP    string `json:"SourceIp"`
	} `json:"records"`
}

// ParseLoginHistory reads a query answer of LoginHistory records. Records
// whose time cannot be read are dropped.
func ParseLoginHistory(body []byte) (LoginHistory, error) {
	var hj historyJSON
	if err := json.Unmarshal(body, &hj); err != nil {
		return LoginHistory{}, fmt.Errorf("%w: the query answer is not JSON: %v", ErrHistoryUnavailable, err)
	}
	if hj.TotalSize == nil {
		return LoginHistory{}, fmt.Errorf("%w: the query answer has no totalSize", ErrHistoryUnavailable)
	}
	var h LoginHistory
	for _, r := range hj.Records {
		if r.Attributes.Type != "" && r.Attributes.Type != "LoginHistory" {
			continue
		}
		t, ok := parseSalesforceTime(r.LoginTime)
		if !ok {
			continue
		}
		h.Attempts = append(h.Attempts, LoginAttempt{LoginTime: t, Status: strings.TrimSpace(CleanText(r.Status)),
			LoginType: CleanText(r.LoginType), Application: CleanText(r.Application), APIType: CleanText(r.APIType), SourceIP: CleanText(r.SourceIP)})
	}
	return h, nil
}

// parseSalesforceTime reads a REST dateTime ("2026-12-01T20:30:00.000+0000")
// or RFC 3339.
func parseSalesforceTime(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// MatchSlack is how far, beyond the attempt's own start and end, a record
// may lie and still be taken for it: the Date header's one-second
// resolution, the server's processing time, and a margin.
const MatchSlack = 5 * time.Second

// FindAttempt picks the record of a failed attempt that this computer made
// between start and end with method m: the failed record (Status other than
// "Success") of the same kind — OAuth ("Remote Access …") or not — nearest
// to the attempt, in the server's clock. The offset between the clocks
// comes from the history's Date header, so a computer whose clock is off
// still finds its attempt.
func FindAttempt(h LoginHistory, m Method, start, end time.Time) (LoginAttempt, bool) {
	var offset time.Duration
	if !h.ServerTime.IsZero() && !h.LocalTime.IsZero() {
		offset = h.ServerTime.Sub(h.LocalTime.Truncate(time.Second))
	}
	from, to := start.Add(offset-MatchSlack), end.Add(offset+MatchSlack)
	mid := start.Add(end.Sub(start) / 2).Add(offset)
	wantOAuth := m == MethodOAuthPassword || m == MethodOAuthBrowser
	var best LoginAttempt
	var bestDist time.Duration = -1
	for _, a := range h.Attempts {
		if a.Status == "" || strings.EqualFold(a.Status, "Success") {
			continue
		}
		if strings.HasPrefix(a.LoginType, "Remote Access") != wantOAuth {
			continue
		}
		if a.LoginTime.Before(from) || a.LoginTime.After(to) {
			continue
		}
		d := a.LoginTime.Sub(mid)
		if d < 0 {
			d = -d
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = a, d
		}
	}
	return best, bestDist >= 0
}

// HistoryRefines tells whether Login History can say more about a failure
// with this code: the verdicts Salesforce keeps generic on the wire.
func HistoryRefines(c Code) bool {
	switch c {
	case CodeInvalidLogin, CodeOAuthInvalidGrant, CodeMustUseSecurityToken, CodeChallengeIssued:
		return true
	}
	return false
}

// statusHint is what a Login History Status means for the user.
type statusHint struct {
	headline string
	hint     string
	suspect  Field
}

// statusHints are the Status strings whose meaning this app knows. Sources
// (Salesforce documents no complete list):
//   - "Invalid Password", "Failed: API security token required",
//     "Failed: Computer activation required", "Failed: Computer
//     activation pending": the object reference's Login Event Type —
//     LOGIN_STATUS Values (LOGIN_ERROR_INVALID_PASSWORD,
//     LOGIN_ERROR_MUST_USE_API_TOKEN, LOGIN_CHALLENGE_ISSUED,
//     LOGIN_CHALLENGE_PENDING).
//   - "Password Lockout", "User is Inactive", "User Is Frozen":
//     salesforce.stackexchange.com/q/146422 (observed values).
//   - "Restricted IP", "Restricted Time": Salesforce admin guidance on
//     reading Login History (livesalesforcetraining.com, "Salesforce Login
//     Troubleshooting").
//   - "Username-Password Flow Disabled": blog.enree.co on Salesforce's
//     "Block Authorization Flows to Improve Security".
//
// Keys are lower-case; Status is matched without regard to case.
var statusHints = map[string]statusHint{
	"invalid password": {"Salesforce recorded a wrong password",
		"Salesforce's Login History says the password was wrong (the security token was not the problem). Check the password — it is case-sensitive — or reset it with “Forgot your password?” on the Salesforce login page. " + dontRetry, FieldPassword},
	"failed: api security token required": {"Salesforce recorded a missing or outdated security token",
		"Salesforce's Login History says the password was right but the security token was missing or no longer valid. Resetting your password also resets the token, so an old one stops working. Get a fresh one via " + resetTokenSteps + " and enter it in the Security token field.", FieldToken},
	"password lockout": {"Salesforce has locked this user out",
		"Salesforce's Login History says the user is locked out after too many failed logins. Wait until the lockout ends (your org sets how long, often 15 minutes) or ask your Salesforce admin to unlock you; testing again now only prolongs it.", FieldAccount},
	"restricted ip": {"Salesforce refused the login from this network",
		"Salesforce's Login History says this computer's IP address is outside the login IP ranges of your profile. Connect from the office or the VPN, or ask your Salesforce admin to allow this address.", FieldNetwork},
	"restricted time": {"Salesforce refused the login at this time",
		"Salesforce's Login History says logins are not allowed at this hour for your profile. Try again during your login hours, or ask your Salesforce admin.", FieldAccount},
	"failed: computer activation required": {"Salesforce wants to verify this computer",
		"Salesforce's Login History says this computer must be activated first. Sign in once in a browser on this computer and enter the verification code Salesforce sends you, or add your security token.", FieldToken},
	"failed: computer activation pending": {"Salesforce is waiting for this computer's verification",
		"Salesforce's Login History says a verification of this computer is still pending. Finish it with the code Salesforce sent you, then test again.", FieldAccount},
	"user is inactive": {"Salesforce says this user is deactivated",
		"Salesforce's Login History says the user is inactive. Ask your Salesforce admin to reactivate the user.", FieldAccount},
	"user is frozen": {"Salesforce says this user is frozen",
		"Salesforce's Login History says an admin froze this user. Ask your Salesforce admin to unfreeze it.", FieldAccount},
	"username-password flow disabled": {"Salesforce blocks this login method",
		"Salesforce's Login History says the org blocks the OAuth username-password flow, so even the right password fails. " + browserSignIn + ", switch the method to SOAP login(), or ask your Salesforce admin to allow the flow.", FieldAdvanced},
}

// KnownStatuses lists the Login History Status strings whose meaning the
// hints know, in the case Salesforce writes them.
func KnownStatuses() []string {
	return []string{"Invalid Password", "Failed: API security token required", "Password Lockout", "Restricted IP",
		"Restricted Time", "Failed: Computer activation required", "Failed: Computer activation pending",
		"User is Inactive", "User Is Frozen", "Username-Password Flow Disabled"}
}

// ApplyLoginHistory sets r.LoginHistoryStatus and, for a Status whose
// meaning is known, replaces the headline, hint and suspect field with
// what Salesforce recorded. An unknown Status is reported as it is, after
// the hint the wire answer gave. The code and message stay Salesforce's
// answer on the wire.
func ApplyLoginHistory(r *Result, status string) {
	status = printable(strings.TrimSpace(status), 120)
	if status == "" || r.OK {
		return
	}
	// The refinement is the last step that writes server text into r:
	// clean everything once more after it.
	defer cleanResult(r)
	r.LoginHistoryStatus = status
	if h, ok := statusHints[strings.ToLower(status)]; ok {
		r.Headline, r.Hint, r.Suspect = h.headline, h.hint, h.suspect
		return
	}
	r.Hint = strings.TrimSpace(r.Hint + " Salesforce's Login History records this attempt as “" + status + "”.")
}

// Method is the login method the Checker uses.
func (c *Checker) Method() Method { return c.method }
