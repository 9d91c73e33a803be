package sfclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"time"
)

// Defaults used when a Config leaves a field empty.
const (
	DefaultAPIVersion = "64.0"
	DefaultTimeout    = 30 * time.Second
	// MaxSOAPLoginVersion is the last API version that has login(); it is
	// gone from 65.0.
	MaxSOAPLoginVersion = 64
	// MaxResponseBytes bounds every response body read.
	MaxResponseBytes = 1 << 20
	maxCAFileBytes   = 4 << 20
)

// Config says where and how to log in. It holds no secrets.
type Config struct {
	LoginURL   string        // as typed or pasted; normalised by New
	Method     Method        // default MethodSOAP
	ClientID   string        // OAuth consumer key (OAuth methods)
	APIVersion string        // e.g. "64.0"; SOAP login() is capped at 64.0
	Timeout    time.Duration // whole attempt; default 30 s
	CAFile     string        // extra PEM roots, e.g. a TLS-inspecting proxy's
	Proxy      string        // explicit proxy URL; empty = HTTPS_PROXY etc.

	// HTTPClient replaces the client New builds (tests). Its redirect policy
	// and timeouts are the caller's business.
	HTTPClient *http.Client
}

// Checker tests credentials against one login host. It is safe for
// concurrent use.
type Checker struct {
	login      LoginURL
	method     Method
	clientID   string
	apiVersion string
	timeout    time.Duration
	client     *http.Client
	warnings   []string
}

var apiVersionRE = regexp.MustCompile(`^[1-9][0-9]{1,2}\.0$`)

// New checks cfg and prepares a Checker. Its errors are *ConfigError: a
// refused URL, a malformed API version, an unreadable CA file.
func New(cfg Config) (*Checker, error) {
	login, err := ParseLoginURL(cfg.LoginURL)
	if err != nil {
		return nil, err
	}
	method, err := ParseMethod(string(cfg.Method))
	if err != nil {
		return nil, err
	}
	c := &Checker{
		login:      login,
		method:     method,
		clientID:   cfg.ClientID,
		apiVersion: cfg.APIVersion,
		timeout:    cfg.Timeout,
		warnings:   append([]string(nil), login.Warnings...),
	}
	if c.apiVersion == "" {
		c.apiVersion = DefaultAPIVersion
	}
	if !apiVersionRE.MatchString(c.apiVersion) {
		return nil, &ConfigError{Field: "api-version", Value: cfg.APIVersion, Reason: `must look like "64.0"`}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if method != MethodSOAP && c.clientID == "" {
		return nil, &ConfigError{Field: "client-id", Reason: fmt.Sprintf("is required for the %s method (the connected app's consumer key)", method.Label())}
	}
	if method == MethodSOAP && soapVersion(c.apiVersion) != c.apiVersion {
		c.warnings = append(c.warnings, fmt.Sprintf("SOAP login() exists only up to API 64.0; using 64.0 instead of %s", c.apiVersion))
	}
	if cfg.HTTPClient != nil {
		c.client = cfg.HTTPClient
		return c, nil
	}
	c.client, err = newHTTPClient(cfg.CAFile, cfg.Proxy, login.Host)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// LoginURL is the normalised login address the Checker talks to.
func (c *Checker) LoginURL() string { return c.login.URL }

// soapVersion caps v at the last version that has login().
func soapVersion(v string) string {
	major, err := strconv.Atoi(v[:len(v)-2])
	if err != nil || major > MaxSOAPLoginVersion {
		return strconv.Itoa(MaxSOAPLoginVersion) + ".0"
	}
	return v
}

// newHTTPClient builds the transport every request goes through: proxy from
// the environment (or an explicit one), system roots plus caFile, TLS 1.2 or
// later, and no redirect to another host.
func newHTTPClient(caFile, proxy, loginHost string) (*http.Client, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		extra, err := loadCAFile(caFile)
		if err != nil {
			return nil, err
		}
		// Verification is not skipped: verifyWithExtraRoots does it, trying
		// the extra roots before the system's, which saves parsing the
		// whole system bundle (several milliseconds) when the extra CA
		// already vouches for the server, as with a TLS-inspecting proxy.
		tlsConf.InsecureSkipVerify = true
		tlsConf.VerifyConnection = func(cs tls.ConnectionState) error {
			return verifyWithExtraRoots(cs, extra, loginHost)
		}
	}
	proxyFunc := proxyFromEnvOrSystem() // explicit (below) → environment → system: proxy.go
	if proxy != "" {
		pu, err := url.Parse(proxy)
		if err != nil || pu.Host == "" || (pu.Scheme != "http" && pu.Scheme != "https" && pu.Scheme != "socks5") {
			return nil, &ConfigError{Field: "proxy", Value: redactURL(proxy), Reason: "must look like http://proxy.example:8080"}
		}
		if _, hasPassword := pu.User.Password(); hasPassword {
			return nil, &ConfigError{Field: "proxy", Value: redactURL(proxy),
				Reason: "must not contain a password (settings are not secret); set HTTPS_PROXY in the environment instead"}
		}
		proxyFunc = http.ProxyURL(pu)
	}
	tr := &http.Transport{
		Proxy:                  proxyFunc,
		DialContext:            (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    15 * time.Second,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           4,
		IdleConnTimeout:        60 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		ExpectContinueTimeout:  time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: sameHostRedirects}, nil
}

// sameHostRedirects follows at most three redirects, and only within the
// host the user chose, never from https down to http.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return http.ErrUseLastResponse
	}
	first := via[0].URL
	if req.URL.Host != first.Host || (first.Scheme == "https" && req.URL.Scheme != "https") {
		return http.ErrUseLastResponse
	}
	return nil
}

// verifyWithExtraRoots verifies the server's chain against the extra roots,
// then against the system's. The name checked is the SNI name, or for an IP
// literal (which TLS does not send as SNI) the login host: the only IP host
// this client ever connects to, as instance URLs must be the login host or
// a Salesforce domain name and redirects never leave the host.
func verifyWithExtraRoots(cs tls.ConnectionState, extra *x509.CertPool, loginHost string) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("tls: server sent no certificate")
	}
	name := cs.ServerName
	if name == "" {
		name = loginHost
	}
	opts := x509.VerifyOptions{DNSName: name, Roots: extra, Intermediates: x509.NewCertPool()}
	for _, c := range cs.PeerCertificates[1:] {
		opts.Intermediates.AddCert(c)
	}
	leaf := cs.PeerCertificates[0]
	if _, err := leaf.Verify(opts); err == nil {
		return nil
	}
	opts.Roots = nil // the system's roots
	if _, err := leaf.Verify(opts); err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: cs.PeerCertificates, Err: err}
	}
	return nil
}

// loadCAFile reads the PEM certificates of caFile into a pool of their own.
func loadCAFile(caFile string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	f, err := os.Open(caFile)
	if err != nil {
		return nil, &ConfigError{Field: "ca-file", Value: caFile, Reason: "cannot be read", Err: err}
	}
	defer f.Close()
	pem, err := readLimited(f, maxCAFileBytes)
	if err != nil {
		return nil, &ConfigError{Field: "ca-file", Value: caFile, Reason: "cannot be read", Err: err}
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &ConfigError{Field: "ca-file", Value: caFile, Reason: "holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)"}
	}
	return pool, nil
}

// redactURL hides any password in a URL before it is shown.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
