package sfclient

import (
	"errors"
	"strings"

	"github.com/mattn/go-ieproxy"
	"golang.org/x/sys/windows/registry"
)

// The Windows system proxy, as WinINET (Outlook, Edge) has it: our own
// reader of the Internet Settings registry values, and Windows' own PAC /
// WPAD evaluator (WinHttpGetProxyForUrl) through github.com/mattn/go-ieproxy.
//
// go-ieproxy's reader is not used: it asks WinHttpGetIEProxyConfigForCurrentUser
// first and, when that reports auto-detect (the Windows default) without a
// proxy, never looks at ProxyEnable/ProxyServer, so a proxy an admin set
// in the registry (or Wine's prefix) is missed.

func init() { readSystemProxy = readWinINETProxy }

const internetSettings = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`

func readWinINETProxy() *systemProxyConfig {
	root := registry.CURRENT_USER
	// Group Policy "Make proxy settings per-machine": ProxySettingsPerUser=0.
	if k, err := registry.OpenKey(registry.LOCAL_MACHINE, `Software\Policies\Microsoft\Windows\CurrentVersion\Internet Settings`, registry.QUERY_VALUE); err == nil {
		if v, _, err := k.GetIntegerValue("ProxySettingsPerUser"); err == nil && v == 0 {
			root = registry.LOCAL_MACHINE
		}
		k.Close()
	}
	k, err := registry.OpenKey(root, internetSettings, registry.QUERY_VALUE)
	if err != nil {
		return nil
	}
	defer k.Close()
	str := func(name string) string {
		v, _, err := k.GetStringValue(name)
		if err != nil {
			return ""
		}
		return strings.TrimSpace(v)
	}
	c := &systemProxyConfig{}
	if on, _, err := k.GetIntegerValue("ProxyEnable"); err == nil && on != 0 {
		if static := parseProxyServer(str("ProxyServer")); len(static) > 0 {
			c.Static = static
			c.Bypass = str("ProxyOverride")
		}
	}
	script := ieproxy.ProxyScriptConf{PreConfiguredURL: str("AutoConfigURL")}
	script.Active = script.PreConfiguredURL != "" || autoDetectOn(root)
	return c.withScript(script)
}

// parseProxyServer reads "host:port" or "http=h:p;https=h:p;socks=h:p".
func parseProxyServer(v string) map[string]string {
	m := map[string]string{}
	for _, part := range strings.Split(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if scheme, addr, ok := strings.Cut(part, "="); ok {
			scheme = strings.ToLower(strings.TrimSpace(scheme))
			if scheme == "http" || scheme == "https" {
				m[scheme] = strings.TrimSpace(addr)
			}
			continue
		}
		m[""] = part
	}
	return m
}

// autoDetectOn reads "Automatically detect settings" from the flags of the
// DefaultConnectionSettings blob (byte 8, bit 0x08), where WinINET keeps it.
func autoDetectOn(root registry.Key) bool {
	k, err := registry.OpenKey(root, internetSettings+`\Connections`, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	blob, _, err := k.GetBinaryValue("DefaultConnectionSettings")
	if err != nil || errors.Is(err, registry.ErrNotExist) || len(blob) < 9 {
		return false
	}
	return blob[8]&0x08 != 0
}
