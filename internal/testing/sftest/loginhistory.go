package sftest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Login History Status strings, as Salesforce writes them in
// LoginHistory.Status. Salesforce documents no complete list; each value
// here names where it is written down:
//
//   - Event Monitoring's "Login Event Type — LOGIN_STATUS Values" (object
//     reference, sforce_api_objects_eventlogfile_login_status) maps API
//     error codes to these texts: LOGIN_CHALLENGE_ISSUED "Failed: Computer
//     activation required", LOGIN_CHALLENGE_PENDING "Failed: Computer
//     activation pending", LOGIN_ERROR_MUST_USE_API_TOKEN "Failed: API
//     security token required", LOGIN_ERROR_INVALID_PASSWORD "Invalid
//     Password".
//   - salesforce.stackexchange.com/q/146422 (community list of observed
//     values): "Success", "Password Lockout", "User is Inactive",
//     "User Is Frozen", "Failed: Mobile License Required".
//   - "Salesforce Login Troubleshooting" (livesalesforcetraining.com):
//     "Restricted IP" (outside the profile's Login IP Ranges) and
//     "Restricted Time" (outside Login Hours).
//   - "OAuth Username-Password Flow Disabled" (blog.enree.co, on
//     Salesforce help's "Block Authorization Flows to Improve Security"):
//     "Username-Password Flow Disabled", while the token endpoint answers
//     invalid_grant "authentication failure".
const (
	StatusSuccess            = "Success"
	StatusInvalidPassword    = "Invalid Password"
	StatusTokenRequired      = "Failed: API security token required"
	StatusLockout            = "Password Lockout"
	StatusRestrictedIP       = "Restricted IP"
	StatusRestrictedTime     = "Restricted Time"
	StatusActivationRequired = "Failed: Computer activation required"
	StatusActivationPending  = "Failed: Computer activation pending"
	StatusUserInactive       = "User is Inactive"
	StatusFlowDisabled       = "Username-Password Flow Disabled"
)

// LoginType and ApiType values the emulator records. "Remote Access 2.0"
// is the LoginType of OAuth logins; the emulator calls SOAP login() logins
// "Other Apex API" with ApiType "SOAP Partner" (the object reference gives
// "Soap Enterprise" as an ApiType example; the exact LoginType of partner
// API logins is not documented).
const (
	LoginTypeSOAP  = "Other Apex API"
	LoginTypeOAuth = "Remote Access 2.0"
	APITypeSOAP    = "SOAP Partner"
)

// LoginRecord is one LoginHistory row.
type LoginRecord struct {
	ID          string
	UserID      string
	LoginTime   time.Time
	LoginType   string
	Status      string
	Application string
	APIType     string
	SourceIP    string
}

// HistoryQuery is one LoginHistory query the emulator answered: who asked,
// for whom, and how many records it returned.
type HistoryQuery struct {
	Time     time.Time
	CallerID string // the session's user
	UserID   string // the WHERE clause's
	Returned int
}

// loginHistory is the Server's LoginHistory store and query log.
type loginHistory struct {
	records []LoginRecord
	queries []HistoryQuery
}

// statusFor maps a login outcome to the Status Salesforce records. token
// tells a wrong security token from a wrong password: Salesforce's tokens
// are 24 characters, so the server can split them off; the emulator
// assumes Login History then says the token was the problem.
func statusFor(out loginOutcome, tokenWrong bool) string {
	switch out.code {
	case "":
		return StatusSuccess
	case CodeMustUseSecurityToken:
		return StatusTokenRequired
	case CodePasswordLockout:
		return StatusLockout
	case CodeRestrictedDomain:
		return StatusRestrictedIP
	case CodeRestrictedTime:
		return StatusRestrictedTime
	case CodeChallengeIssued:
		return StatusActivationRequired
	case "LOGIN_CHALLENGE_PENDING":
		return StatusActivationPending
	case CodeInvalidLogin:
		switch {
		case out.credentialsOK && out.user.Inactive:
			return StatusUserInactive
		case tokenWrong:
			return StatusTokenRequired
		case !out.credentialsOK:
			return StatusInvalidPassword
		}
	}
	return "" // not recorded: the emulator does not know the text
}

// tokenWrongLocked reports whether password is the user's password followed
// by 24 characters that are not the current token (a stale token).
func tokenWrongLocked(u *userState, password string) bool {
	const n = 24
	if u == nil || len(password) <= n {
		return false
	}
	return password[:len(password)-n] == u.Password && password[len(password)-n:] != u.SecurityToken
}

// recordLoginLocked adds a LoginHistory row for u (nothing for an unknown
// username or an unknown status, as Salesforce keeps history per user).
func (s *Server) recordLoginLocked(u *userState, r *http.Request, loginType, app, status string) {
	if u == nil || status == "" {
		return
	}
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	rec := LoginRecord{
		ID:          newID("0Ya"),
		UserID:      u.UserID,
		LoginTime:   s.now().UTC().Truncate(time.Millisecond),
		LoginType:   loginType,
		Status:      status,
		Application: app,
		SourceIP:    ip,
	}
	if loginType == LoginTypeSOAP {
		rec.APIType = APITypeSOAP
	}
	s.lh.records = append(s.lh.records, rec)
}

// LoginHistory returns the named user's records, newest first.
func (s *Server) LoginHistory(username string) []LoginRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.byName[strings.ToLower(username)]
	if u == nil {
		return nil
	}
	return s.historyOfLocked(u.UserID, -1)
}

