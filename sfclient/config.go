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
	"strings"
	"syscall"
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
	c.client, err = newHTTPClient(cfg.CAFile, cfg.Proxy, login, c.timeout)
	if err != nil {
		return nil, err
	}
	return c, nil
}

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
// later, and no redirect at all. A plain-http login URL (loopback only) gets
// no proxy, and its dialer refuses any address that is not loopback.
func newHTTPClient(caFile, proxy string, login LoginURL, timeout time.Duration) (*http.Client, error) {
	loginHost := login.Host
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		extra, err := loadCAFile(caFile, timeout)
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
			return nil, &ConfigError{Field: "proxy", Value: RedactProxy(proxy), Reason: "must look like http://proxy.example:8080"}
		}
		if _, hasPassword := pu.User.Password(); hasPassword {
			return nil, &ConfigError{Field: "proxy", Value: RedactProxy(proxy),
				Reason: "must not contain a password (settings are not secret); set HTTPS_PROXY in the environment instead"}
		}
		proxyFunc = http.ProxyURL(pu)
	}
	dialer := &net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}
	if strings.HasPrefix(login.URL, "http://") {
		// Plain http carries the password in clear: only to this computer,
		// checked on the address actually dialed, not on the name.
		proxyFunc = nil
		dialer.Control = loopbackOnly
	}
	tr := &http.Transport{
		Proxy:                  proxyFunc,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    15 * time.Second,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           4,
		IdleConnTimeout:        60 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		ExpectContinueTimeout:  time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: noRedirects}, nil
}

// noRedirects follows no redirect: a followed 307 or 308 re-sends a login's
// body, so one attempt would cost several failed logins towards a lockout.
// The redirect comes back as the answer and is reported (LOGIN_REDIRECTED).
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// errNotLoopback refuses a plain-http connection that would leave this
// computer.
var errNotLoopback = errors.New("plain http is allowed only to this computer, and this name resolves elsewhere")

// loopbackOnly is a net.Dialer Control that refuses every address but
// loopback ones.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errNotLoopback
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
// Only a regular file of at most maxCAFileBytes is read, within timeout: a
// FIFO or a device would block the read, and with it the whole check.
func loadCAFile(caFile string, timeout time.Duration) (*x509.CertPool, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	type read struct {
		pem []byte
		err error
	}
	ch := make(chan read, 1)
	go func() {
		pem, err := readCAFile(caFile)
		ch <- read{pem, err}
	}()
	var pem []byte
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, r.err
		}
		pem = r.pem
	case <-time.After(timeout):
		return nil, &ConfigError{Field: "ca-file", Value: caFile, Reason: fmt.Sprintf("could not be read within %s", timeout)}
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &ConfigError{Field: "ca-file", Value: caFile, Reason: "holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)"}
	}
	return pool, nil
}

// readCAFile opens caFile without blocking (a FIFO would block the open
// itself), makes sure it is a regular file, and reads it with a size limit.
func readCAFile(caFile string) ([]byte, error) {
	bad := func(reason string, err error) error {
		return &ConfigError{Field: "ca-file", Value: caFile, Reason: reason, Err: err}
	}
	f, err := os.OpenFile(caFile, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, bad("cannot be read", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, bad("cannot be read", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, bad("is not a regular file (expected a PEM file of certificates)", nil)
	}
	if fi.Size() > maxCAFileBytes {
		return nil, bad(fmt.Sprintf("is larger than %d MiB, which no certificate file is", maxCAFileBytes>>20), nil)
	}
	pem, err := readLimited(f, maxCAFileBytes)
	if err != nil {
		return nil, bad("cannot be read", err)
	}
	return pem, nil
}
