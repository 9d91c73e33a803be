package sftest

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Config describes the emulated org. The zero value is usable: an org
// without users or apps, served over HTTPS on 127.0.0.1 with a random port.
type Config struct {
	// Users are the accounts of the org.
	Users []User
	// Apps are the connected apps / External Client Apps.
	Apps []App
	// OrgID is the 18-character 00D... organization ID; generated if empty
	// (a 15-character ID is extended with its checksum).
	OrgID string
	// OrgName defaults to "Emulated Firm LLP".
	OrgName string
	// Sandbox makes this org a sandbox: LoginResult sandbox=true and
	// Organization.IsSandbox=true.
	Sandbox bool
	// MaxSOAPLoginVersion is the newest API version whose login() works
	// (default 64.0). login() on a newer version, or on a retired one
	// (below 31.0), answers UNSUPPORTED_API_VERSION as Salesforce does.
	MaxSOAPLoginVersion float64
	// LatestAPIVersion is the newest version listed by /services/data/
	// (default 66.0, Spring '26).
	LatestAPIVersion float64
	// SOAPLoginDisabled emulates an org created from Winter '26 on, where
	// "Enable SOAP API login()" is off. Salesforce does not document the
	// answer; the emulator sends a LoginFault with INSUFFICIENT_ACCESS, the
	// code the login() page documents for the related permission gate.
	SOAPLoginDisabled bool
	// UsernamePasswordFlowBlocked emulates the org setting (default since
	// Summer '23) that blocks the OAuth username-password flow: the token
	// endpoint answers invalid_grant "authentication failure".
	UsernamePasswordFlowBlocked bool
	// LockoutAfter is the number of consecutive failed logins after which
	// a user is locked out and every login answers PASSWORD_LOCKOUT
	// (0 = default 10, negative = never).
	LockoutAfter int
	// FaultStyle selects how SOAP faults are written.
	FaultStyle FaultStyle
	// ConsentDenied makes the authorize endpoint redirect with
	// error=access_denied, as when the user clicks Deny.
	ConsentDenied bool
	// AuthorizeAs is the username the authorize endpoint "logs in" as,
	// standing in for the browser login (default: the first user).
	AuthorizeAs string
	// Intercept, when set, is called first for every request (after it is
	// logged); returning true means it wrote the response itself. Tests use
	// it for malformed, oversized, slow, captive-portal or 5xx answers.
	Intercept func(w http.ResponseWriter, r *http.Request) bool
	// Hostile makes the emulator misbehave as a hostile or broken login
	// server does (redirect loops, hanging token requests, escapes in
	// error descriptions); see [Hostile].
	Hostile Hostile
	// PlainHTTP serves plain http instead of HTTPS.
	PlainHTTP bool
	// Addr is the listen address (default "127.0.0.1:0").
	Addr string
	// Host, when set, is the host name in URL in place of the listen
	// address's IP, e.g. "localhost" (which the certificate names): for
	// clients that, as Mono's TLS does, match an IP only against DNS
	// names. Salesforce is always reached by name.
	Host string
	// Now is the clock used for token issue times and expiries
	// (default time.Now). Tests can move it forward to expire codes and
	// sessions.
	Now func() time.Time
	// SessionLifetime is how long a session (SOAP session id or access
	// token) works after it is issued (default 2 hours, Salesforce's
	// default timeout); SOAP's sessionSecondsValid reports it.
	SessionLifetime time.Duration
	// RefreshTokenIdle ends a refresh token not used for that long
	// (default 30 days, the idle lifetime Salesforce asks of partner
	// apps; negative: never). See refresh_rules.go.
	RefreshTokenIdle time.Duration
	// MaxTokenPairs is how many refresh tokens one user may hold per app
	// (default 5, Salesforce's limit): a further authorization silently
	// revokes the oldest.
	MaxTokenPairs int
}

// Request is one entry of the request log. It never holds secrets: no
// query string, no body, no headers.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the URL path, without the query string.
	Path string
	// GrantType is the grant_type form value of token requests.
	GrantType string
	// Time is when the request arrived.
	Time time.Time
	// Status is the HTTP status written, 0 while the request is in flight
	// (or if the handler wrote nothing).
	Status int
	// Intercepted reports whether Config.Intercept answered the request.
	Intercepted bool
}

// Server is a running Salesforce emulator. All methods are safe for
// concurrent use.
type Server struct {
	mu       sync.Mutex
	cfg      Config
	users    []*userState
	byName   map[string]*userState // lower-cased username
	apps     map[string]*App
	sessions map[string]*session
	refresh  map[string]*refreshGrant
	codes    map[string]*authCode
	log      []Request
	lh       loginHistory
	pairSeq  uint64 // orders authorizations, for MaxTokenPairs

	orgID     string
	profileID string
	url       string
	ln        net.Listener
	srv       *http.Server
	pki       *loopbackPKI
	client    *http.Client
	closeOnce sync.Once
	access    appAccess // refused apps and users (appaccess.go)
}

