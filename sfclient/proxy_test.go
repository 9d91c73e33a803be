package sfclient_test

import (
	"context"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

func TestProxyOrderExplicitEnvironmentSystem(t *testing.T) {
	const target = "https://firm.my.salesforce.com/services/Soap/u/64.0"
	for _, tc := range []struct {
		name     string
		explicit string
		env      map[string]string
		system   string
		bypass   string
		want     string
	}{
		{"system only", "", nil, "sys.firm:8080", "", "sys.firm:8080"},
		{"environment beats system", "", map[string]string{"HTTPS_PROXY": "http://env.firm:3128"}, "sys.firm:8080", "", "env.firm:3128"},
		{"explicit beats both", "http://explicit.firm:9000", map[string]string{"HTTPS_PROXY": "http://env.firm:3128"}, "sys.firm:8080", "", "explicit.firm:9000"},
		{"an empty environment variable does not count", "", map[string]string{"HTTPS_PROXY": ""}, "sys.firm:8080", "", "sys.firm:8080"},
		{"none", "", nil, "", "", ""},
		{"bypass wildcard", "", nil, "sys.firm:8080", "*.salesforce.com;intranet", ""},
		{"bypass other host", "", nil, "sys.firm:8080", "*.example.com", "sys.firm:8080"},
		{"<local> leaves dotted names", "", nil, "sys.firm:8080", "<local>", "sys.firm:8080"},
		{"a system proxy with a password is used without it", "", nil, "http://bob:pw@sys.firm:8080", "", "sys.firm:8080"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer sfclient.SystemProxyForTest(tc.system, tc.bypass, tc.env)()
			c, err := sfclient.New(sfclient.Config{LoginURL: "https://firm.my.salesforce.com", Proxy: tc.explicit})
			if err != nil {
				t.Fatal(err)
			}
			got, err := sfclient.ProxyForTest(c, target)
			if err != nil || got != tc.want {
				t.Errorf("proxy = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestSystemProxyBypassRules(t *testing.T) {
	for _, tc := range []struct {
		url, bypass string
		proxied     bool
	}{
		{"https://127.0.0.1:8443/", "", false},           // loopback is bypassed implicitly...
		{"https://localhost:8443/", "", false},           //
		{"https://127.0.0.1:8443/", "<-loopback>", true}, // ...unless <-loopback> says otherwise
		{"https://intranet/", "<local>", false},
		{"https://intranet/", "", true},
		{"https://LOGIN.Salesforce.com/", "*.salesforce.com", false},
		{"https://login.salesforce.com:443/", "login.salesforce.com:443", false},
		{"https://login.salesforce.com/", "test.salesforce.com; 10.*", true},
		{"https://10.1.2.3/", "test.salesforce.com; 10.*", false},
	} {
		defer sfclient.SystemProxyForTest("sys.firm:8080", tc.bypass, nil)()
		c, err := sfclient.New(sfclient.Config{LoginURL: "https://login.salesforce.com"})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := sfclient.ProxyForTest(c, tc.url)
		if (got != "") != tc.proxied {
			t.Errorf("%s with bypass %q: proxy %q, want proxied=%v", tc.url, tc.bypass, got, tc.proxied)
		}
	}
}

// The whole check goes through the system proxy, and a proxy that wants
// a sign-in is PROXY_ERROR with a hint that says so.
func TestCheckThroughSystemProxy(t *testing.T) {
	srv := newServer(t, nil)
	proxy, err := sftest.NewConnectProxy("", false)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	defer sfclient.SystemProxyForTest(proxy.Addr(), "<-loopback>", nil)()
	r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
	if !r.OK {
		t.Fatalf("check through the proxy: %s %s", r.Code, r.Message)
	}
	host := strings.TrimPrefix(srv.URL(), "https://")
	if got := proxy.Connects(); len(got) == 0 || got[0] != host {
		t.Errorf("CONNECTs = %v, want at least one to %s", got, host)
	}

	auth, err := sftest.NewConnectProxy("", true)
	if err != nil {
		t.Fatal(err)
	}
	defer auth.Close()
	defer sfclient.SystemProxyForTest(auth.Addr(), "<-loopback>", nil)()
	before := loginRequests(srv)
	c := newChecker(t, srv, sfclient.Config{})
	r = c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
	if r.Code != sfclient.CodeProxy || !strings.Contains(r.Hint, "sign-in") {
		t.Errorf("407: code %s hint %q; want PROXY_ERROR naming the proxy sign-in", r.Code, r.Hint)
	}
	if loginRequests(srv) != before || len(auth.Connects()) == 0 {
		t.Errorf("407: %d login requests reached the server, %d CONNECTs; want none and some", loginRequests(srv)-before, len(auth.Connects()))
	}
}
