package sfclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Credentials are the secrets of one attempt. Their String and GoString
// forms never show a value.
type Credentials struct {
	Username      string
	Password      string // without the token; the Checker appends it
	SecurityToken string // "" when the user has none (trusted network or Login IP Ranges)
	ClientSecret  string // OAuth consumer secret; "" for a public client
	RefreshToken  string // MethodOAuthBrowser

	// OnRefreshTokenRotated, when set, receives a new refresh token that
	// Salesforce returned in place of RefreshToken; the caller stores it.
	OnRefreshTokenRotated func(newToken string)
}

// String shows which secrets are present, never their values.
func (c Credentials) String() string {
	return fmt.Sprintf("Credentials{Username:%q Password:%s SecurityToken:%s ClientSecret:%s RefreshToken:%s}",
		c.Username, present(c.Password), present(c.SecurityToken), present(c.ClientSecret), present(c.RefreshToken))
}

// GoString is String, so %#v cannot print a secret either.
func (c Credentials) GoString() string { return c.String() }

func present(s string) string {
	if s == "" {
		return "none"
	}
	return "set"
}

// Check makes one login attempt with cr and explains the outcome. It sends
// exactly one login request (SOAP login() or one OAuth token request); an
// OAuth token is then verified with userinfo. Only when the attempt failed
// without a Salesforce verdict does it probe the unauthenticated version
// list, to tell "cannot reach Salesforce" from "something else answered".
func (c *Checker) Check(ctx context.Context, cr Credentials) Result {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	cr.SecurityToken = strings.TrimSpace(cr.SecurityToken)
	cr.Username = strings.TrimSpace(cr.Username)
	var r Result
	var inputErr *InputError
	if c.method != MethodOAuthBrowser {
		// No request for an input that cannot be a credential.
		errors.As(ValidateCredentials(cr), &inputErr)
	}
	switch {
	case inputErr != nil:
		r = Result{Code: CodeCredentialsMalformed, Message: inputErr.Error(), Suspect: inputErr.Field}
	case c.method == MethodOAuthPassword:
		r = c.checkOAuthPassword(ctx, cr)
	case c.method == MethodOAuthBrowser:
		r = c.checkRefreshToken(ctx, cr)
	default:
		r = c.checkSOAP(ctx, cr)
	}
	r.Method = c.method
	r.LoginURL = c.login.URL
	if r.Username == "" {
		r.Username = cr.Username
	}
	if !r.OK && needsProbe(r.Code) && ctx.Err() == nil {
		c.probe(ctx, &r)
	}
	diagnose(&r, diagInput{
		method:         c.method,
		hasToken:       cr.SecurityToken != "",
		host:           c.login,
		username:       cr.Username,
		passwordSpaces: cr.Password != strings.TrimSpace(cr.Password),
		timeout:        c.timeout,
	})
	r.Warnings = append(append([]string(nil), c.warnings...), r.Warnings...)
	r.ElapsedMS = time.Since(start).Milliseconds()
	cleanResult(&r)
	return r
}

func (c *Checker) checkSOAP(ctx context.Context, cr Credentials) Result {
	body, err := buildSOAPLogin(cr.Username, cr.Password+cr.SecurityToken)
	if err != nil {
		return Result{Code: CodeUnexpectedResponse, Message: err.Error()}
	}
	endpoint := c.login.URL + soapLoginPath + soapVersion(c.apiVersion)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return Result{Code: CodeUnexpectedResponse, Message: err.Error()}
	}
	req.Header.Set("Content-Type", "text/xml; charset=UTF-8")
	req.Header.Set("SOAPAction", "login")
	req.Header.Set("Accept", "text/xml")
	resp, err := c.client.Do(req)
	if err != nil {
		return failureResult(classifyTransport(err, c.login.Host))
	}
	defer resp.Body.Close()
	if isRedirect(resp.StatusCode) {
		return redirectResult(resp)
	}
	data, err := readLimited(resp.Body, MaxResponseBytes)
	if err != nil {
		return c.bodyReadFailure(err)
	}
	lr, err := ParseSOAPLogin(data)
	var fault *SOAPFault
	switch {
	case errors.As(err, &fault):
		if fault.Code == "" {
			return Result{Code: CodeUnexpectedResponse, Message: "Salesforce answered with a SOAP fault without an exception code: " + fault.Message}
		}
		return Result{Code: Code(fault.Code), Message: fault.Message}
	case err != nil:
		return unexpectedAnswer(resp, data)
	}
	r := Result{
		OK:                  true,
		InstanceURL:         instanceOf(lr.ServerURL),
		Username:            lr.UserInfo.UserName,
		UserID:              firstNonEmpty(lr.UserID, lr.UserInfo.UserID),
		UserFullName:        lr.UserInfo.UserFullName,
		UserEmail:           lr.UserInfo.UserEmail,
		OrganizationID:      lr.UserInfo.OrganizationID,
		OrganizationName:    lr.UserInfo.OrganizationName,
		Sandbox:             lr.Sandbox,
		PasswordExpired:     lr.PasswordExpired,
		SessionSecondsValid: lr.UserInfo.SessionSecondsValid,
	}
	if lr.PasswordExpired {
		r.OK = false
		r.Code = CodePasswordExpired
		r.Message = "The login worked, but the password has expired."
	}
	handOver(ctx, r, lr.SessionID, time.Now(), lr.UserInfo.SessionSecondsValid)
	return r
}

