package connection

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/sfclient"
)

// CheckStatus is the verdict of one diagnostic check.
type CheckStatus string

// Verdicts of a diagnostic check; the strings are diagnose --json's.
const (
	CheckOK   CheckStatus = "ok"
	CheckFail CheckStatus = "fail"
	CheckSkip CheckStatus = "skip"
)

// DiagnosticCheck is one line of a diagnostics report: a stable name
// ("dns", "tls", "login:default", …), the verdict and a one-line reason.
// Detail never holds a secret, a session id or a token.
type DiagnosticCheck struct {
	Name   string      `json:"name"`
	Status CheckStatus `json:"status"`
	Detail string      `json:"detail"`
}

// Report is what Diagnose found. Its JSON form is diagnose --json's.
type Report struct {
	Checks  []DiagnosticCheck `json:"checks"`
	Passed  int               `json:"passed"`
	Failed  int               `json:"failed"`
	Skipped int               `json:"skipped"`
	// At is when the report was made.
	At time.Time `json:"-"`
}

// MaxExitStatus caps diagnose's exit status (the number of failures), so
// it never reaches the shell's 126 and up.
const MaxExitStatus = 125

// ExitStatus is the number of failed checks, capped at MaxExitStatus.
func (r Report) ExitStatus() int { return min(r.Failed, MaxExitStatus) }

// Summary is the report's last line: "N passed, N failed, N skipped".
func (r Report) Summary() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", r.Passed, r.Failed, r.Skipped)
}

// Text is the report for people and for support tickets: a title, one
// line per check ("[ OK ] dns  …", "[FAIL] …", "[SKIP] …") and the
// summary.
func (r Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "AdvoLogix Connect diagnostics, %s\n", r.At.UTC().Format("2006-01-02 15:04:05 UTC"))
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Name))
	}
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%s %-*s  %s\n", statusMark(c.Status), width, c.Name, c.Detail)
	}
	b.WriteString(r.Summary() + "\n")
	return b.String()
}

func statusMark(s CheckStatus) string {
	switch s {
	case CheckOK:
		return "[ OK ]"
	case CheckFail:
		return "[FAIL]"
	}
	return "[SKIP]"
}

// DiagnoseStore is what Diagnose needs from credstore: the settings file,
// the profiles' secrets (for --login and a browser session), a place for a
// refresh token Salesforce rotates, and a keychain round trip.
type DiagnoseStore interface {
	ExplainStore
	Path() string
	RoundTrip(ctx context.Context) error
}

// DiagnoseOptions configure Diagnose. The zero value diagnoses nothing but
// the app and the locale; a Store adds the settings, the keychain and the
// network checks against the chosen profile's login host.
type DiagnoseOptions struct {
	// Store is the credential store; nil with StoreErr saying why it
	// could not be opened.
	Store    DiagnoseStore
	StoreErr error
	// Profile is the profile whose login host the network checks use; ""
	// means the default profile.
	Profile string
	// Login also tests each profile's saved login (only Profile's, when
	// it is set). Each test is one login attempt and counts towards the
	// org's lockout, so it is never done unasked.
	Login bool
	// Version is the app's version.
	Version string
	// Getenv reads the environment (proxy and locale variables); nil:
	// os.Getenv.
	Getenv func(string) string
	// Timeout bounds each network step; default 10 s.
	Timeout time.Duration
	// LoginTimeout bounds each login test; default sfclient.DefaultTimeout.
	LoginTimeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Policy is the IT policy (credstore.LoadPolicy), PolicyErr why it
	// could not be read. The profiles are diagnosed as the policy makes
	// them run.
	Policy    credstore.Policy
	PolicyErr error
	// Extra checks run after the built-in ones.
	Extra []NamedCheck
}

// NamedCheck is an extra check for Diagnose.
type NamedCheck struct {
	Name string
	Run  func(ctx context.Context) (CheckStatus, string)
}

// DefaultDiagnoseTimeout bounds each network step of Diagnose.
const DefaultDiagnoseTimeout = 10 * time.Second

// HistoryShown is how many failed Login History attempts diagnose lists.
const HistoryShown = 5

// Diagnose runs the checks IT support asks for first, each on its own: a
// check that fails, or even panics, is that check's FAIL and the others
// still run. Network checks go only to the chosen profile's login host
// (through the proxy that applies to it), each within Timeout. Nothing is
// a login unless Login is set; reading Login History with a saved browser
// sign-in is a token refresh and one query, never a login.
func Diagnose(ctx context.Context, o DiagnoseOptions) Report {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultDiagnoseTimeout
	}
	if o.LoginTimeout <= 0 {
		o.LoginTimeout = sfclient.DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	d := &diag{ctx: ctx, o: o, rep: Report{At: o.Now()}}
	d.guard("profile", d.loadProfile)

	d.run("app", d.checkApp)
	d.run("locale", d.checkLocale)
	d.run("policy", d.checkPolicy)
	d.run("profile", d.checkProfile)
	d.run("proxy", d.checkProxy)
	d.run("dns", d.checkDNS)
	d.run("tcp", d.checkTCP)
	d.run("tls", d.checkTLS)
	d.run("clock", d.checkClock)
	d.run("salesforce", d.checkSalesforce)
	d.run("keychain", d.checkKeychain)
	d.run("settings", d.checkSettings)
	d.runLogins()
	d.run("login_history", d.checkLoginHistory)
	for _, x := range o.Extra {
		d.run(x.Name, func() (CheckStatus, string) { return x.Run(ctx) })
	}
	return d.finish()
}

