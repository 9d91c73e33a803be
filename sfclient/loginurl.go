package sfclient

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Well-known login hosts.
const (
	ProductionLoginURL = "https://login.salesforce.com"
	SandboxLoginURL    = "https://test.salesforce.com"
)

// HostKind classifies a login host.
type HostKind int

// Kinds of login host.
const (
	HostOther           HostKind = iota // not a Salesforce login domain
	HostProduction                      // login.salesforce.com
	HostSandbox                         // test.salesforce.com
	HostMyDomain                        // name.my.salesforce.com
	HostMyDomainSandbox                 // name--sbx.sandbox.my.salesforce.com
	HostLoopback                        // 127.0.0.1, ::1, localhost: tests and the demo
)

// IsSandbox tells whether the host serves sandboxes only.
func (k HostKind) IsSandbox() bool { return k == HostSandbox || k == HostMyDomainSandbox }

// LoginURL is a checked and normalised login address: scheme and host (with
// a port when it is not the default), nothing else.
type LoginURL struct {
	URL      string   // e.g. "https://firm.my.salesforce.com"
	Host     string   // host name without port, lower case
	Kind     HostKind // what kind of host it is
	Warnings []string // e.g. "not a Salesforce domain"
}

// ConfigError reports an unusable setting: a refused URL, a bad API version,
// an unreadable CA file. Callers treat it as a usage error.
type ConfigError struct {
	Field  string // "login URL", "api-version", "ca-file", …
	Value  string // the offending value (never a secret)
	Reason string
	Err    error
}

func (e *ConfigError) Error() string {
	msg := e.Field
	if e.Value != "" {
		msg += fmt.Sprintf(" %q", e.Value)
	}
	msg += ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *ConfigError) Unwrap() error { return e.Err }

// ParseLoginURL accepts what users paste — "login.salesforce.com",
// "https://firm.lightning.force.com/lightning/page/home",
// "https://firm.my.salesforce.com/" — and returns the login address to use.
// Lightning and Setup hosts become their My Domain login host; paths,
// queries and trailing slashes are dropped. Only https is accepted, except
// plain http to a loopback host (for tests and the demo). A host that is not
// a Salesforce login domain is accepted with a warning.
func ParseLoginURL(raw string) (LoginURL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return LoginURL{}, &ConfigError{Field: "login URL", Reason: "is empty; use https://login.salesforce.com, https://test.salesforce.com or your My Domain"}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	// A value is shown back only when it cannot hold a password: whatever
	// precedes an '@' may be one (https://user:secret@host).
	shown := raw
	if strings.Contains(raw, "@") {
		shown = ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return LoginURL{}, &ConfigError{Field: "login URL", Value: shown, Reason: "is not a web address"}
	}
	if u.User != nil || strings.Contains(u.Host, "@") {
		return LoginURL{}, &ConfigError{Field: "login URL",
			Reason: "must not contain a user name or password (the part before '@'): enter the address alone, e.g. https://login.salesforce.com; the password goes in its own field"}
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	loopback := isLoopbackHost(host)
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !loopback {
			return LoginURL{}, &ConfigError{Field: "login URL", Value: shown,
				Reason: "must start with https:// (plain http is allowed only to this computer, for tests)"}
		}
	default:
		return LoginURL{}, &ConfigError{Field: "login URL", Value: shown, Reason: "must start with https://"}
	}
	if host == "" || strings.ContainsAny(host, " /\\@") {
		return LoginURL{}, &ConfigError{Field: "login URL", Value: shown, Reason: "has no valid host name"}
	}

	host = canonicalLoginHost(host)
	out := LoginURL{Host: host, Kind: classifyHost(host)}
	hostport := host
	if strings.Contains(host, ":") { // IPv6 literal
		hostport = "[" + host + "]"
	}
	scheme := strings.ToLower(u.Scheme)
	if port != "" && !(scheme == "https" && port == "443") && !(scheme == "http" && port == "80") {
		hostport = net.JoinHostPort(host, port)
	}
	out.URL = scheme + "://" + hostport
	switch out.Kind {
	case HostOther:
		out.Warnings = append(out.Warnings, fmt.Sprintf(
			"%s is not a Salesforce login domain (login.salesforce.com, test.salesforce.com or NAME.my.salesforce.com); check the address", host))
	case HostLoopback:
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s is this computer, not Salesforce (a test or demo server)", host))
	}
	return out, nil
}

// canonicalLoginHost maps the hosts people copy from their browser to the
// My Domain login host that serves them.
func canonicalLoginHost(host string) string {
	for _, m := range []struct{ from, to string }{
		{".sandbox.lightning.force.com", ".sandbox.my.salesforce.com"},
		{".develop.lightning.force.com", ".develop.my.salesforce.com"},
		{".lightning.force.com", ".my.salesforce.com"},
		{".sandbox.my.salesforce-setup.com", ".sandbox.my.salesforce.com"},
		{".my.salesforce-setup.com", ".my.salesforce.com"},
	} {
		if name, ok := strings.CutSuffix(host, m.from); ok && name != "" {
			return name + m.to
		}
	}
	return host
}

func classifyHost(host string) HostKind {
	switch {
	case isLoopbackHost(host):
		return HostLoopback
	case host == "login.salesforce.com":
		return HostProduction
	case host == "test.salesforce.com":
		return HostSandbox
	case hasLabelSuffix(host, ".sandbox.my.salesforce.com"):
		return HostMyDomainSandbox
	case hasLabelSuffix(host, ".my.salesforce.com"):
		return HostMyDomain
	}
	return HostOther
}

// hasLabelSuffix reports whether host is a proper subdomain ending in suffix.
func hasLabelSuffix(host, suffix string) bool {
	name, ok := strings.CutSuffix(host, suffix)
	return ok && name != "" && !strings.Contains(name, ".")
}

// isLoopbackHost accepts "localhost" and literal loopback addresses only. A
// name under .localhost is resolved through hosts files and DNS like any
// other, so it is not trusted as this computer; the dialer of a plain-http
// client checks the address actually connected to as well.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isSalesforceDomain reports whether host belongs to Salesforce's own
// domains, where an instance URL returned by a login may point.
func isSalesforceDomain(host string) bool {
	for _, d := range []string{"salesforce.com", "force.com", "cloudforce.com", "salesforce.mil", "sfcrmproducts.cn"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// resetTokenPath is Lightning's "Reset My Security Token" settings page.
const resetTokenPath = "/lightning/settings/personal/ResetApiToken/home"

// ResetTokenURL is the address that opens "Reset My Security Token" (My
// Settings → Personal) in the org behind loginURL: the login page with a
// startURL, so it works on login.salesforce.com as well as on a My Domain.
func ResetTokenURL(loginURL string) string {
	return strings.TrimRight(loginURL, "/") + "/?startURL=" + url.QueryEscape(resetTokenPath)
}
