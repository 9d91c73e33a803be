package sfclient

import "net/http"

// SystemProxyForTest makes the system's proxy settings static with bypass
// list bypass (empty proxy: no system proxy) and the environment env, until
// the returned function restores them.
func SystemProxyForTest(proxy, bypass string, env map[string]string) (restore func()) {
	oldRead, oldEnv := readSystemProxy, lookupEnv
	readSystemProxy = func() *systemProxyConfig {
		if proxy == "" {
			return nil
		}
		return &systemProxyConfig{Static: map[string]string{"": proxy}, Bypass: bypass}
	}
	lookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return func() { readSystemProxy, lookupEnv = oldRead, oldEnv }
}

// ProxyForTest is the proxy the Checker's transport picks for rawURL.
func ProxyForTest(c *Checker, rawURL string) (string, error) {
	req, _ := http.NewRequest("GET", rawURL, nil)
	u, err := c.client.Transport.(*http.Transport).Proxy(req)
	if u == nil || err != nil {
		return "", err
	}
	return u.Host, nil
}