// diag is one run of Diagnose.
type diag struct {
	ctx context.Context
	o   DiagnoseOptions
	rep Report

	settings    credstore.Settings
	settingsErr error
	// The settings file's and folder's modes as found, before reading
	// them narrowed our own to 0600/0700.
	fileMode, dirMode os.FileMode
	modesSeen         bool
	profile           *credstore.Profile // the profile the network checks use
	profileErr        error              // why there is none
	login             sfclient.LoginURL

	exOnce sync.Once
	ex     exchange

	mu      sync.Mutex
	secrets []string // values seen, scrubbed from every detail
}

// guard runs fn, turning a panic into an error.
func (d *diag) guard(name string, fn func()) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error in the %s check: %v", name, v)
		}
	}()
	fn()
	return nil
}

// run runs one check; a panic is that check's FAIL.
func (d *diag) run(name string, fn func() (CheckStatus, string)) {
	status, detail := CheckFail, ""
	if err := d.guard(name, func() { status, detail = fn() }); err != nil {
		status, detail = CheckFail, err.Error()
		if len(detail) > 300 {
			detail = detail[:300] + "…"
		}
	}
	d.rep.Checks = append(d.rep.Checks, DiagnosticCheck{Name: name, Status: status, Detail: detail})
}

// secret remembers a value that must never appear in the report.
func (d *diag) secret(v string) {
	if len(v) < 4 {
		return
	}
	d.mu.Lock()
	d.secrets = append(d.secrets, v)
	d.mu.Unlock()
}

func (d *diag) finish() Report {
	for i := range d.rep.Checks {
		c := &d.rep.Checks[i]
		c.Detail = oneLine(c.Detail)
		for _, s := range d.secrets {
			c.Detail = strings.ReplaceAll(c.Detail, s, "[redacted]")
		}
		switch c.Status {
		case CheckOK:
			d.rep.Passed++
		case CheckFail:
			d.rep.Failed++
		default:
			c.Status = CheckSkip
			d.rep.Skipped++
		}
	}
	return d.rep
}

// oneLine keeps a detail on one line of at most 600 characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)), " ")
	if r := []rune(s); len(r) > 600 {
		s = string(r[:600]) + "…"
	}
	return s
}

// loadProfile reads the settings and picks the profile to diagnose.
func (d *diag) loadProfile() {
	if d.o.Store == nil {
		d.profileErr = fmt.Errorf("the credential store could not be opened: %v", d.o.StoreErr)
		return
	}
	if runtime.GOOS != "windows" {
		fi, ferr := os.Stat(d.o.Store.Path())
		di, derr := os.Stat(filepath.Dir(d.o.Store.Path()))
		if ferr == nil && derr == nil {
			d.fileMode, d.dirMode, d.modesSeen = fi.Mode().Perm(), di.Mode().Perm(), true
		}
	}
	d.settings, d.settingsErr = d.o.Store.Load()
	if d.settingsErr != nil {
		d.profileErr = fmt.Errorf("the settings could not be read (see settings): %v", d.settingsErr)
		return
	}
	name := d.o.Profile
	if name == "" {
		name = d.settings.Default
		if name == "" {
			if len(d.settings.Profiles) == 0 {
				d.profileErr = errNoProfileYet
			} else {
				d.profileErr = fmt.Errorf("no default profile is set (saved: %s): pass --profile NAME", profileNames(d.settings))
			}
			return
		}
	}
	p, ok := d.settings.Profile(name)
	if !ok {
		d.profileErr = fmt.Errorf("no profile named %q (saved: %s)", name, profileNames(d.settings))
		return
	}
	p, err := d.applyPolicy(p)
	d.profile = &p
	if err != nil {
		d.profileErr = err
		return
	}
	if _, err := sfclient.New(Config(p, d.o.Timeout)); err != nil {
		d.profileErr = fmt.Errorf("profile %q cannot be used: %v", p.Name, err)
		return
	}
	d.login, _ = sfclient.ParseLoginURL(p.LoginURL)
}

var errNoProfileYet = errors.New("no profile is saved yet")

// applyPolicy returns p as the IT policy lets it run (ApplyPolicy); a
// violation is an error with its code in front.
func (d *diag) applyPolicy(p credstore.Profile) (credstore.Profile, error) {
	if d.o.PolicyErr != nil || d.o.Policy.IsZero() {
		return p, nil
	}
	q, err := ApplyPolicy(p, d.o.Policy)
	if err != nil {
		var coded interface{ Code() string }
		if errors.As(err, &coded) {
			err = fmt.Errorf("%s: %w", coded.Code(), err)
		}
		return p, err
	}
	return q, nil
}

