package sftest

import (
	"net/http"
	"slices"
	"strings"
)

// Hostile lists the ways a hostile or broken login server misbehaves that
// client tests need. The zero value is a well-behaved Salesforce.
type Hostile struct {
	// LoginRedirect, when a 3xx status (307 and 308 keep the method and
	// body), answers every SOAP login() and every token request with it.
	// The Location is RedirectTo, or else the request's own URL: a
	// same-host redirect loop that re-posts the password on each turn.
	LoginRedirect int
	// RedirectTo is the Location sent with LoginRedirect (absolute, e.g.
	// "https://firm.my.salesforce.com/services/Soap/u/64.0").
	RedirectTo string
	// HangGrants lists token grant types ("authorization_code",
	// "password", "refresh_token") whose requests never get an answer:
	// the handler waits until the client gives up.
	HangGrants []string
	// ErrorDescription, when set, makes the token endpoint answer every
	// request with HTTP 400 invalid_grant and this error_description, and
	// is the error_description of a denied consent (Config.ConsentDenied).
	// Tests put terminal escapes and bidi overrides in it.
	ErrorDescription string
	// Echo makes the server repeat the secrets it is sent in what it
	// answers, as a careless or hostile server does; tests check that
	// none reaches the user's screen.
	Echo Echo
}

// Echo says where a hostile server repeats the secrets it is sent.
type Echo struct {
	// SOAPFault: a failed SOAP login()'s faultstring ends "You sent:
	// <password+token>".
	SOAPFault bool
	// TokenError: every token request is answered 400 invalid_grant with
	// an error_description quoting its refresh_token, password, code and
	// client_secret.
	TokenError bool
	// HistoryStatus: the Login History Status of a SOAP login quotes the
	// password it was sent.
	HistoryStatus bool
}

// SetHostile changes how the server misbehaves from now on.
func (s *Server) SetHostile(h Hostile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.Hostile = h
}

// isLoginRequest tells the requests that carry a password or grant.
func isLoginRequest(r *http.Request) bool {
	return r.Method == http.MethodPost &&
		(strings.HasPrefix(r.URL.Path, "/services/Soap/u/") || r.URL.Path == "/services/oauth2/token")
}

// serve answers r when a hostile mode applies to it and reports whether
// it did.
func (h Hostile) serve(w http.ResponseWriter, r *http.Request, grant string) bool {
	if h.LoginRedirect >= 300 && h.LoginRedirect < 400 && isLoginRequest(r) {
		loc := h.RedirectTo
		if loc == "" {
			loc = r.URL.RequestURI() // same host, same path: a loop
		}
		w.Header().Set("Location", loc)
		w.WriteHeader(h.LoginRedirect)
		return true
	}
	if r.URL.Path != "/services/oauth2/token" {
		return false
	}
	if h.Echo.TokenError {
		_ = r.ParseForm()
		var sent []string
		for _, k := range []string{"refresh_token", "password", "code", "client_secret"} {
			if v := r.PostForm.Get(k); v != "" {
				sent = append(sent, k+"="+v)
			}
		}
		writeOAuthError(w, oauthInvalidGrant, "You sent: "+strings.Join(sent, " "))
		return true
	}
	if slices.Contains(h.HangGrants, grant) {
		<-r.Context().Done()
		return true
	}
	if h.ErrorDescription != "" {
		writeOAuthError(w, oauthInvalidGrant, h.ErrorDescription)
		return true
	}
	return false
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