// AddLoginRecord adds a record (tests: another user's, a clock-skewed one).
// An empty ID is generated.
func (s *Server) AddLoginRecord(rec LoginRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec.ID == "" {
		rec.ID = newID("0Ya")
	}
	s.lh.records = append(s.lh.records, rec)
}

// HistoryQueries returns the log of LoginHistory queries answered.
func (s *Server) HistoryQueries() []HistoryQuery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]HistoryQuery(nil), s.lh.queries...)
}

func (s *Server) historyOfLocked(userID string, limit int) []LoginRecord {
	var out []LoginRecord
	for i := len(s.lh.records) - 1; i >= 0; i-- { // newest first on equal times
		if r := s.lh.records[i]; r.UserID == userID {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LoginTime.After(out[j].LoginTime) })
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

var (
	historyQueryRe = regexp.MustCompile(`(?is)^\s*SELECT\s+(.+?)\s+FROM\s+LoginHistory\s+WHERE\s+UserId\s*=\s*'([0-9A-Za-z]{15,18})'\s+ORDER\s+BY\s+LoginTime\s+DESC(?:\s+LIMIT\s+([0-9]{1,4}))?\s*$`)
	fromHistoryRe  = regexp.MustCompile(`(?i)\bFROM\s+LoginHistory\b`)
	historyFields  = []string{"Id", "UserId", "LoginTime", "LoginType", "Status", "Application", "ApiType", "SourceIp"}
)

// salesforceTime is how the REST API writes a dateTime.
const salesforceTime = "2006-01-02T15:04:05.000-0700"

// queryLoginHistoryLocked answers SELECT <fields> FROM LoginHistory WHERE
// UserId = '…' ORDER BY LoginTime DESC [LIMIT n] in Salesforce's query
// format. Since API 37.0 every user may read their own records; the
// emulator returns other users' records to no one (an empty result), as
// for a user without Manage Users. It reports false for other queries.
func (s *Server) queryLoginHistoryLocked(w http.ResponseWriter, sess *session, q, base string) bool {
	if !fromHistoryRe.MatchString(q) {
		return false
	}
	m := historyQueryRe.FindStringSubmatch(q)
	if m == nil {
		writeRESTError(w, http.StatusBadRequest, "MALFORMED_QUERY",
			"sftest only understands SELECT <fields> FROM LoginHistory WHERE UserId = '<id>' ORDER BY LoginTime DESC [LIMIT n]; unexpected query: "+q)
		return true
	}
	var fields []string
	for _, raw := range strings.Split(m[1], ",") {
		f := strings.TrimSpace(raw)
		canon := ""
		for _, known := range historyFields {
			if strings.EqualFold(f, known) {
				canon = known
			}
		}
		if canon == "" {
			writeRESTError(w, http.StatusBadRequest, "INVALID_FIELD",
				fmt.Sprintf("No such column '%s' on entity 'LoginHistory'.", f))
			return true
		}
		fields = append(fields, canon)
	}
	limit := -1
	if m[3] != "" {
		limit, _ = strconv.Atoi(m[3])
	}
	userID := id18(m[2])
	var recs []LoginRecord
	if userID == sess.user.UserID {
		recs = s.historyOfLocked(userID, limit)
	}
	s.lh.queries = append(s.lh.queries, HistoryQuery{Time: s.now(), CallerID: sess.user.UserID, UserID: userID, Returned: len(recs)})

	var b strings.Builder
	fmt.Fprintf(&b, `{"totalSize":%d,"done":true,"records":[`, len(recs))
	for i, rec := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		values := map[string]any{
			"Id": rec.ID, "UserId": rec.UserID, "LoginTime": rec.LoginTime.UTC().Format(salesforceTime),
			"LoginType": rec.LoginType, "Status": rec.Status, "Application": nullable(rec.Application),
			"ApiType": nullable(rec.APIType), "SourceIp": nullable(rec.SourceIP),
		}
		b.Write(recordJSON("LoginHistory", base, values, fields))
	}
	b.WriteString("]}")
	// The emulator's clock, not the host's, so tests can skew it.
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	writeRawJSON(w, http.StatusOK, []byte(b.String()))
	return true
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// BrowserSignIn runs the web-server flow as a browser would — authorize
// (approved as username), then the code exchange with PKCE — and returns
// the refresh token, so tests can set up a browser sign-in profile without
// a browser. The app must list redirectURI and have no secret.
func (s *Server) BrowserSignIn(username, clientID, redirectURI string) (string, error) {
	s.mu.Lock()
	s.cfg.AuthorizeAs = username
	s.mu.Unlock()
	verifier := "sftest-pkce-verifier-" + randomString(43, alnum)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirectURI}, "state": {"sftest"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	resp, err := s.client.Get(s.url + "/services/oauth2/authorize?" + q.Encode())
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return "", fmt.Errorf("sftest: authorize did not redirect (HTTP %d)", resp.StatusCode)
	}
	if e := loc.Query().Get("error"); e != "" {
		return "", fmt.Errorf("sftest: authorize: %s", e)
	}
	resp, err = s.client.PostForm(s.url+"/services/oauth2/token", url.Values{"grant_type": {"authorization_code"},
		"code": {loc.Query().Get("code")}, "client_id": {clientID}, "redirect_uri": {redirectURI}, "code_verifier": {verifier}})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok tokenResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(&tok); err != nil || tok.RefreshToken == "" {
		return "", fmt.Errorf("sftest: code exchange gave no refresh token (HTTP %d)", resp.StatusCode)
	}
	return tok.RefreshToken, nil
}