// checkPolicy says which IT policy applies and from where.
func (d *diag) checkPolicy() (CheckStatus, string) {
	if err := d.o.PolicyErr; err != nil {
		detail := err.Error()
		var coded interface{ Code() string }
		if errors.As(err, &coded) {
			detail = coded.Code() + ": " + detail
		}
		return CheckFail, detail + "; the profiles are diagnosed as saved"
	}
	pol := d.o.Policy
	if pol.IsZero() {
		return CheckOK, "no IT policy applies on this computer"
	}
	var vals []string
	add := func(name, v string) {
		if v == "" {
			return
		}
		if pol.IsLocked(name) {
			v += " (locked)"
		}
		vals = append(vals, name+"="+v)
	}
	add(credstore.PolicyLoginURL, pol.LoginURL)
	add(credstore.PolicyAllowedLoginHosts, strings.Join(pol.AllowedLoginHosts, " "))
	add(credstore.PolicyMethods, strings.Join(pol.Methods, " "))
	add(credstore.PolicyClientID, pol.ClientID)
	if pol.Proxy != "" {
		shown := "(not a URL)"
		if u, err := url.Parse(pol.Proxy); err == nil && u.Host != "" {
			shown = redactProxy(u)
		}
		add(credstore.PolicyProxy, shown)
	}
	add(credstore.PolicyCAFile, pol.CAFile)
	add(credstore.PolicyCheckInterval, pol.CheckInterval)
	if pol.StartInTray != nil {
		add(credstore.PolicyStartInTray, strconv.FormatBool(*pol.StartInTray))
	}
	if len(vals) == 0 {
		vals = append(vals, "no values")
	}
	return CheckOK, fmt.Sprintf("from %s: %s", strings.Join(pol.Sources, ", then "), strings.Join(vals, ", "))
}

func profileNames(s credstore.Settings) string {
	if len(s.Profiles) == 0 {
		return "none"
	}
	names := make([]string, len(s.Profiles))
	for i, p := range s.Profiles {
		names[i] = strconv.Quote(p.Name)
	}
	return strings.Join(names, ", ")
}

// usable reports whether the network checks have a login host.
func (d *diag) usable() bool { return d.profile != nil && d.profileErr == nil && d.login.Host != "" }

// skipNoHost is the SKIP of a network check without a usable profile.
func (d *diag) skipNoHost() (CheckStatus, string) {
	if d.profileErr != nil {
		return CheckSkip, "no login host to test, so nothing was sent: " + d.profileErr.Error()
	}
	return CheckSkip, "no login host to test, so nothing was sent"
}

func (d *diag) checkApp() (CheckStatus, string) {
	v := d.o.Version
	if v == "" {
		v = "dev"
	}
	osName := runtime.GOOS + "/" + runtime.GOARCH
	if pretty := osRelease(); pretty != "" {
		osName += " (" + pretty + ")"
	}
	goVer := runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok && bi.GoVersion != "" {
		goVer = bi.GoVersion
	}
	return CheckOK, fmt.Sprintf("advologix-connect %s on %s, built with %s", v, osName, goVer)
}

// osRelease is the Linux distribution's PRETTY_NAME, "" elsewhere.
func osRelease() string {
	if runtime.GOOS != "linux" {
		return ""
	}
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 16<<10))
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}

func (d *diag) checkLocale() (CheckStatus, string) {
	var set, unset []string
	effective := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := d.o.Getenv(k); v != "" {
			set = append(set, k+"="+v)
			if effective == "" {
				effective = v
			}
		} else {
			unset = append(unset, k)
		}
	}
	if len(set) == 0 {
		if runtime.GOOS == "windows" {
			return CheckOK, "the user's Windows display language and region (LANG, LC_ALL unset)"
		}
		return CheckOK, "none set (LC_ALL, LC_MESSAGES, LANG unset): the C locale, messages in English"
	}
	detail := strings.Join(set, ", ")
	if len(unset) > 0 {
		detail += " (" + strings.Join(unset, ", ") + " unset)"
	}
	if up := strings.ToUpper(effective); !strings.Contains(up, "UTF-8") && !strings.Contains(up, "UTF8") {
		detail += "; not UTF-8, so a terminal may show accented characters wrongly"
	}
	return CheckOK, detail
}

func (d *diag) checkProfile() (CheckStatus, string) {
	if d.profile == nil {
		if errors.Is(d.profileErr, errNoProfileYet) {
			return CheckSkip, "no profile is saved yet: set one up (the wizard, or advologix-connect login); the network checks have no login host"
		}
		return CheckFail, d.profileErr.Error()
	}
	p := *d.profile
	if d.profileErr != nil {
		return CheckFail, d.profileErr.Error()
	}
	m := p.Method
	if m == "" {
		m = credstore.MethodSOAP
	}
	detail := fmt.Sprintf("%q: %s as %s, %s", p.Name, d.login.URL, p.Username, sfclient.Method(m).Label())
	if p.Name == d.settings.Default {
		detail += ", the default profile"
	}
	for _, w := range d.login.Warnings {
		detail += "; " + w
	}
	return CheckOK, detail
}

// proxyChoice is the proxy that applies to the login host.
type proxyChoice struct {
	url    *url.URL // nil: direct
	source string   // "the profile", "HTTPS_PROXY", …
	err    error
}

