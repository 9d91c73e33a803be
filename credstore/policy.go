package credstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Policy names: the members of policy.json and the registry values, named
// as in settings.json.
const (
	PolicyLoginURL          = "login_url"
	PolicyAllowedLoginHosts = "allowed_login_hosts"
	PolicyClientID          = "client_id"
	PolicyMethods           = "methods"
	PolicyProxy             = "proxy"
	PolicyCAFile            = "ca_file"
	PolicyCheckInterval     = "check_interval"
	PolicyStartInTray       = "start_in_tray"
	PolicyLocked            = "locked"
)

// lockable are the names a policy's locked list may hold.
var lockable = []string{PolicyLoginURL, PolicyClientID, PolicyMethods, PolicyProxy, PolicyCAFile, PolicyCheckInterval, PolicyStartInTray}

// MaxPolicyBytes bounds policy.json.
const MaxPolicyBytes = 64 << 10

// Policy is the machine-wide configuration an IT department sets: on Linux
// /etc/advologix-connect/policy.json, on Windows the registry key
// HKLM\SOFTWARE\Policies\AdvoLogix\Connect (above HKCU\…\Connect), on
// macOS the managed preferences of com.advologix.connect. The app reads it
// and never writes it.
//
// A value that is set but not locked is a default users may change; a
// locked one they may not. AllowedLoginHosts and Methods restrict what
// users may choose whether locked or not.
type Policy struct {
	LoginURL          string   `json:"login_url,omitempty"`
	AllowedLoginHosts []string `json:"allowed_login_hosts,omitempty"`
	ClientID          string   `json:"client_id,omitempty"`
	Methods           []string `json:"methods,omitempty"`
	Proxy             string   `json:"proxy,omitempty"`
	CAFile            string   `json:"ca_file,omitempty"`
	CheckInterval     string   `json:"check_interval,omitempty"`
	StartInTray       *bool    `json:"start_in_tray,omitempty"`
	Locked            []string `json:"locked,omitempty"`

	// Sources lists where the values came from, highest precedence first
	// (a file path, a registry key, a preferences domain); empty when no
	// policy applies.
	Sources []string `json:"-"`
}

// IsZero reports whether no policy applies.
func (p Policy) IsZero() bool { return len(p.Sources) == 0 }

// IsLocked reports whether users may not change the named value. A locked
// name only counts when the policy sets that value.
func (p Policy) IsLocked(name string) bool {
	return slices.Contains(p.Locked, name) && p.Has(name)
}

// Has reports whether the policy sets the named value.
func (p Policy) Has(name string) bool {
	switch name {
	case PolicyLoginURL:
		return p.LoginURL != ""
	case PolicyAllowedLoginHosts:
		return len(p.AllowedLoginHosts) > 0
	case PolicyClientID:
		return p.ClientID != ""
	case PolicyMethods:
		return len(p.Methods) > 0
	case PolicyProxy:
		return p.Proxy != ""
	case PolicyCAFile:
		return p.CAFile != ""
	case PolicyCheckInterval:
		return p.CheckInterval != ""
	case PolicyStartInTray:
		return p.StartInTray != nil
	}
	return false
}

// Source names where the policy came from, for messages: the first source,
// or "" when none applies.
func (p Policy) Source() string {
	if len(p.Sources) == 0 {
		return ""
	}
	return p.Sources[0]
}

// MethodAllowed reports whether users may use a login method.
func (p Policy) MethodAllowed(method string) bool {
	if method == "" {
		method = MethodSOAP
	}
	return len(p.Methods) == 0 || slices.Contains(p.Methods, method)
}

// HostAllowed reports whether a login host (no scheme, no port) may be
// used. An entry "*.my.salesforce.com" allows every host below it.
func (p Policy) HostAllowed(host string) bool {
	if len(p.AllowedLoginHosts) == 0 {
		return true
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, h := range p.AllowedLoginHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if rest, ok := strings.CutPrefix(h, "*."); ok {
			if strings.HasSuffix(host, "."+rest) {
				return true
			}
		} else if host == h {
			return true
		}
	}
	return false
}

// merge fills the values p does not set from lower, and adds lower's locks:
// a lower-precedence source can neither override nor unlock.
func (p Policy) merge(lower Policy) Policy {
	if p.LoginURL == "" {
		p.LoginURL = lower.LoginURL
	}
	if len(p.AllowedLoginHosts) == 0 {
		p.AllowedLoginHosts = lower.AllowedLoginHosts
	}
	if p.ClientID == "" {
		p.ClientID = lower.ClientID
	}
	if len(p.Methods) == 0 {
		p.Methods = lower.Methods
	}
	if p.Proxy == "" {
		p.Proxy = lower.Proxy
	}
	if p.CAFile == "" {
		p.CAFile = lower.CAFile
	}
	if p.CheckInterval == "" {
		p.CheckInterval = lower.CheckInterval
	}
	if p.StartInTray == nil {
		p.StartInTray = lower.StartInTray
	}
	for _, l := range lower.Locked {
		if !slices.Contains(p.Locked, l) {
			p.Locked = append(p.Locked, l)
		}
	}
	p.Sources = append(slices.Clone(p.Sources), lower.Sources...)
	return p
}

// PolicyError is a policy that cannot be read or makes no sense. The app
// does not guess what the administrator meant: commands stop and say so.
type PolicyError struct {
	Source string
	Err    error
	// Insecure: the policy file (or a folder above it) is not one only an
	// administrator can write, or is not a regular file (POLICY_INSECURE).
	Insecure bool
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("IT policy %s: %v", e.Source, e.Err)
}

