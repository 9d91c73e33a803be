package cli_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
)

// Issue 23 item 7: a proxy written without a scheme, "user:password@host:port",
// is redacted wherever it is shown, as the http:// form is: check's error
// (text and JSON), diagnose's profile line and its SKIP lines.
func TestSchemelessProxyIsRedacted(t *testing.T) {
	srv, ca := emulator(t, nil)
	const proxyPass = "ProxyPw9"
	proxies := []string{
		"puser:" + proxyPass + "@127.0.0.1:9",
		"p_user:" + proxyPass + "@127.0.0.1:9",
		"puser:Proxy@Pw9/" + proxyPass + "@127.0.0.1:9",
	}
	for i, proxy := range proxies {
		// The subtest's name is in its temp folder's path: not the password.
		t.Run(fmt.Sprint("form", i), func(t *testing.T) {
			pe := newProfileEnv(t)
			st := pe.openStore(t)
			p := credstore.Profile{Name: "proxied", LoginURL: srv.URL(), Username: user, Method: credstore.MethodSOAP, CAFile: ca, Proxy: proxy}
			// Saved as a hand-edited settings.json would hold it.
			if err := st.Save(t.Context(), p, credstore.Secrets{Password: pass, SecurityToken: token}); err != nil {
				t.Fatal(err)
			}
			runs := map[string]run{
				"check --profile":        pe.run(t, "", "check", "--profile", "proxied"),
				"check --profile --json": pe.run(t, "", "check", "--profile", "proxied", "--json"),
				"check --proxy":          pe.run(t, pass+"\n"+token+"\n", "check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca, "--proxy", proxy),
				"check --proxy --json":   pe.run(t, pass+"\n"+token+"\n", "check", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca, "--proxy", proxy, "--json"),
				"diagnose":               pe.runWithEnv(t, nil, "diagnose", "--profile", "proxied"),
				"diagnose --json":        pe.runWithEnv(t, nil, "diagnose", "--profile", "proxied", "--json"),
			}
			for name, r := range runs {
				all := r.stdout + r.stderr
				if strings.Contains(all, proxyPass) || strings.Contains(all, "Pw9") {
					t.Errorf("%s shows the proxy's password:\n%s", name, all)
				}
				if strings.HasPrefix(name, "diagnose") && !strings.Contains(all, "[credentials redacted]") {
					t.Errorf("%s does not say the credentials were redacted:\n%s", name, all)
				}
			}
		})
	}
}
