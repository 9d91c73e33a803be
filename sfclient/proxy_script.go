//go:build darwin || windows

package sfclient

import (
	"strings"

	"github.com/mattn/go-ieproxy"
)

// withScript sets c's Auto to run script when it is active, and returns
// c, or nil when the system sets neither a static proxy nor a script.
func (c *systemProxyConfig) withScript(script ieproxy.ProxyScriptConf) *systemProxyConfig {
	if script.Active {
		// go-ieproxy answers "" both for DIRECT and for a script that
		// could not be run (no WPAD server): either way the static proxy
		// (if any) decides.
		c.Auto = func(rawURL string) (string, bool) {
			p := strings.TrimSpace(script.FindProxyForURL(rawURL))
			return p, p != ""
		}
	}
	if c.Static == nil && c.Auto == nil {
		return nil
	}
	return c
}