func (c *Checker) checkOAuthPassword(ctx context.Context, cr Credentials) Result {
	octx := context.WithValue(ctx, oauth2.HTTPClient, c.client)
	tok, err := c.oauthConfig(cr.ClientSecret).PasswordCredentialsToken(octx, cr.Username, cr.Password+cr.SecurityToken)
	if err != nil {
		return c.tokenFailure(err)
	}
	return c.verifyToken(ctx, tok)
}

func (c *Checker) checkRefreshToken(ctx context.Context, cr Credentials) Result {
	if cr.RefreshToken == "" {
		return Result{Code: CodeOAuthInvalidGrant, Message: "no refresh token is saved for this profile"}
	}
	octx := context.WithValue(ctx, oauth2.HTTPClient, c.client)
	// An empty access token makes the source refresh at once: one request.
	tok, err := c.oauthConfig(cr.ClientSecret).TokenSource(octx, &oauth2.Token{RefreshToken: cr.RefreshToken}).Token()
	if err != nil {
		return c.refreshFailure(err)
	}
	if tok.RefreshToken != "" && tok.RefreshToken != cr.RefreshToken && cr.OnRefreshTokenRotated != nil {
		cr.OnRefreshTokenRotated(tok.RefreshToken)
	}
	return c.verifyToken(ctx, tok)
}

// tokenFailure turns a failed token request into a Result.
func (c *Checker) tokenFailure(err error) Result {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil && isRedirect(re.Response.StatusCode) {
		return redirectResult(re.Response)
	}
	if code, msg, _, ok := retrieveErrorResult(err); ok {
		return Result{Code: code, Message: msg}
	}
	return failureResult(classifyTransport(err, c.login.Host))
}

// verifyToken proves an access token works, with userinfo on the login host,
// and reads the organisation's name and sandbox flag from the instance in
// parallel. Only userinfo decides the outcome.
func (c *Checker) verifyToken(ctx context.Context, tok *oauth2.Token) Result {
	ti, err := readTokenInfo(tok)
	if err != nil {
		return Result{Code: CodeUnexpectedResponse, Message: err.Error()}
	}
	r := Result{OK: true, InstanceURL: ti.InstanceURL, UserID: ti.UserID, OrganizationID: ti.OrgID,
		Sandbox: c.login.Kind.IsSandbox() || strings.Contains(ti.InstanceURL, ".sandbox.")}

	var org orgQueryJSON
	var orgErr error
	var wg sync.WaitGroup
	if c.instanceAllowed(ti.InstanceURL) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := url.Values{"q": {"SELECT Name, IsSandbox FROM Organization"}}
			body, err := c.bearerGET(ctx, fmt.Sprintf("%s/services/data/v%s/query?%s", ti.InstanceURL, c.apiVersion, q.Encode()), tok.AccessToken)
			if err == nil {
				err = json.Unmarshal(body, &org)
			}
			orgErr = err
		}()
	}
	body, err := c.bearerGET(ctx, c.login.URL+userInfoPath, tok.AccessToken)
	wg.Wait()
	if err != nil {
		return c.restFailure(err, "userinfo")
	}
	ui, err := ParseUserInfo(body)
	if err != nil {
		return Result{Code: CodeUnexpectedResponse, Message: err.Error()}
	}
	r.UserID = ui.UserID
	r.OrganizationID = ui.OrganizationID
	r.Username = ui.PreferredUsername
	r.UserFullName = ui.Name
	r.UserEmail = ui.Email
	if orgErr == nil && len(org.Records) > 0 {
		r.OrganizationName = org.Records[0].Name
		if org.Records[0].IsSandbox != nil {
			r.Sandbox = *org.Records[0].IsSandbox
		}
	}
	handOver(ctx, r, tok.AccessToken, issuedAt(tok), 0)
	return r
}