func (e *PolicyError) Unwrap() error { return e.Err }

// Code is the stable code of the error.
func (e *PolicyError) Code() string {
	if e.Insecure {
		return "POLICY_INSECURE"
	}
	return "POLICY_INVALID"
}

// Hint says what to do.
func (e *PolicyError) Hint() string {
	if e.Insecure {
		return "The IT policy file could have been written by someone other than an administrator, so it is not used and nothing was sent. Ask your IT department to run the command in this message."
	}
	return "Your IT department's settings for AdvoLogix Connect cannot be used. Tell them this message; nothing was changed."
}

// validate checks the values that have a fixed form; the login URL and the
// proxy are checked where they are used (sfclient knows their rules).
func (p Policy) validate() error {
	if p.Methods != nil && len(p.Methods) == 0 {
		return errors.New("methods: an empty list would allow no login at all; leave methods out to allow every method")
	}
	if p.AllowedLoginHosts != nil && len(p.AllowedLoginHosts) == 0 {
		return errors.New("allowed_login_hosts: an empty list would allow no login at all; leave it out to allow every host")
	}
	for _, m := range p.Methods {
		switch m {
		case MethodSOAP, MethodOAuthPassword, MethodOAuthBrowser:
		default:
			return fmt.Errorf("methods: %q is not a login method (soap, oauth-password, oauth-browser)", m)
		}
	}
	for _, l := range p.Locked {
		if !slices.Contains(lockable, l) {
			return fmt.Errorf("locked: %q is not a setting that can be locked (%s)", l, strings.Join(lockable, ", "))
		}
	}
	for _, h := range p.AllowedLoginHosts {
		if strings.TrimSpace(h) == "" || strings.ContainsAny(h, "/: ") {
			return fmt.Errorf("allowed_login_hosts: %q is not a host name", h)
		}
	}
	if _, err := ParseCheckInterval(p.CheckInterval); err != nil {
		return fmt.Errorf("check_interval: %w", err)
	}
	return nil
}

// ParsePolicyJSON reads a policy.json document; source names it in errors
// and becomes the policy's source.
func ParsePolicyJSON(data []byte, source string) (Policy, error) {
	return parsePolicyJSON(data, source, true)
}

// parsePolicyJSON reads a policy document; strict refuses unknown members
// (a misspelt name in policy.json would otherwise be ignored silently).
func parsePolicyJSON(data []byte, source string, strict bool) (Policy, error) {
	if err := noDuplicateKeys(data); err != nil {
		return Policy{}, &PolicyError{Source: source, Err: err}
	}
	var p Policy
	dec := json.NewDecoder(bytes.NewReader(data))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(&p); err != nil {
		return Policy{}, &PolicyError{Source: source, Err: fmt.Errorf("not a policy object: %w", err)}
	}
	if err := dec.Decode(new(json.RawMessage)); !errors.Is(err, io.EOF) {
		return Policy{}, &PolicyError{Source: source, Err: errors.New("more than one JSON value")}
	}
	if err := p.validate(); err != nil {
		return Policy{}, &PolicyError{Source: source, Err: err}
	}
	p.Sources = []string{source}
	return p, nil
}

// policyReadTimeout bounds reading the policy when the caller gives no
// deadline (LoadPolicy, ReadPolicyFile).
const policyReadTimeout = 5 * time.Second

// ReadPolicyFile reads a policy.json (ReadPolicyFileContext within 5 s).
func ReadPolicyFile(path string) (Policy, error) {
	ctx, cancel := context.WithTimeout(context.Background(), policyReadTimeout)
	defer cancel()
	return ReadPolicyFileContext(ctx, path)
}

// ReadPolicyFileContext reads a policy.json within ctx's deadline. On
// Unix only a regular file that root owns and only root may write, in
// folders that only root may write all the way up to "/", is trusted; a
// symbolic link is followed only when its target passes the same rule.
// Anything else is a *PolicyError with Code POLICY_INSECURE naming the
// path and the command that fixes it. A missing file (no link on the
// way) is no policy: the zero Policy, no error. A dangling link, an
// unreadable file, bad JSON (duplicate keys included) are POLICY_INVALID.
// On Windows no file is read (the policy is in the registry).
func ReadPolicyFileContext(ctx context.Context, path string) (Policy, error) {
	type answer struct {
		p   Policy
		err error
	}
	done := make(chan answer, 1)
	go func() {
		p, err := readPolicyFile(path)
		done <- answer{p, err}
	}()
	select {
	case a := <-done:
		return a.p, a.err
	case <-ctx.Done():
		return Policy{}, &PolicyError{Source: path, Err: fmt.Errorf("not read in time: %w", ctx.Err())}
	}
}

// LoadPolicy reads this computer's policy from its fixed, administrator-only
// location (see Policy). No environment variable or flag moves it, so a
// user cannot step out of it. No policy is the zero Policy.
func LoadPolicy() (Policy, error) {
	ctx, cancel := context.WithTimeout(context.Background(), policyReadTimeout)
	defer cancel()
	return LoadPolicyContext(ctx)
}

// LoadPolicyContext is LoadPolicy within ctx's deadline.
func LoadPolicyContext(ctx context.Context) (Policy, error) { return loadSystemPolicy(ctx) }
