package sfclient

// Code is the stable identifier of an outcome. Salesforce's SOAP exception
// codes are used verbatim, OAuth errors become "OAUTH_" plus the upper-cased
// error, and failures seen only by the client have codes of their own.
// The empty Code means the login works.
type Code string

// Codes from Salesforce's SOAP API (ExceptionCode), used verbatim.
const (
	CodeInvalidLogin            Code = "INVALID_LOGIN"
	CodeMustUseSecurityToken    Code = "LOGIN_MUST_USE_SECURITY_TOKEN"
	CodePasswordLockout         Code = "PASSWORD_LOCKOUT"
	CodeRestrictedTime          Code = "LOGIN_DURING_RESTRICTED_TIME"
	CodeRestrictedDomain        Code = "LOGIN_DURING_RESTRICTED_DOMAIN"
	CodeChallengeIssued         Code = "LOGIN_CHALLENGE_ISSUED"
	CodeChallengePending        Code = "LOGIN_CHALLENGE_PENDING"
	CodeAPIDisabledForOrg       Code = "API_DISABLED_FOR_ORG"
	CodeAPICurrentlyDisabled    Code = "API_CURRENTLY_DISABLED"
	CodeRequestLimitExceeded    Code = "REQUEST_LIMIT_EXCEEDED"
	CodeUnsupportedAPIVersion   Code = "UNSUPPORTED_API_VERSION"
	CodeInsufficientAccess      Code = "INSUFFICIENT_ACCESS"
	CodeInvalidOperation        Code = "INVALID_OPERATION"
	CodeInvalidExpiredPassword  Code = "INVALID_OPERATION_WITH_EXPIRED_PASSWORD"
	CodeOrgLocked               Code = "ORG_LOCKED"
	CodeInvalidSessionID        Code = "INVALID_SESSION_ID"
	CodeSSOServiceDown          Code = "SSO_SERVICE_DOWN"
	CodeInvalidSSOGatewayURL    Code = "INVALID_SSO_GATEWAY_URL"
	CodeLoginRateExceeded       Code = "LOGIN_RATE_EXCEEDED"
	CodeUserInactive            Code = "INACTIVE_OWNER_OR_USER"
	CodeTooManyApexRequests     Code = "TOO_MANY_APEX_REQUESTS"
	CodeUnsupportedClient       Code = "UNSUPPORTED_CLIENT"
	CodeInvalidClient           Code = "INVALID_CLIENT"
	CodeTrialExpired            Code = "TRIAL_EXPIRED"
	CodeOrgSuspended            Code = "ORG_SUSPENDED"
	CodeOrgInMaintenance        Code = "ORG_IN_MAINTENANCE"
	CodeFunctionalityNotEnabled Code = "FUNCTIONALITY_NOT_ENABLED"
)

// Codes for OAuth errors: "OAUTH_" + the upper-cased error parameter.
const (
	CodeOAuthInvalidGrant         Code = "OAUTH_INVALID_GRANT"
	CodeOAuthInvalidClientID      Code = "OAUTH_INVALID_CLIENT_ID"
	CodeOAuthInvalidClient        Code = "OAUTH_INVALID_CLIENT"
	CodeOAuthInactiveUser         Code = "OAUTH_INACTIVE_USER"
	CodeOAuthInactiveOrg          Code = "OAUTH_INACTIVE_ORG"
	CodeOAuthRateLimitExceeded    Code = "OAUTH_RATE_LIMIT_EXCEEDED"
	CodeOAuthUnsupportedGrantType Code = "OAUTH_UNSUPPORTED_GRANT_TYPE"
	CodeOAuthInvalidRequest       Code = "OAUTH_INVALID_REQUEST"
	CodeOAuthInvalidScope         Code = "OAUTH_INVALID_SCOPE"
	CodeOAuthRedirectURIMismatch  Code = "OAUTH_REDIRECT_URI_MISMATCH"
	CodeOAuthAccessDenied         Code = "OAUTH_ACCESS_DENIED"
)