// proxy works out which proxy the app's connections to the login host use,
// the way sfclient does: the profile's, else the environment's.
func (d *diag) proxy() proxyChoice {
	if !d.usable() {
		return proxyChoice{}
	}
	if raw := d.profile.Proxy; raw != "" {
		src := "the profile"
		if pol := d.o.Policy; pol.Proxy != "" && raw == pol.Proxy && d.o.PolicyErr == nil {
			src = "the IT policy (" + pol.Source() + ")"
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return proxyChoice{source: src, err: fmt.Errorf("the proxy of %s is not a URL", src)}
		}
		return proxyChoice{url: u, source: src}
	}
	cfg := httpproxy.Config{
		HTTPProxy:  d.env("HTTP_PROXY", "http_proxy"),
		HTTPSProxy: d.env("HTTPS_PROXY", "https_proxy"),
		NoProxy:    d.env("NO_PROXY", "no_proxy"),
	}
	target, _ := url.Parse(d.login.URL)
	u, err := cfg.ProxyFunc()(target)
	if err != nil {
		return proxyChoice{source: "the environment", err: fmt.Errorf("the environment's proxy is not a URL: %s", redactRaw(err.Error()))}
	}
	if u == nil {
		return proxyChoice{}
	}
	src := "HTTPS_PROXY"
	if target.Scheme == "http" {
		src = "HTTP_PROXY"
	}
	return proxyChoice{url: u, source: src}
}

// env reads the first variable that is set.
func (d *diag) env(names ...string) string {
	for _, n := range names {
		if v := d.o.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// redactProxy shows a proxy URL without any user name or password.
func redactProxy(u *url.URL) string {
	if u == nil {
		return ""
	}
	host := u.Host
	if u.User != nil {
		host = "[credentials redacted]@" + host
	}
	return u.Scheme + "://" + host
}

// redactRaw hides what looks like URL credentials in a text.
func redactRaw(s string) string {
	if i := strings.LastIndex(s, "@"); i >= 0 {
		if j := strings.Index(s, "://"); j >= 0 && j < i {
			return s[:j+3] + "[credentials redacted]" + s[i:]
		}
	}
	return s
}

func (d *diag) checkProxy() (CheckStatus, string) {
	const system = "system proxy settings: not read by this version"
	var env []string
	for _, k := range []string{"HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"} {
		if v := d.env(k, strings.ToLower(k)); v != "" {
			if k == "NO_PROXY" {
				env = append(env, k+"="+v)
				continue
			}
			if u, err := url.Parse(v); err == nil && u.Host != "" {
				env = append(env, k+"="+redactProxy(u))
			} else {
				env = append(env, k+"=(not a URL)")
			}
		}
	}
	envText := "environment: none"
	if len(env) > 0 {
		envText = "environment: " + strings.Join(env, ", ")
	}
	if !d.usable() {
		return CheckSkip, "no login host to choose a proxy for; " + envText + "; " + system
	}
	pc := d.proxy()
	if pc.err != nil {
		return CheckFail, pc.err.Error() + "; " + envText
	}
	if pc.url == nil {
		return CheckOK, fmt.Sprintf("direct to %s (no proxy in the profile; %s; %s)", d.login.Host, envText, system)
	}
	detail := fmt.Sprintf("%s for %s, from %s; %s; %s", redactProxy(pc.url), d.login.Host, pc.source, envText, system)
	if _, hasPassword := pc.url.User.Password(); hasPassword && pc.source == "the profile" {
		return CheckFail, detail + "; the profile's proxy holds a password, which settings must not: set HTTPS_PROXY instead"
	}
	return CheckOK, detail
}

func (d *diag) checkDNS() (CheckStatus, string) {
	if !d.usable() {
		return d.skipNoHost()
	}
	host := d.login.Host
	if ip := net.ParseIP(host); ip != nil {
		return CheckOK, host + " is an address: no lookup needed"
	}
	ctx, cancel := context.WithTimeout(d.ctx, d.o.Timeout)
	defer cancel()
	start := time.Now()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	ms := time.Since(start).Milliseconds()
	pc := d.proxy()
	if err != nil {
		msg := fmt.Sprintf("%s could not be looked up: %v", host, lookupReason(err))
		if pc.url != nil {
			return CheckSkip, msg + "; the app's connections go through the proxy " + redactProxy(pc.url) + ", which looks names up itself"
		}
		return CheckFail, msg + ": check the login address (the spelling of your My Domain), the network and the DNS servers"
	}
	shown := make([]string, 0, 4)
	for i, a := range addrs {
		if i == 4 {
			shown = append(shown, fmt.Sprintf("and %d more", len(addrs)-4))
			break
		}
		shown = append(shown, a.IP.String())
	}
	return CheckOK, fmt.Sprintf("%s is %s (%d ms)", host, strings.Join(shown, ", "), ms)
}

func lookupReason(err error) string {
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		return "no such name"
	case errors.As(err, &de) && de.IsTimeout, errors.Is(err, context.DeadlineExceeded):
		return "no answer in time"
	case errors.As(err, &de):
		return de.Err
	}
	return err.Error()
}

// hostPort is the login host's address with its port.
func (d *diag) hostPort() string {
	u, _ := url.Parse(d.login.URL)
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return net.JoinHostPort(d.login.Host, port)
}

func (d *diag) checkTCP() (CheckStatus, string) {
	if !d.usable() {
		return d.skipNoHost()
	}
	target, what := d.hostPort(), ""
	pc := d.proxy()
	if pc.err != nil {
		return CheckSkip, "the proxy setting is unusable (see proxy)"
	}
	if pc.url != nil {
		port := pc.url.Port()
		if port == "" {
			port = map[string]string{"https": "443", "socks5": "1080"}[pc.url.Scheme]
			if port == "" {
				port = "80"
			}
		}
		target, what = net.JoinHostPort(pc.url.Hostname(), port), "the proxy "
	}
	ctx, cancel := context.WithTimeout(d.ctx, d.o.Timeout)
	defer cancel()
	start := time.Now()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", target)
	if err != nil {
		return CheckFail, fmt.Sprintf("could not connect to %s%s: %s", what, target, dialReason(err, d.o.Timeout))
	}
	remote := conn.RemoteAddr().String()
	_ = conn.Close()
	if remote != target {
		target += " (" + remote + ")"
	}
	return CheckOK, fmt.Sprintf("connected to %s%s in %d ms", what, target, time.Since(start).Milliseconds())
}

func dialReason(err error, timeout time.Duration) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("no answer within %s (a firewall may drop the connection)", timeout)
	case strings.Contains(err.Error(), "refused"):
		return "connection refused (nothing listens there, or a firewall rejects it)"
	case strings.Contains(err.Error(), "unreachable"):
		return "network unreachable"
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err.Error()
	}
	return err.Error()
}

