package sfclient

import (
	"strings"
	"sync"

	"github.com/mattn/go-ieproxy"
)

// The macOS system proxy through github.com/mattn/go-ieproxy: in cgo
// builds (the app) it reads CFNetworkCopySystemProxySettings and runs PAC
// through CFNetwork; without cgo it falls back to the environment. Only its
// reader and evaluator are used: the choice (environment first, bypass
// list, loopback) is proxy.go's.

func init() { readSystemProxy = readIEProxy }

// ieMu serialises ReloadConf, which writes a package variable.
var ieMu sync.Mutex

func readIEProxy() *systemProxyConfig {
	ieMu.Lock()
	conf := ieproxy.ReloadConf()
	ieMu.Unlock()
	c := &systemProxyConfig{}
	if conf.Static.Active && len(conf.Static.Protocols) > 0 {
		c.Static = map[string]string{}
		for k, v := range conf.Static.Protocols {
			c.Static[strings.ToLower(k)] = v
		}
		c.Bypass = conf.Static.NoProxy
	}
	return c.withScript(conf.Automatic)
}