// Codes the client assigns itself.
const (
	// CodePasswordExpired: the login succeeded but the password has expired,
	// so the user cannot work until they set a new one.
	CodePasswordExpired Code = "PASSWORD_EXPIRED"
	// CodeNetwork: no connection to the login host (DNS, refused, unreachable).
	CodeNetwork Code = "NETWORK_ERROR"
	// CodeTimeout: the attempt did not finish within its time limit.
	CodeTimeout Code = "TIMEOUT"
	// CodeTLS: the secure connection failed (certificate not trusted, expired,
	// for another host, or the server does not speak TLS).
	CodeTLS Code = "TLS_ERROR"
	// CodeProxy: the HTTP proxy refused or failed the connection.
	CodeProxy Code = "PROXY_ERROR"
	// CodeServerUnavailable: a 5xx answer that is not a SOAP fault.
	CodeServerUnavailable Code = "SERVER_UNAVAILABLE"
	// CodeUnexpectedResponse: the answer is not Salesforce's, is malformed,
	// or is larger than the read limit.
	CodeUnexpectedResponse Code = "UNEXPECTED_RESPONSE"
	// CodeUserInfoRejected: Salesforce issued a token but its userinfo
	// endpoint refused it (usually a connected app without the openid/id scope).
	CodeUserInfoRejected Code = "USERINFO_REJECTED"
	// CodeCanceled: the caller cancelled the attempt.
	CodeCanceled Code = "CANCELED"
	// CodeLoginRedirected: the login (or token) request was answered with a
	// redirect. It is never followed: a 307 or 308 would re-send the
	// password, and each copy counts as a failed login towards a lockout.
	CodeLoginRedirected Code = "LOGIN_REDIRECTED"
	// CodeCredentialsMalformed: an input cannot be a Salesforce credential
	// (a blank or overlong username, a control character or invalid UTF-8
	// in the password or token); nothing was sent. Suspect names the field.
	CodeCredentialsMalformed Code = "CREDENTIALS_MALFORMED"
)

// Codes of a browser sign-in that did not finish (SignInError); OAuth
// errors from the callback or the token endpoint keep their OAUTH_ codes.
const (
	// CodeSignInTimeout: nobody finished signing in within the wait.
	CodeSignInTimeout Code = "SIGNIN_TIMEOUT"
	// CodeSignInExchangeTimeout: the browser's answer came, but Salesforce
	// did not complete the code exchange within the attempt's timeout.
	CodeSignInExchangeTimeout Code = "SIGNIN_EXCHANGE_TIMEOUT"
	// CodeSignInPortInUse: the loopback callback port is taken.
	CodeSignInPortInUse Code = "SIGNIN_PORT_IN_USE"
	// CodeSignInBrowser: the browser could not be opened.
	CodeSignInBrowser Code = "SIGNIN_BROWSER"
	// CodeSignInNoRefreshToken: Salesforce issued no refresh token (the
	// connected app lacks the refresh_token scope).
	CodeSignInNoRefreshToken Code = "SIGNIN_NO_REFRESH_TOKEN"
)

// Method names a way of logging in.
type Method string

// Login methods.
const (
	// MethodSOAP is the SOAP partner API login() call (password + token).
	MethodSOAP Method = "soap"
	// MethodOAuthPassword is the OAuth 2.0 username-password flow.
	MethodOAuthPassword Method = "oauth-password"
	// MethodOAuthBrowser is the OAuth 2.0 web-server flow with PKCE; checks
	// use the refresh token it left behind.
	MethodOAuthBrowser Method = "oauth-browser"
)

// Label is the method's name for people.
func (m Method) Label() string {
	switch m {
	case MethodSOAP:
		return "SOAP login()"
	case MethodOAuthPassword:
		return "OAuth username-password"
	case MethodOAuthBrowser:
		return "Browser sign-in (OAuth)"
	}
	return string(m)
}

// ParseMethod accepts the command line's and the settings file's names.
func ParseMethod(s string) (Method, error) {
	switch Method(s) {
	case "", MethodSOAP:
		return MethodSOAP, nil
	case MethodOAuthPassword, MethodOAuthBrowser:
		return Method(s), nil
	}
	return "", &ConfigError{Field: "method", Value: s, Reason: "must be soap, oauth-password or oauth-browser"}
}