// exchange is one unauthenticated GET of the login host's API list,
// through the proxy that applies, with the TLS handshake recorded and its
// verification left to checkTLS: so a certificate this computer does not
// trust, or a clock so wrong that none is valid, can still be described,
// and the server's Date still read. Nothing secret is sent.
type exchange struct {
	state   *tls.ConnectionState
	date    time.Time // the server's Date header
	local   time.Time // this computer's clock when the answer came
	status  int
	elapsed time.Duration
	err     error
}

func (d *diag) exchangeOnce() exchange {
	d.exOnce.Do(func() { d.ex = d.doExchange() })
	return d.ex
}

func (d *diag) doExchange() exchange {
	var ex exchange
	pc := d.proxy()
	if pc.err != nil {
		ex.err = pc.err
		return ex
	}
	var mu sync.Mutex
	tr := &http.Transport{
		Proxy: func(*http.Request) (*url.URL, error) { return pc.url, nil },
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS12,
			ServerName: d.login.Host,
			// Verification is checkTLS's, against the recorded chain: the
			// request carries nothing secret, and a chain that does not
			// verify is exactly what the check must be able to describe.
			InsecureSkipVerify: true, //nolint:gosec // see above
			VerifyConnection: func(cs tls.ConnectionState) error {
				mu.Lock()
				ex.state = &cs
				mu.Unlock()
				return nil
			},
		},
		DisableKeepAlives:      true,
		TLSHandshakeTimeout:    d.o.Timeout,
		ResponseHeaderTimeout:  d.o.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: d.o.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ctx, cancel := context.WithTimeout(d.ctx, d.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.login.URL+"/services/data/", nil)
	if err != nil {
		ex.err = err
		return ex
	}
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	ex.elapsed = time.Since(start)
	if err != nil {
		ex.err = err
		return ex
	}
	ex.local = d.o.Now()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	ex.status = resp.StatusCode
	if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		ex.date = t
	}
	mu.Lock()
	defer mu.Unlock()
	return ex
}

// transportReason is a transport error for people, without its URL.
func transportReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return redactRaw(err.Error())
}

func (d *diag) checkTLS() (CheckStatus, string) {
	if !d.usable() {
		return d.skipNoHost()
	}
	if strings.HasPrefix(d.login.URL, "http://") {
		d.exchangeOnce() // the clock check still reads the Date
		return CheckSkip, "plain http to this computer (tests and the demo only): no TLS"
	}
	ex := d.exchangeOnce()
	if ex.state == nil {
		if ex.err != nil {
			return CheckFail, fmt.Sprintf("no TLS handshake with %s: %s", d.login.Host, transportReason(ex.err))
		}
		return CheckFail, "no TLS handshake took place"
	}
	return d.describeChain(*ex.state)
}