// New validates cfg, generates a CA and server certificate (unless
// PlainHTTP) and starts serving. Call Close when done.
func New(cfg Config) (*Server, error) {
	if cfg.OrgName == "" {
		cfg.OrgName = "Emulated Firm LLP"
	}
	if cfg.MaxSOAPLoginVersion == 0 {
		cfg.MaxSOAPLoginVersion = 64.0
	}
	if cfg.LatestAPIVersion == 0 {
		cfg.LatestAPIVersion = 66.0
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:       cfg,
		byName:    map[string]*userState{},
		apps:      map[string]*App{},
		sessions:  map[string]*session{},
		refresh:   map[string]*refreshGrant{},
		codes:     map[string]*authCode{},
		orgID:     id18(cfg.OrgID),
		profileID: newID("00e"),
	}
	if s.orgID == "" {
		s.orgID = newID("00D")
	}
	s.cfg.Users, s.cfg.Apps = nil, nil
	for _, u := range cfg.Users {
		if err := s.addUserLocked(u); err != nil {
			return nil, err
		}
	}
	for _, a := range cfg.Apps {
		if err := s.addAppLocked(a); err != nil {
			return nil, err
		}
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("sftest: listen: %w", err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: 10 * time.Second,
		// TLS handshake failures from untrusting clients are expected in
		// tests; keep them out of the test output.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	transport := &http.Transport{Proxy: nil, ForceAttemptHTTP2: true}
	hostPort := ln.Addr().String()
	if cfg.Host != "" {
		hostPort = net.JoinHostPort(cfg.Host, strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	}
	if cfg.PlainHTTP {
		s.url = "http://" + hostPort
	} else {
		pki, err := newLoopbackPKI()
		if err != nil {
			ln.Close()
			return nil, err
		}
		s.pki = pki
		s.url = "https://" + hostPort
		s.srv.TLSConfig = &tls.Config{
			Certificates: []tls.Certificate{pki.leaf},
			MinVersion:   tls.VersionTLS12,
			NextProtos:   []string{"h2", "http/1.1"},
		}
		transport.TLSClientConfig = &tls.Config{RootCAs: pki.caPool, MinVersion: tls.VersionTLS12}
	}
	s.client = &http.Client{
		Transport: transport,
		Timeout:   30 * time.Second,
		// Like a browser-less API client: report redirects instead of
		// following them, so authorize-endpoint tests can read Location.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	go func() {
		// Serve returns http.ErrServerClosed after Close; nothing to report.
		if cfg.PlainHTTP {
			_ = s.srv.Serve(ln)
		} else {
			_ = s.srv.ServeTLS(ln, "", "")
		}
	}()
	return s, nil
}

// URL returns the base URL, e.g. "https://127.0.0.1:PORT", with no
// trailing slash. It is both the login URL and the instance URL.
func (s *Server) URL() string { return s.url }

// OrgID returns the 18-character organization ID.
func (s *Server) OrgID() string { return s.orgID }

// CACertPEM returns the PEM-encoded CA certificate that signed the server
// certificate, or nil when serving plain HTTP.
func (s *Server) CACertPEM() []byte {
	if s.pki == nil {
		return nil
	}
	return bytes.Clone(s.pki.caPEM)
}

// WriteCAFile writes CACertPEM to path (mode 0644), atomically.
func (s *Server) WriteCAFile(path string) error {
	if s.pki == nil {
		return errors.New("sftest: plain HTTP server has no CA")
	}
	return WriteFileAtomic(path, s.pki.caPEM, 0o644)
}

// Client returns an HTTP client that trusts the server's CA and does not
// follow redirects.
func (s *Server) Client() *http.Client { return s.client }

// Close stops the server and closes idle client connections. In-flight
// handlers (e.g. a slow Intercept) are not waited for.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		// Close our own client's connections first so the graceful
		// shutdown does not wait for them.
		if t, ok := s.client.Transport.(*http.Transport); ok {
			t.CloseIdleConnections()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.srv.Close()
		}
	})
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Count returns how many logged requests had the given method and path
// (method "" matches any method).
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.log {
		if (method == "" || r.Method == method) && r.Path == path {
			n++
		}
	}
	return n
}

// ResetRequests clears the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// SetUsernamePasswordFlowBlocked changes Config.UsernamePasswordFlowBlocked.
func (s *Server) SetUsernamePasswordFlowBlocked(blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.UsernamePasswordFlowBlocked = blocked
}

// SetLockoutAfter changes Config.LockoutAfter.
func (s *Server) SetLockoutAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.LockoutAfter = n
}

// SetClock replaces Config.Now (nil restores time.Now).
func (s *Server) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg.Now = now
}

// now returns the configured clock's time; s.mu must be held.
func (s *Server) now() time.Time { return s.cfg.Now() }

// WriteFileAtomic writes data with mode perm to a temporary file next to
// path and renames it into place, so a program watching path never reads
// a partial file: how [Server.WriteCAFile] writes, and internal/testing/sfemulator its
// ready file.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
