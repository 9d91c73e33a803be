package connection

// This file holds the TLS and clock checks of Diagnose: one unauthenticated GET
// of the login host, whose certificate chain and Date header they describe.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/advologix/advologix-connect/sfclient"
)

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