// describeChain verifies and describes the chain a server presented.
func (d *diag) describeChain(cs tls.ConnectionState) (CheckStatus, string) {
	certs := cs.PeerCertificates
	if len(certs) == 0 {
		return CheckFail, "the server presented no certificate"
	}
	leaf, top := certs[0], certs[len(certs)-1]
	links := make([]string, 0, len(certs))
	for _, c := range certs {
		links = append(links, certLabel(c.Subject.CommonName, c.Subject.Organization))
	}
	topIssuer := certLabel(top.Issuer.CommonName, top.Issuer.Organization)
	chain := fmt.Sprintf("%s; chain %s, issued by %s", tlsVersion(cs.Version), strings.Join(links, " ← "), topIssuer)
	now := d.o.Now()
	dates := fmt.Sprintf("valid %s to %s", leaf.NotBefore.UTC().Format("2006-01-02"), leaf.NotAfter.UTC().Format("2006-01-02"))

	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{DNSName: d.login.Host, Intermediates: inter, CurrentTime: now}
	_, sysErr := leaf.Verify(opts)
	verifiedBy := "this computer's trusted roots"
	verifyErr := sysErr
	if sysErr != nil && d.profile.CAFile != "" {
		if pool, err := loadPEMPool(d.profile.CAFile); err != nil {
			verifyErr = fmt.Errorf("%v; and the profile's extra CA file %s cannot be used: %v", sysErr, d.profile.CAFile, err)
		} else {
			opts.Roots = pool
			if _, err := leaf.Verify(opts); err == nil {
				verifyErr, verifiedBy = nil, "the profile's extra CA file "+d.profile.CAFile
			}
		}
	}
	interceptor := interceptorName(topIssuer + " " + strings.Join(links, " "))
	salesforceHost := d.login.Kind != sfclient.HostOther && d.login.Kind != sfclient.HostLoopback
	switch {
	case now.Before(leaf.NotBefore):
		return CheckFail, fmt.Sprintf("%s; not valid yet (%s): check this computer's date and time (see clock)", chain, dates)
	case now.After(leaf.NotAfter):
		return CheckFail, fmt.Sprintf("%s; expired (%s): check this computer's date and time (see clock); if it is right, something on the network is interfering", chain, dates)
	case verifyErr != nil:
		why := "the chain does not verify with this computer's trusted roots"
		var he x509.HostnameError
		if errors.As(verifyErr, &he) {
			why = "the certificate is for another site"
		}
		detail := fmt.Sprintf("%s; %s; %s", chain, dates, why)
		if interceptor != "" || salesforceHost && !publicSalesforceCA(topIssuer) {
			detail += ": an intercepting proxy" + named(interceptor) + " on your network is presenting its own certificate; ask IT for its root certificate (PEM) and set it as the profile's extra CA file"
		}
		return CheckFail, detail
	}
	detail := fmt.Sprintf("%s; %s (%d days left); verified with %s", chain, dates, int(leaf.NotAfter.Sub(now).Hours()/24), verifiedBy)
	if interceptor != "" || salesforceHost && !publicSalesforceCA(topIssuer) {
		detail += "; not a public CA Salesforce uses (DigiCert): an intercepting proxy" + named(interceptor) + " reads this connection"
	}
	return CheckOK, detail
}

func named(name string) string {
	if name == "" {
		return ""
	}
	return " (" + name + ")"
}

func certLabel(cn string, org []string) string {
	switch {
	case cn != "":
		return strconv.Quote(cn)
	case len(org) > 0:
		return strconv.Quote(org[0])
	}
	return "(unnamed)"
}

func tlsVersion(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "TLS 1.3"
	case tls.VersionTLS12:
		return "TLS 1.2"
	}
	return fmt.Sprintf("TLS 0x%04x", v)
}

// publicSalesforceCA tells issuers of the public CA Salesforce's
// certificates chain to: DigiCert (Global Root CA, Global Root G2) and its
// brands.
func publicSalesforceCA(issuer string) bool {
	l := strings.ToLower(issuer)
	for _, n := range []string{"digicert", "geotrust", "thawte", "rapidssl", "quovadis"} {
		if strings.Contains(l, n) {
			return true
		}
	}
	return false
}

// interceptors are products that inspect TLS by presenting certificates of
// their own, by the names their CAs carry.
var interceptors = []struct{ match, name string }{
	{"zscaler", "Zscaler"}, {"netskope", "Netskope"}, {"fortinet", "Fortinet FortiGate"}, {"fortigate", "Fortinet FortiGate"},
	{"palo alto", "Palo Alto Networks"}, {"blue coat", "Symantec Blue Coat"}, {"bluecoat", "Symantec Blue Coat"},
	{"sophos", "Sophos"}, {"umbrella", "Cisco Umbrella"}, {"cisco", "Cisco"}, {"forcepoint", "Forcepoint"},
	{"websense", "Forcepoint"}, {"check point", "Check Point"}, {"checkpoint", "Check Point"}, {"kaspersky", "Kaspersky"},
	{"avast", "Avast"}, {"avg ", "AVG"}, {"eset", "ESET"}, {"bitdefender", "Bitdefender"}, {"mcafee", "McAfee"},
	{"skyhigh", "Skyhigh"}, {"iboss", "iboss"}, {"menlo", "Menlo Security"}, {"barracuda", "Barracuda"},
	{"sonicwall", "SonicWall"}, {"watchguard", "WatchGuard"}, {"untangle", "Untangle"}, {"mitmproxy", "mitmproxy"},
	{"fiddler", "Fiddler"}, {"charles proxy", "Charles Proxy"},
}

func interceptorName(s string) string {
	l := strings.ToLower(s)
	for _, i := range interceptors {
		if strings.Contains(l, i.match) {
			return i.name
		}
	}
	return ""
}

// loadPEMPool reads a CA file (at most 4 MiB) into a pool of its own.
func loadPEMPool(path string) (*x509.CertPool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4<<20+1))
	if err != nil {
		return nil, err
	}
	if len(b) > 4<<20 {
		return nil, errors.New("larger than 4 MiB")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, errors.New("no PEM certificate in it")
	}
	return pool, nil
}

// MaxClockSkew is how far this computer's clock may be from Salesforce's
// before diagnose calls it a failure.
const MaxClockSkew = 2 * time.Minute

func (d *diag) checkClock() (CheckStatus, string) {
	if !d.usable() {
		return d.skipNoHost()
	}
	ex := d.exchangeOnce()
	if ex.date.IsZero() {
		if ex.err != nil {
			return CheckSkip, "no answer from " + d.login.Host + " to read its clock from (see tls)"
		}
		return CheckSkip, d.login.Host + " sent no Date header"
	}
	// The Date header has whole seconds.
	skew := ex.date.Sub(ex.local.Truncate(time.Second))
	abs := skew.Abs()
	dir := "ahead of"
	if skew > 0 {
		dir = "behind"
	}
	if abs <= 2*time.Second {
		return CheckOK, fmt.Sprintf("this computer's clock agrees with %s's (Date header %s)", d.login.Host, ex.date.UTC().Format(time.RFC3339))
	}
	detail := fmt.Sprintf("this computer's clock is %s %s %s's (Date header %s)", abs.Round(time.Second), dir, d.login.Host, ex.date.UTC().Format(time.RFC3339))
	if abs > MaxClockSkew {
		return CheckFail, detail + ": certificates can look expired and browser sign-in can fail; set the clock to update automatically"
	}
	return CheckOK, detail
}

