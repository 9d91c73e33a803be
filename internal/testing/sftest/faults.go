package sftest

// SOAP ExceptionCode values the emulator produces on its own. Any other
// code may be forced through [User.Fault]; it is echoed verbatim.
const (
	// CodeInvalidLogin is the generic credential failure.
	CodeInvalidLogin = "INVALID_LOGIN"
	// CodeMustUseSecurityToken answers a correct password sent without the
	// token from outside a trusted network.
	CodeMustUseSecurityToken = "LOGIN_MUST_USE_SECURITY_TOKEN"
	// CodePasswordLockout answers every login once a user is locked out.
	CodePasswordLockout = "PASSWORD_LOCKOUT"
	// CodeRestrictedTime is the login-hours restriction on the profile.
	CodeRestrictedTime = "LOGIN_DURING_RESTRICTED_TIME"
	// CodeRestrictedDomain is the Login IP Ranges restriction on the profile.
	CodeRestrictedDomain = "LOGIN_DURING_RESTRICTED_DOMAIN"
	// CodeChallengeIssued is the identity-verification challenge.
	CodeChallengeIssued = "LOGIN_CHALLENGE_ISSUED"
	// CodeAPIDisabledForOrg means the org or profile has no API access.
	CodeAPIDisabledForOrg = "API_DISABLED_FOR_ORG"
	// CodeAPICurrentlyDisabled is a temporary server-side API outage.
	CodeAPICurrentlyDisabled = "API_CURRENTLY_DISABLED"
	// CodeInsufficientAccess is what login() answers a user without the
	// Use Any API Auth permission.
	CodeInsufficientAccess = "INSUFFICIENT_ACCESS"
	// CodeRequestLimitExceeded is the org's API request limit.
	CodeRequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED"
	// CodeOrgLocked means the organization is locked.
	CodeOrgLocked = "ORG_LOCKED"
	// CodeOrgSuspended means the organization is suspended.
	CodeOrgSuspended = "ORG_SUSPENDED"
	// CodeUnsupportedAPIVersion answers login() on a retired or too new
	// API version (an UnexpectedErrorFault, not a LoginFault).
	CodeUnsupportedAPIVersion = "UNSUPPORTED_API_VERSION"
	// CodeInvalidSessionID answers SOAP calls other than login() without a
	// valid session (an UnexpectedErrorFault).
	CodeInvalidSessionID = "INVALID_SESSION_ID"
)

// FaultStyle selects how SOAP faults are serialized, so client tests can
// check that their parser tolerates the variations seen in the wild.
type FaultStyle int

const (
	// FaultStandard is what Salesforce sends: faultcode "sf:CODE" with the
	// sf prefix bound to urn:fault.partner.soap.sforce.com and a
	// detail/sf:LoginFault carrying sf:exceptionCode and sf:exceptionMessage.
	FaultStandard FaultStyle = iota
	// FaultNoDetail omits the detail element; only faultcode and
	// faultstring remain.
	FaultNoDetail
	// FaultNS1Prefix uses other prefixes for the same namespaces:
	// SOAP-ENV for the envelope and ns1 for the fault namespace
	// (faultcode "ns1:INVALID_LOGIN").
	FaultNS1Prefix
	// FaultNoPrefix writes the envelope in the default namespace, a
	// faultcode without prefix and an unprefixed detail whose LoginFault
	// declares the fault namespace as its default namespace.
	FaultNoPrefix
)

// String returns the constant's name.
func (f FaultStyle) String() string {
	switch f {
	case FaultStandard:
		return "FaultStandard"
	case FaultNoDetail:
		return "FaultNoDetail"
	case FaultNS1Prefix:
		return "FaultNS1Prefix"
	case FaultNoPrefix:
		return "FaultNoPrefix"
	}
	return "FaultStyle(?)"
}

// MsgInvalidLogin is Salesforce's exceptionMessage for INVALID_LOGIN.
const MsgInvalidLogin = "Invalid username, password, security token; or user locked out."