// restFailure turns a failed REST call into a Result.
func (c *Checker) restFailure(err error, what string) Result {
	var se *httpStatusError
	switch {
	case errors.As(err, &se) && (se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden):
		msg := fmt.Sprintf("Salesforce issued a token but %s answered HTTP %d", what, se.Status)
		if se.Message != "" {
			msg += ": " + se.Message
		}
		return Result{Code: CodeUserInfoRejected, Message: msg}
	case errors.As(err, &se) && se.Status >= 500:
		return Result{Code: CodeServerUnavailable, Message: fmt.Sprintf("%s answered HTTP %d", what, se.Status)}
	case errors.As(err, &se):
		return Result{Code: CodeUnexpectedResponse, Message: fmt.Sprintf("%s answered HTTP %d", what, se.Status)}
	}
	if errors.Is(err, errTooLarge) {
		return c.bodyReadFailure(err)
	}
	return failureResult(classifyTransport(err, c.login.Host))
}

func (c *Checker) bodyReadFailure(err error) Result {
	if errors.Is(err, errTooLarge) {
		return Result{Code: CodeUnexpectedResponse, Message: fmt.Sprintf("the answer was larger than %d KiB, which no Salesforce login answer is", MaxResponseBytes>>10)}
	}
	return failureResult(classifyTransport(err, c.login.Host))
}

func failureResult(f failure) Result {
	return Result{Code: f.code, Message: f.message, detail: f.detail}
}

// isRedirect tells the statuses that carry a Location to follow.
func isRedirect(status int) bool {
	return status >= 300 && status < 400 && status != http.StatusNotModified
}

// redirectResult reports a redirected login: never followed, since a 307
// or 308 re-sends the password. Where it points (scheme and host, nothing
// that could hold a secret) goes to the hint.
func redirectResult(resp *http.Response) Result {
	r := Result{Code: CodeLoginRedirected, Message: fmt.Sprintf("the login service answered HTTP %d, a redirect", resp.StatusCode)}
	if loc, err := resp.Location(); err == nil && loc.Host != "" && (loc.Scheme == "https" || loc.Scheme == "http") {
		r.redirect = strings.ToLower(loc.Scheme) + "://" + strings.ToLower(loc.Host)
		r.Message += " to " + printable(r.redirect, 120)
	}
	r.Message += "; AdvoLogix Connect does not follow a login's redirects, so nothing was sent again"
	return r
}

// unexpectedAnswer describes an answer that is not a SOAP login answer.
func unexpectedAnswer(resp *http.Response, body []byte) Result {
	what := describeAnswer(resp, body)
	if resp.StatusCode >= 500 {
		return Result{Code: CodeServerUnavailable, Message: "the login service answered " + what}
	}
	return Result{Code: CodeUnexpectedResponse, Message: "the login service answered " + what}
}

// titleRE is compiled on first use: its bounded repetition makes it the
// costliest pattern to compile, and most processes never describe an
// unexpected answer (issue 24: the command line's start).
var titleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.{0,200}?)</title>`) })

// describeAnswer says in a few words what came back: "HTTP 302 redirect to
// https://portal.example/", "an HTML page titled "Guest Wi-Fi" (HTTP 200)".
func describeAnswer(resp *http.Response, body []byte) string {
	status := fmt.Sprintf("HTTP %d", resp.StatusCode)
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc := resp.Header.Get("Location"); loc != "" {
			if u, err := url.Parse(loc); err == nil {
				u.RawQuery, u.Fragment, u.User = "", "", nil
				loc = u.String()
			}
			return fmt.Sprintf("%s, a redirect to %s", status, printable(loc, 120))
		}
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if m := titleRE().FindSubmatch(body); m != nil {
		return fmt.Sprintf("an HTML page titled %q (%s)", printable(strings.TrimSpace(string(m[1])), 80), status)
	}
	switch {
	case len(bytes.TrimSpace(body)) == 0:
		return status + " with an empty body"
	case ct != "":
		return fmt.Sprintf("%s with %s that is not a SOAP login answer", status, ct)
	}
	return status + " with a body that is not a SOAP login answer"
}

// printable keeps at most n runes of s, without control characters.
func printable(s string, n int) string {
	var b strings.Builder
	for _, r := range CleanText(s) {
		if n == 0 {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n--
	}
	return b.String()
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