func (d *diag) checkSalesforce() (CheckStatus, string) {
	if !d.usable() {
		return d.skipNoHost()
	}
	c, err := sfclient.New(Config(*d.profile, d.o.Timeout))
	if err != nil {
		return CheckFail, "the profile cannot be used: " + err.Error()
	}
	ctx, cancel := context.WithTimeout(d.ctx, d.o.Timeout)
	defer cancel()
	start := time.Now()
	pr := c.Probe(ctx)
	ms := time.Since(start).Milliseconds()
	switch {
	case pr.Reachable:
		return CheckOK, fmt.Sprintf("GET %s/services/data/ answered with Salesforce's API versions, up to %s (%d ms)", d.login.URL, pr.Latest, ms)
	case pr.Err != nil:
		return CheckFail, fmt.Sprintf("GET %s/services/data/ failed: %s", d.login.URL, transportReason(pr.Err))
	}
	return CheckFail, fmt.Sprintf("GET %s/services/data/ answered %s, not Salesforce's API list: this address is not Salesforce, or something on the network (a proxy, filter or Wi-Fi sign-in page) answers in its place", d.login.URL, pr.Answer)
}

func (d *diag) checkKeychain() (CheckStatus, string) {
	if d.o.Store == nil {
		return CheckFail, fmt.Sprintf("the credential store could not be opened: %v", d.o.StoreErr)
	}
	start := time.Now()
	if err := d.o.Store.RoundTrip(d.ctx); err != nil {
		detail := err.Error()
		var coded interface{ Code() string }
		if errors.As(err, &coded) {
			detail = coded.Code() + ": " + detail
		}
		return CheckFail, "a throw-away entry could not be written, read back and deleted: " + detail
	}
	return CheckOK, fmt.Sprintf("wrote, read back and deleted a throw-away entry in %s (%d ms)", KeychainName(), time.Since(start).Milliseconds())
}

// KeychainName names the OS keychain the way its users know it.
func KeychainName() string {
	switch runtime.GOOS {
	case "darwin":
		return "the macOS Keychain"
	case "windows":
		return "the Windows Credential Manager"
	}
	return "the Secret Service keyring"
}

func (d *diag) checkSettings() (CheckStatus, string) {
	if d.o.Store == nil {
		return CheckFail, fmt.Sprintf("the credential store could not be opened: %v", d.o.StoreErr)
	}
	path := d.o.Store.Path()
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return CheckOK, path + " does not exist yet (nothing saved)"
	}
	if err != nil {
		return CheckFail, fmt.Sprintf("%s cannot be read: %v", path, err)
	}
	var problems []string
	modes := ""
	if runtime.GOOS != "windows" {
		fileMode, dirMode, dirOK := fi.Mode().Perm(), os.FileMode(0), false
		if dir, derr := os.Stat(filepath.Dir(path)); derr == nil {
			dirMode, dirOK = dir.Mode().Perm(), true
		}
		// Reading the settings narrows our own file and folder: report
		// the modes as they were found.
		fixed := ""
		if d.modesSeen {
			if d.fileMode != fileMode || d.dirMode != dirMode {
				fixed = " (narrowed by this run)"
			}
			fileMode, dirMode, dirOK = d.fileMode, d.dirMode, true
		}
		modes = fmt.Sprintf(", file %04o", fileMode)
		if fileMode != 0o600 {
			problems = append(problems, fmt.Sprintf("the file's permissions are %04o, not 0600%s", fileMode, fixed))
		}
		if dirOK {
			modes += fmt.Sprintf(", folder %04o", dirMode)
			if dirMode&0o077 != 0 {
				problems = append(problems, fmt.Sprintf("the folder's permissions are %04o, not 0700%s", dirMode, fixed))
			}
		}
	}
	if d.settingsErr != nil {
		detail := d.settingsErr.Error()
		var coded interface{ Code() string }
		if errors.As(d.settingsErr, &coded) {
			detail = coded.Code() + ": " + detail
		}
		return CheckFail, strings.Join(append([]string{detail}, problems...), "; ")
	}
	for _, p := range d.settings.Profiles {
		if p.Interrupted() {
			problems = append(problems, fmt.Sprintf("the last save of profile %q was interrupted (%s): test it, or enter its credentials again",
				p.Name, p.SaveInterrupted.UTC().Format(time.RFC3339)))
		}
	}
	def := "no default"
	if d.settings.Default != "" {
		def = "default " + strconv.Quote(d.settings.Default)
	}
	summary := fmt.Sprintf("%s: schema %d, %d profile(s), %s%s", path, d.settings.Version, len(d.settings.Profiles), def, modes)
	if len(problems) > 0 {
		return CheckFail, summary + "; " + strings.Join(problems, "; ")
	}
	return CheckOK, summary
}

