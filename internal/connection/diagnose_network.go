package connection

// This file holds the proxy, DNS and TCP checks of Diagnose, and the choice of
// the proxy the app's connections to the login host go through.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/advologix/advologix-connect/sfclient"
	"golang.org/x/net/http/httpproxy"
)

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

// redactProxy shows a proxy URL's scheme and host, its user name and
// password as sfclient.RedactProxy shows them.
func redactProxy(u *url.URL) string {
	if u == nil {
		return ""
	}
	return sfclient.RedactProxy((&url.URL{Scheme: u.Scheme, User: u.User, Host: u.Host}).String())
}

// secretProxies remembers the passwords of every proxy setting the report
// could quote (the profiles', the policy's, the environment's), so that a
// form RedactText does not recognise is still scrubbed (diag.finish).
func (d *diag) secretProxies() {
	raw := []string{d.o.Policy.Proxy}
	for _, p := range d.settings.Profiles {
		raw = append(raw, p.Proxy)
	}
	if d.o.Getenv != nil {
		for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
			raw = append(raw, d.o.Getenv(k))
		}
	}
	for _, s := range raw {
		for _, c := range sfclient.ProxyCredentials(s) {
			d.secret(c)
		}
	}
}

// redactRaw hides proxy credentials in a text (sfclient.RedactText).
func redactRaw(s string) string { return sfclient.RedactText(s) }

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