// Field names the input most likely at fault, so a form or wizard can send
// the user back to it.
type Field string

// Fields a Result can point at.
const (
	FieldNone        Field = ""
	FieldEnvironment Field = "environment"
	FieldUsername    Field = "username"
	FieldPassword    Field = "password"
	FieldToken       Field = "token"
	FieldAdvanced    Field = "advanced" // method, client id, API version, proxy, CA file
	FieldNetwork     Field = "network"
	FieldAccount     Field = "account" // something only an admin or time fixes
)

// Result is the outcome of one check. Its JSON form is the command line's
// `check --json` contract; fields tagged "-" are for the UI only. A Result
// never holds a secret.
type Result struct {
	OK               bool   `json:"ok"`
	Code             Code   `json:"code"`
	Message          string `json:"message"`
	Hint             string `json:"hint"`
	Method           Method `json:"method"`
	LoginURL         string `json:"login_url"`
	InstanceURL      string `json:"instance_url"`
	Username         string `json:"username"`
	UserID           string `json:"user_id"`
	UserFullName     string `json:"user_full_name"`
	OrganizationID   string `json:"organization_id"`
	OrganizationName string `json:"organization_name"`
	Sandbox          bool   `json:"sandbox"`
	PasswordExpired  bool   `json:"password_expired"`
	ElapsedMS        int64  `json:"elapsed_ms"`
	// LoginHistoryStatus is Salesforce's own Status for the failed attempt,
	// read from the user's Login History ("" when none was read).
	LoginHistoryStatus string `json:"login_history_status"`

	// Headline is a one-line summary for people ("Connected", "Security
	// token needed", …).
	Headline string `json:"-"`
	// Suspect is the input most likely at fault.
	Suspect Field `json:"-"`
	// Remedy names the setting Hint asks for; Hint then holds
	// Remedy.Way(), for a face to replace with its own way to it.
	Remedy Remedy `json:"-"`
	// UserEmail and SessionSecondsValid come from the login answer.
	UserEmail           string `json:"-"`
	SessionSecondsValid int    `json:"-"`
	// Warnings are notes that did not stop the check (a host that is not a
	// Salesforce domain, an API version lowered for SOAP login()).
	Warnings []string `json:"-"`
	// Reachable is set when a failure was explained by the pre-flight probe:
	// true when Salesforce's unauthenticated version list answered.
	Reachable *bool `json:"-"`

	detail    netDetail // refines network and TLS failures for the hint
	probeNote string    // what the probe found, folded into the hint
	redirect  string    // LOGIN_REDIRECTED: where to, scheme and host only
}

// Kind groups codes for people: did it work, did Salesforce say no to these
// credentials, or did we never get a real answer?
type Kind int

// Kinds of outcome.
const (
	KindOK          Kind = iota
	KindCredentials      // Salesforce answered and refused (fix an input or the account)
	KindConnection       // no usable answer from Salesforce (network, TLS, proxy, server)
)

// Kind tells which group the Result's code belongs to.
func (r Result) Kind() Kind {
	if r.OK {
		return KindOK
	}
	switch r.Code {
	case CodeNetwork, CodeTimeout, CodeTLS, CodeProxy, CodeServerUnavailable,
		CodeUnexpectedResponse, CodeCanceled, CodeLoginRedirected:
		return KindConnection
	}
	return KindCredentials
}

// Environment describes where the login host sits, for people.
func (r Result) Environment() string {
	if r.Sandbox {
		return "sandbox"
	}
	return "production"
}

// Who names the user for people: "Jane Doe (jane@firm.com)", or just the
// username when Salesforce gave no full name.
func (r Result) Who() string {
	switch {
	case r.UserFullName == "":
		return r.Username
	case r.Username == "":
		return r.UserFullName
	}
	return r.UserFullName + " (" + r.Username + ")"
}

// Org names the organisation: its name, else its id.
func (r Result) Org() string {
	if r.OrganizationName != "" {
		return r.OrganizationName
	}
	return r.OrganizationID
}
