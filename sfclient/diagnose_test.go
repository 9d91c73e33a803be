package sfclient

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

func TestEnvironmentMismatch(t *testing.T) {
	prod, _ := ParseLoginURL("login.salesforce.com")
	myDomain, _ := ParseLoginURL("firm.my.salesforce.com")
	sandbox, _ := ParseLoginURL("test.salesforce.com")
	tests := []struct {
		user    string
		host    LoginURL
		suspect Field
		hintHas string
	}{
		{"jane@firm.com.uat", prod, FieldEnvironment, "“.uat”"},
		{"jane@firm.law.full", myDomain, FieldEnvironment, "choose Sandbox"},
		{"jane@firm.com", sandbox, FieldEnvironment, "choose Production"},
		{"jane@firm.com", prod, FieldToken, "security token was reset"},
		{"jane@firm.com.uat", sandbox, FieldToken, "security token was reset"},
	}
	for _, tt := range tests {
		t.Run(tt.user+"@"+tt.host.Host, func(t *testing.T) {
			r := Result{Code: CodeInvalidLogin}
			diagnose(&r, diagInput{method: MethodSOAP, hasToken: true, host: tt.host, username: tt.user})
			if r.Suspect != tt.suspect || !strings.Contains(r.Hint, tt.hintHas) {
				t.Errorf("suspect %q hint %q; want %q and %q", r.Suspect, r.Hint, tt.suspect, tt.hintHas)
			}
		})
	}
}

func TestClassifyTransport(t *testing.T) {
	unknown := x509.UnknownAuthorityError{Cert: &x509.Certificate{}}
	unknown.Cert.Issuer.CommonName = "Zscaler Root CA"
	tests := []struct {
		err    error
		code   Code
		detail netDetail
		msgHas string
	}{
		{&net.DNSError{Err: "no such host", Name: "frim.my.salesforce.com", IsNotFound: true}, CodeNetwork, netDNS, "could not find"},
		{fmt.Errorf("tls: %w", x509.CertificateInvalidError{Reason: x509.Expired}), CodeTLS, tlsExpired, "not valid"},
		{x509.HostnameError{Host: "login.salesforce.com", Certificate: &x509.Certificate{}}, CodeTLS, tlsWrongHost, "not for"},
		{fmt.Errorf("wrapped: %w", unknown), CodeTLS, tlsUnknownAuthority, `"Zscaler Root CA"`},
		{&net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("dial tcp: connection refused")}, CodeProxy, netGeneric, "proxy"},
		{errors.New("weird"), CodeNetwork, netGeneric, "weird"},
	}
	for _, tt := range tests {
		f := classifyTransport(tt.err, "login.salesforce.com")
		if f.code != tt.code || f.detail != tt.detail || !strings.Contains(f.message, tt.msgHas) {
			t.Errorf("classify(%v) = %+v, want %s/%d containing %q", tt.err, f, tt.code, tt.detail, tt.msgHas)
		}
	}
}

// TestEveryCodeHasAHint: no failure code reaches the user without a
// headline and a hint.
func TestEveryCodeHasAHint(t *testing.T) {
	host, _ := ParseLoginURL("login.salesforce.com")
	codes := []Code{CodeInvalidLogin, CodeMustUseSecurityToken, CodePasswordLockout, CodeRestrictedTime, CodeRestrictedDomain,
		CodeChallengeIssued, CodeChallengePending, CodeAPIDisabledForOrg, CodeAPICurrentlyDisabled, CodeRequestLimitExceeded,
		CodeUnsupportedAPIVersion, CodeInsufficientAccess, CodeInvalidOperation, CodeInvalidExpiredPassword, CodeOrgLocked,
		CodeInvalidSessionID, CodeSSOServiceDown, CodeInvalidSSOGatewayURL, CodeLoginRateExceeded, CodeUserInactive,
		CodeTrialExpired, CodeOrgSuspended, CodeOrgInMaintenance, CodeFunctionalityNotEnabled,
		CodeOAuthInvalidGrant, CodeOAuthInvalidClientID, CodeOAuthInvalidClient, CodeOAuthInactiveUser, CodeOAuthInactiveOrg,
		CodeOAuthRateLimitExceeded, CodeOAuthUnsupportedGrantType, CodeOAuthInvalidRequest, CodeOAuthInvalidScope,
		CodeOAuthRedirectURIMismatch, CodeOAuthAccessDenied, CodePasswordExpired, CodeNetwork, CodeTimeout, CodeTLS,
		CodeProxy, CodeServerUnavailable, CodeUnexpectedResponse, CodeUserInfoRejected, "SOMETHING_NEW"}
	for _, c := range codes {
		for _, hasToken := range []bool{false, true} {
			r := Result{Code: c}
			diagnose(&r, diagInput{method: MethodSOAP, hasToken: hasToken, host: host, username: "jane@firm.com"})
			if r.Headline == "" || r.Hint == "" {
				t.Errorf("%s (token %v): headline %q hint %q", c, hasToken, r.Headline, r.Hint)
			}
		}
	}
}

// TestHintsFitEveryFace: the hints are written for the window, the wizard,
// the tray and the command line alike: the token reset is named for
// Lightning and Classic, a timeout does not send anyone to an option only
// the command line has, and the spelling of a My Domain is suspected only
// when the login address is one.
func TestHintsFitEveryFace(t *testing.T) {
	host := func(s string) LoginURL {
		u, err := ParseLoginURL(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	tests := []struct {
		name      string
		r         Result
		in        diagInput
		has, lack []string
	}{
		{"stale token", Result{Code: CodeMustUseSecurityToken}, diagInput{hasToken: true, host: host("login.salesforce.com")},
			[]string{"My Personal Information", "My Settings → Personal", "Reset My Security Token"}, nil},
		{"timeout", Result{Code: CodeTimeout}, diagInput{host: host("login.salesforce.com"), timeout: 300_000_000},
			[]string{"300ms", "proxy"}, []string{"--timeout", "raise"}},
		{"DNS, production", Result{Code: CodeNetwork, detail: netDNS}, diagInput{host: host("login.salesforce.com")},
			[]string{"online", "proxy"}, []string{"My Domain"}},
		{"DNS, sandbox", Result{Code: CodeNetwork, detail: netDNS}, diagInput{host: host("test.salesforce.com")},
			[]string{"online"}, []string{"My Domain"}},
		{"DNS, My Domain", Result{Code: CodeNetwork, detail: netDNS}, diagInput{host: host("frim.my.salesforce.com")},
			[]string{"spelling of your My Domain", "online"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r
			tt.in.method = MethodSOAP
			diagnose(&r, tt.in)
			for _, s := range tt.has {
				if !strings.Contains(r.Hint, s) {
					t.Errorf("hint %q lacks %q", r.Hint, s)
				}
			}
			for _, s := range tt.lack {
				if strings.Contains(r.Hint, s) {
					t.Errorf("hint %q says %q", r.Hint, s)
				}
			}
		})
	}
}
