package sfclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/oauth2"
)

const (
	tokenPath     = "/services/oauth2/token"
	authorizePath = "/services/oauth2/authorize"
	userInfoPath  = "/services/oauth2/userinfo"
	revokePath    = "/services/oauth2/revoke"
)

// oauthConfig is the x/oauth2 view of this login host. AuthStyleInParams is
// explicit: auto-detection answers any failure with a second token request,
// which would double the failed logins counted towards a lockout.
func (c *Checker) oauthConfig(clientSecret string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.clientID,
		ClientSecret: clientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   c.login.URL + authorizePath,
			TokenURL:  c.login.URL + tokenPath,
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// tokenInfo is what Salesforce adds to a token answer.
type tokenInfo struct {
	InstanceURL string // instance_url
	IdentityURL string // id: https://login…/id/ORGID/USERID
	OrgID       string // from the identity URL
	UserID      string // from the identity URL
}

var identityPathRE = regexp.MustCompile(`^/id/([0-9A-Za-z]{15,18})/([0-9A-Za-z]{15,18})/?$`)

// readTokenInfo reads instance_url and id from a token's extra fields.
// Salesforce sends no expires_in; nothing here relies on expiry.
func readTokenInfo(tok *oauth2.Token) (tokenInfo, error) {
	var ti tokenInfo
	ti.InstanceURL, _ = tok.Extra("instance_url").(string)
	ti.IdentityURL, _ = tok.Extra("id").(string)
	if !validInstance(ti.InstanceURL) {
		return ti, fmt.Errorf("%w: token answer without a valid instance_url", errNotSalesforce)
	}
	ti.InstanceURL = instanceOf(ti.InstanceURL)
	if u, err := url.Parse(ti.IdentityURL); err == nil {
		if m := identityPathRE.FindStringSubmatch(u.Path); m != nil {
			ti.OrgID, ti.UserID = m[1], m[2]
		}
	}
	return ti, nil
}

// errNotSalesforce marks an answer whose shape is not Salesforce's.
var errNotSalesforce = errors.New("answer is not Salesforce's")

// userInfoJSON is the part of /services/oauth2/userinfo this product uses.
type userInfoJSON struct {
	Sub               string `json:"sub"`
	UserID            string `json:"user_id"`
	OrganizationID    string `json:"organization_id"`
	PreferredUsername string `json:"preferred_username"`
	Name              string `json:"name"`
	Email             string `json:"email"`
	Active            *bool  `json:"active"`
}

// ParseUserInfo reads a userinfo answer.
func ParseUserInfo(body []byte) (userInfoJSON, error) {
	var ui userInfoJSON
	if err := json.Unmarshal(body, &ui); err != nil {
		return ui, fmt.Errorf("%w: userinfo is not JSON: %v", errNotSalesforce, err)
	}
	if ui.UserID == "" || ui.OrganizationID == "" {
		return ui, fmt.Errorf("%w: userinfo without user_id or organization_id", errNotSalesforce)
	}
	return ui, nil
}

// restError is Salesforce's REST error shape: [{"message":…,"errorCode":…}].
type restError struct {
	Message   string `json:"message"`
	ErrorCode string `json:"errorCode"`
}

// oauthErrorJSON is the OAuth error shape: {"error":…,"error_description":…}.
type oauthErrorJSON struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

var (
	// An OAuth error name: lower-case words joined by single underscores
	// ("invalid_grant"), at most 61 characters.
	oauthErrorRE = regexp.MustCompile(`^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$`)
	// A bare error word such as "Bad_OAuth_Token": letters in words joined
	// by single underscores, at least 3 characters. "OAuth_" is not one.
	bareErrorRE = regexp.MustCompile(`^[A-Za-z]+(?:_[A-Za-z]+)*$`)
)

// OAuthCode turns an OAuth error parameter into a Code ("invalid_grant" →
// OAUTH_INVALID_GRANT). It returns "" for a value that is not an OAuth
// error name.
func OAuthCode(errorParam string) Code {
	e := strings.TrimSpace(errorParam)
	if len(e) > 61 || !oauthErrorRE.MatchString(e) {
		return ""
	}
	return Code("OAUTH_" + strings.ToUpper(e))
}

// ParseAPIError reads an error body from a REST or OAuth endpoint: the OAuth
// shape, Salesforce's REST error array, or a bare word such as
// "Bad_OAuth_Token". It returns "" when nothing recognisable is there.
func ParseAPIError(body []byte) (code Code, message string) {
	trimmed := strings.TrimSpace(string(body))
	var oe oauthErrorJSON
	if json.Unmarshal(body, &oe) == nil && oe.Error != "" {
		if c := ClassifyOAuthError(oe.Error, oe.ErrorDescription); c != "" {
			return c, oe.ErrorDescription
		}
	}
	var re []restError
	if json.Unmarshal(body, &re) == nil && len(re) > 0 && validCode(re[0].ErrorCode) {
		return Code(re[0].ErrorCode), re[0].Message
	}
	if len(trimmed) >= 3 && len(trimmed) < 64 && bareErrorRE.MatchString(trimmed) {
		return Code(strings.ToUpper(trimmed)), trimmed
	}
	return "", ""
}

// retrieveErrorResult turns x/oauth2's error from the token endpoint into a
// code and Salesforce's description. ok is false when the error is not an
// answer from the token endpoint (a transport failure).
func retrieveErrorResult(err error) (code Code, message string, status int, ok bool) {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		if strings.HasPrefix(err.Error(), "oauth2: ") { // 2xx without a token, or unparsable
			return CodeUnexpectedResponse, "the token endpoint's answer is not an OAuth token", 0, true
		}
		return "", "", 0, false
	}
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	if c := ClassifyOAuthError(re.ErrorCode, re.ErrorDescription); c != "" {
		return c, re.ErrorDescription, status, true
	}
	if status >= 500 {
		return CodeServerUnavailable, fmt.Sprintf("the token endpoint answered HTTP %d", status), status, true
	}
	return CodeUnexpectedResponse, fmt.Sprintf("the token endpoint answered HTTP %d without an OAuth error", status), status, true
}

// bearerGET sends an authenticated GET and returns the body of a 200 answer.
// Any other status becomes an *httpStatusError with the body's error code.
func (c *Checker) bearerGET(ctx context.Context, rawURL, accessToken string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body, MaxResponseBytes)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		code, msg := ParseAPIError(body)
		return nil, &httpStatusError{Status: resp.StatusCode, Code: code, Message: msg, ContentType: resp.Header.Get("Content-Type")}
	}
	return body, nil
}

// httpStatusError is a non-200 answer to a REST call.
type httpStatusError struct {
	Status      int
	Code        Code
	Message     string
	ContentType string
}

func (e *httpStatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s %s", e.Status, e.Code, e.Message)
}

// orgQueryJSON is the answer to SELECT Name, IsSandbox FROM Organization.
type orgQueryJSON struct {
	Records []struct {
		Name      string `json:"Name"`
		IsSandbox *bool  `json:"IsSandbox"`
	} `json:"records"`
}

// instanceAllowed tells whether a token may be sent to the instance URL
// Salesforce returned: the login host itself, or a Salesforce domain over
// https. Anything else is a host the user did not choose.
func (c *Checker) instanceAllowed(instance string) bool {
	u, err := url.Parse(instance)
	if err != nil {
		return false
	}
	if u.Scheme+"://"+u.Host == c.login.URL {
		return true
	}
	return u.Scheme == "https" && isSalesforceDomain(strings.ToLower(u.Hostname()))
}