// runLogins tests each profile's saved login, with Login; else one SKIP.
func (d *diag) runLogins() {
	if !d.o.Login {
		d.run("login", func() (CheckStatus, string) {
			return CheckSkip, "saved logins not tested: each test counts towards Salesforce's lockout (run diagnose --login)"
		})
		return
	}
	if d.o.Store == nil || d.settingsErr != nil {
		d.run("login", func() (CheckStatus, string) { return CheckFail, "the saved profiles could not be read (see settings)" })
		return
	}
	profiles := d.settings.Profiles
	if d.o.Profile != "" {
		profiles = nil
		if d.profile != nil {
			profiles = []credstore.Profile{*d.profile}
		}
	}
	if len(profiles) == 0 {
		d.run("login", func() (CheckStatus, string) { return CheckSkip, "no saved profile to test" })
		return
	}
	for _, p := range profiles {
		d.run("login:"+p.Name, func() (CheckStatus, string) { return d.checkLogin(p) })
	}
}

func (d *diag) checkLogin(p credstore.Profile) (CheckStatus, string) {
	p, err := d.applyPolicy(p)
	if err != nil {
		return CheckFail, "not tested: " + err.Error()
	}
	o := checkStored(d.ctx, d.o.Store, p, d.o.LoginTimeout)
	if !o.Checked {
		return CheckFail, fmt.Sprintf("not tested: %s: %s", o.Code, o.Message)
	}
	warn := ""
	if len(o.Warnings) > 0 {
		warn = "; " + strings.Join(o.Warnings, "; ")
	}
	r := o.Result
	if r.OK {
		return CheckOK, fmt.Sprintf("logged in as %s to %s (%s) with %s in %d ms%s", r.Who(), r.Org(), r.InstanceURL, r.Method.Label(), r.ElapsedMS, warn)
	}
	return CheckFail, fmt.Sprintf("%s: %s (%s, %s)%s", r.Code, r.Headline, r.Method.Label(), r.LoginURL, warn)
}

// checkLoginHistory lists the last failed attempts from the user's own
// Login History, with a saved browser sign-in of the diagnosed profile's
// user: one token refresh and one query, never a login.
func (d *diag) checkLoginHistory() (CheckStatus, string) {
	if d.o.Store == nil || d.profile == nil {
		return CheckSkip, "no profile, so no browser sign-in to read Login History with"
	}
	bp, ok := *d.profile, d.profile.Method == credstore.MethodOAuthBrowser
	if !ok {
		bp, ok = SessionProfile(d.settings, *d.profile)
		if ok {
			bp, _ = d.applyPolicy(bp)
		}
	}
	if !ok {
		return CheckSkip, fmt.Sprintf("no browser sign-in of %s is saved, so Login History cannot be read (advologix-connect login --browser adds one)", d.profile.Username)
	}
	sec, err := d.o.Store.Secrets(d.ctx, bp.Name)
	if err == nil && sec.RefreshToken == "" {
		err = ErrSecretsMissing
	}
	if err != nil {
		return CheckFail, fmt.Sprintf("profile %q's browser sign-in could not be read: %v", bp.Name, err)
	}
	d.secret(sec.RefreshToken)
	d.secret(sec.ClientSecret)
	bp.Method = credstore.MethodOAuthBrowser
	c, err := sfclient.New(Config(bp, d.o.Timeout))
	if err != nil {
		return CheckFail, fmt.Sprintf("profile %q cannot be used: %v", bp.Name, err)
	}
	var saveErr error
	sess, fail := c.RefreshSession(d.ctx, sfclient.Credentials{RefreshToken: sec.RefreshToken, ClientSecret: sec.ClientSecret,
		OnRefreshTokenRotated: func(tok string) {
			d.secret(tok)
			saveErr = d.o.Store.UpdateSecret(d.ctx, bp.Name, credstore.KindRefreshToken, tok)
		}})
	if fail != nil {
		return CheckFail, fmt.Sprintf("the browser sign-in of profile %q did not work (%s): %s", bp.Name, fail.Code, fail.Headline)
	}
	d.secret(sess.AccessToken)
	h, err := c.QueryLoginHistory(d.ctx, sess)
	if err != nil {
		return CheckFail, err.Error()
	}
	note := ""
	if saveErr != nil {
		note = "; the refresh token Salesforce rotated could not be saved: " + saveErr.Error()
	}
	var failed []string
	for _, a := range h.Attempts {
		if a.Status == "" || strings.EqualFold(a.Status, "Success") {
			continue
		}
		if len(failed) < HistoryShown {
			failed = append(failed, fmt.Sprintf("%s %s (%s)", a.LoginTime.UTC().Format("2006-01-02 15:04:05Z"), a.Status, a.LoginType))
		}
	}
	who := fmt.Sprintf("read with profile %q", bp.Name)
	if len(failed) == 0 {
		return CheckOK, fmt.Sprintf("no failed login among the last %d in %s's Login History (%s)%s", len(h.Attempts), d.profile.Username, who, note)
	}
	detail := fmt.Sprintf("latest failed logins of %s: %s (%s)%s", d.profile.Username, strings.Join(failed, "; "), who, note)
	if newest := h.Attempts[0]; !strings.EqualFold(newest.Status, "Success") {
		return CheckFail, "the latest login failed; " + detail
	}
	return CheckOK, detail
}