// faultMessages holds the exceptionMessage for each code. INVALID_LOGIN,
// LOGIN_MUST_USE_SECURITY_TOKEN, REQUEST_LIMIT_EXCEEDED, API_DISABLED_FOR_ORG
// and the two UnexpectedErrorFault texts are the strings Salesforce sends;
// the others paraphrase the ExceptionCode descriptions of the SOAP API
// Developer Guide, because the wire text is not documented.
var faultMessages = map[string]string{
	CodeInvalidLogin: MsgInvalidLogin,
	CodeMustUseSecurityToken: MsgInvalidLogin + " Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company\u2019s trusted networks, you must add a security token to your password to log in. " +
		"To get your new security token, log in to Salesforce. From your personal settings, enter Reset My Security Token in the Quick Find box, then select Reset My Security Token.",
	CodePasswordLockout:       "The user has exceeded the allowed number of login attempts. The user must contact the administrator to regain login access.",
	CodeRestrictedTime:        "Login denied: the current time is outside the login hours allowed for this user's profile.",
	CodeRestrictedDomain:      "Login denied: this IP address is outside the Login IP Ranges allowed for this user's profile.",
	CodeChallengeIssued:       "An email containing a verification code was sent to the user because they logged in from an untrusted IP address. The user can't log in until they add the security token to the end of their password.",
	CodeAPIDisabledForOrg:     "API is not enabled for this Organization or Partner",
	CodeAPICurrentlyDisabled:  "Because of a system problem, API functionality is temporarily unavailable.",
	CodeInsufficientAccess:    "The user doesn't have the Use Any API Auth permission required to call login().",
	CodeRequestLimitExceeded:  "TotalRequests Limit exceeded.",
	CodeOrgLocked:             "The organization is locked.",
	CodeOrgSuspended:          "The organization is suspended.",
	CodeUnsupportedAPIVersion: "Invalid Api version specified on URL",
	CodeInvalidSessionID:      "Invalid Session ID found in SessionHeader: Illegal Session",
}

// soapLoginDisabledMessage is the exceptionMessage for an org whose
// "Enable SOAP API login()" setting is off. Salesforce does not document
// the wire answer; the login() page documents INSUFFICIENT_ACCESS for the
// companion permission gate, so the emulator answers that code.
const soapLoginDisabledMessage = "SOAP API login() is disabled for this organization. Enable it in Setup (User Interface > Enable SOAP API login()) or authenticate with OAuth."

// faultMessage returns the exceptionMessage for code.
func faultMessage(code string) string {
	if m, ok := faultMessages[code]; ok {
		return m
	}
	return code
}

// OAuth error codes and descriptions, as Salesforce's token endpoint writes
// them (lowercase descriptions on the wire).
const (
	oauthInvalidRequest     = "invalid_request"
	oauthInvalidClientID    = "invalid_client_id"
	oauthInvalidClient      = "invalid_client"
	oauthInvalidGrant       = "invalid_grant"
	oauthInactiveUser       = "inactive_user"
	oauthInactiveOrg        = "inactive_org"
	oauthRateLimitExceeded  = "rate_limit_exceeded"
	oauthUnsupportedGrant   = "unsupported_grant_type"
	oauthRedirectMismatch   = "redirect_uri_mismatch"
	oauthAccessDenied       = "access_denied"
	oauthUnsupportedResp    = "unsupported_response_type"
	oauthUnsupportedTokType = "unsupported_token_type"

	descAuthFailure         = "authentication failure"
	descClientIDInvalid     = "client identifier invalid"
	descInvalidClientCreds  = "invalid client credentials"
	descExpiredToken        = "expired access/refresh token"
	descInvalidCode         = "invalid authorization code"
	descExpiredCode         = "expired authorization code"
	descInvalidVerifier     = "invalid code verifier"
	descIPRestricted        = "ip restricted or invalid login hours"
	descUserInactive        = "user is inactive"
	descOrgInactive         = "organization is locked, closed, or suspended"
	descRateLimit           = "number of logins exceeded"
	descGrantNotSupported   = "grant type not supported"
	descRedirectMismatch    = "redirect_uri must match configuration"
	descConsentDenied       = "end-user denied authorization"
	descRespTypeUnsupported = "response type not supported"
	descMissingChallenge    = "missing required code challenge"
	descBadChallengeMethod  = "invalid code challenge method"
	descMustPost            = "must use HTTP POST"
	descTokenTypeUnsupp     = "this token type is not supported"
)

// oauthErrorFor maps a SOAP exception code from a correct-credential login
// to the OAuth error the username-password grant answers.
func oauthErrorFor(code string) (errCode, desc string) {
	switch code {
	case CodeRestrictedTime, CodeRestrictedDomain:
		return oauthInvalidGrant, descIPRestricted
	case CodeRequestLimitExceeded:
		return oauthRateLimitExceeded, descRateLimit
	case CodeOrgLocked, CodeOrgSuspended:
		return oauthInactiveOrg, descOrgInactive
	default:
		// INVALID_LOGIN, LOGIN_MUST_USE_SECURITY_TOKEN, PASSWORD_LOCKOUT,
		// LOGIN_CHALLENGE_ISSUED, API_* and anything else: the token
		// endpoint does not tell them apart.
		return oauthInvalidGrant, descAuthFailure
	}
}
