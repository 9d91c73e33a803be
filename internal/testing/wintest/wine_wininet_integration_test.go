//go:build integration

package wintest

import (
	"context"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
)

const internetSettings = `HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings`

// setSystemProxy sets (addr != "") or clears the static WinINET proxy of
// the prefix with `reg add`, as an admin's policy or the Settings app does.
func setSystemProxy(t *testing.T, addr string) {
	t.Helper()
	ctx := context.Background()
	enable := "0"
	if addr != "" {
		enable = "1"
		if err := suite.wine.RegAdd(ctx, internetSettings, "ProxyServer", "REG_SZ", addr); err != nil {
			t.Fatal(err)
		}
		// The emulator is on loopback, which Windows never proxies unless
		// the bypass list says <-loopback>.
		if err := suite.wine.RegAdd(ctx, internetSettings, "ProxyOverride", "REG_SZ", "<-loopback>"); err != nil {
			t.Fatal(err)
		}
	}
	if err := suite.wine.RegAdd(ctx, internetSettings, "ProxyEnable", "REG_DWORD", enable); err != nil {
		t.Fatal(err)
	}
}

func TestSystemProxyFromRegistry(t *testing.T) {
	proxy, err := sftest.NewConnectProxy("", false)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	setSystemProxy(t, proxy.Addr())
	defer setSystemProxy(t, "")
	args := []string{"check", "--json", "--password-stdin", "--login-url", suite.srv.URL(), "--username", user, "--ca-file", suite.caWin}
	r := app(t, pass+"\n"+token+"\n", args...)
	if o := parse(t, r); r.code != 0 || !o.OK {
		t.Fatalf("check through the system proxy: exit %d %s%s", r.code, r.stdout, r.stderr)
	}
	host := strings.TrimPrefix(suite.srv.URL(), "https://")
	got := proxy.Connects()
	if len(got) == 0 || got[0] != host {
		t.Fatalf("the system proxy saw CONNECTs %v, want them to %s", got, host)
	}
	t.Logf("%d CONNECT(s) through the proxy set in the registry", len(got))

	// The profile's explicit proxy comes first.
	explicit, err := sftest.NewConnectProxy("", false)
	if err != nil {
		t.Fatal(err)
	}
	defer explicit.Close()
	n := len(proxy.Connects())
	r = app(t, pass+"\n"+token+"\n", append(args, "--proxy", "http://"+explicit.Addr())...)
	if r.code != 0 || len(explicit.Connects()) == 0 || len(proxy.Connects()) != n {
		t.Errorf("--proxy: exit %d, explicit proxy %d CONNECTs, system proxy %d more; want the explicit one only",
			r.code, len(explicit.Connects()), len(proxy.Connects())-n)
	}

	// A proxy that wants a sign-in.
	auth, err := sftest.NewConnectProxy("", true)
	if err != nil {
		t.Fatal(err)
	}
	defer auth.Close()
	setSystemProxy(t, auth.Addr())
	r = app(t, pass+"\n"+token+"\n", args...)
	o := parse(t, r)
	if r.code != 1 || o.Code != "PROXY_ERROR" || !strings.Contains(o.Hint, "sign-in") {
		t.Errorf("407: exit %d code %s hint %q; want exit 1, PROXY_ERROR and a hint naming the proxy sign-in", r.code, o.Code, o.Hint)
	}
	if strings.Contains(r.stdout+r.stderr, pass) {
		t.Error("a secret is in the output")
	}
}
