package sfclient

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"

	"golang.org/x/net/http/httpproxy"
)

// The proxy of a request, in this order (the first that says anything
// wins):
//
//  1. the profile's explicit proxy (Config.Proxy, --proxy), handled in
//     newHTTPClient;
//  2. the environment: HTTPS_PROXY, HTTP_PROXY, NO_PROXY (and lower case);
//  3. the system's settings, as Outlook sees them: on Windows the
//     WinINET/WinHTTP configuration (static proxy with its bypass list,
//     auto-config URL / PAC and auto-detect, evaluated by Windows' own
//     WinHttpGetProxyForUrl), on macOS the System Configuration proxies.
//
// Proxy credentials are never stored: a proxy that wants a sign-in (407)
// ends the check with PROXY_ERROR and a hint that says so.

// systemProxyConfig is the system's proxy configuration, read fresh for
// each Checker (a tray app runs for days; the user may change networks).
type systemProxyConfig struct {
	// Static is the manual proxy per scheme ("https", "http"; "" for all).
	Static map[string]string
	// Bypass is the raw bypass list (Windows ProxyOverride: ';'-separated,
	// wildcards, "<local>", "<-loopback>").
	Bypass string
	// Auto, when set, evaluates the PAC script / auto-detect for a URL:
	// "host:port", "" for DIRECT, ok=false when no script answered.
	Auto func(rawURL string) (proxy string, ok bool)

	mu    sync.Mutex
	cache map[string]autoAnswer // by scheme://host:port, for one Checker
}

type autoAnswer struct {
	proxy string
	ok    bool
}

// auto runs the auto-config evaluation for u within the request's
// deadline (the system's evaluator has no deadline of its own: it may
// fetch the script), once per scheme and host.
func (c *systemProxyConfig) auto(ctx context.Context, u *url.URL) (string, bool) {
	key := u.Scheme + "://" + u.Host
	c.mu.Lock()
	if a, hit := c.cache[key]; hit {
		c.mu.Unlock()
		return a.proxy, a.ok
	}
	c.mu.Unlock()
	done := make(chan autoAnswer, 1)
	go func() {
		p, ok := c.Auto(u.Scheme + "://" + u.Host + "/")
		done <- autoAnswer{p, ok}
	}()
	select {
	case a := <-done:
		c.mu.Lock()
		if c.cache == nil {
			c.cache = map[string]autoAnswer{}
		}
		c.cache[key] = a
		c.mu.Unlock()
		return a.proxy, a.ok
	case <-ctx.Done():
		return "", false
	}
}

// readSystemProxy is the platform's reader (proxy_windows.go,
// proxy_darwin.go); nil means the platform has none beyond the
// environment. Tests replace it.
var readSystemProxy func() *systemProxyConfig

// proxyFromEnvOrSystem is the transport's proxy function when the profile
// names none: the environment when it sets a proxy, else the system's.
func proxyFromEnvOrSystem() func(*http.Request) (*url.URL, error) {
	return proxyChain(environmentSetsProxy(), readSystemProxy)
}

func proxyChain(envSet bool, read func() *systemProxyConfig) func(*http.Request) (*url.URL, error) {
	if envSet || read == nil {
		return environmentProxy()
	}
	sys := read()
	if sys == nil {
		return environmentProxy()
	}
	return sys.proxyFor
}

// environmentProxy is http.ProxyFromEnvironment's rule (upper case first,
// NO_PROXY, loopback never proxied), read through lookupEnv.
func environmentProxy() func(*http.Request) (*url.URL, error) {
	get := func(k string) string {
		if v, ok := lookupEnv(k); ok {
			return v
		}
		v, _ := lookupEnv(strings.ToLower(k))
		return v
	}
	f := (&httpproxy.Config{HTTPProxy: get("HTTP_PROXY"), HTTPSProxy: get("HTTPS_PROXY"), NoProxy: get("NO_PROXY")}).ProxyFunc()
	return func(req *http.Request) (*url.URL, error) { return f(req.URL) }
}

// environmentSetsProxy tells whether the environment names a proxy (an
// empty NO_PROXY alone does not count).
func environmentSetsProxy() bool {
	for _, k := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		if v, ok := lookupEnv(k); ok && strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

// proxyFor picks the system proxy for one request, as Windows does: the
// auto-config script first (if it answers), then the static proxy unless
// the host is on the bypass list.
func (c *systemProxyConfig) proxyFor(req *http.Request) (*url.URL, error) {
	if c.Auto != nil {
		if p, ok := c.auto(req.Context(), req.URL); ok {
			if p == "" {
				return nil, nil // DIRECT
			}
			return parseProxyAddr(p)
		}
	}
	p := c.Static[req.URL.Scheme]
	if p == "" {
		p = c.Static[""]
	}
	if p == "" || bypassed(req.URL, c.Bypass) {
		return nil, nil
	}
	return parseProxyAddr(p)
}

// parseProxyAddr accepts "host:port" or a URL ("http://host:port").
func parseProxyAddr(p string) (*url.URL, error) {
	p = strings.TrimSpace(p)
	if !strings.Contains(p, "://") {
		p = "http://" + p
	}
	u, err := url.Parse(p)
	if err != nil || u.Host == "" {
		return nil, &ConfigError{Field: "proxy", Value: RedactProxy(p), Reason: "the system proxy setting is not an address"}
	}
	u.User = nil // never send (or show) credentials from a setting
	return u, nil
}

// bypassed applies a Windows ProxyOverride list to u's host: "*" and "?"
// wildcards, "<local>" for names without a dot, and the implicit bypass of
// loopback addresses unless "<-loopback>" is listed.
func bypassed(u *url.URL, list string) bool {
	host := strings.ToLower(u.Hostname())
	hostPort := strings.ToLower(u.Host)
	loopback := true
	for _, e := range strings.FieldsFunc(strings.ToLower(list), func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
		switch e {
		case "<-loopback>":
			loopback = false
			continue
		case "<local>":
			if !strings.Contains(host, ".") && !strings.Contains(host, ":") {
				return true
			}
			continue
		}
		e = strings.TrimPrefix(strings.TrimPrefix(e, "https://"), "http://")
		for _, candidate := range []string{host, hostPort} {
			if ok, _ := path.Match(e, candidate); ok {
				return true
			}
		}
	}
	if loopback {
		if host == "localhost" {
			return true
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return true
		}
	}
	return false
}

// lookupEnv reads the environment (a variable for tests).
var lookupEnv = os.LookupEnv
