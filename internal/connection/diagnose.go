package connection

// This file holds Diagnose itself: the report, the options, the runner that
// keeps one check's failure from the others, and the order of the checks. The
// checks are in diagnose_*.go.

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

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
	d.checkPasswordProfiles()
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

// oneLine keeps a detail on one line of at most 600 characters, cleaned
// with sfclient.CleanText (server text, LANG, file names: no control,
// bidi or invisible formatting character reaches the report). It is the
// last step of every detail.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(sfclient.CleanText(s)), " ")
	if r := []rune(s); len(r) > 600 {
		s = string(r[:600]) + "…"
	}
	return s
}
