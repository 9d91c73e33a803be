package sfclient_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/sftest"
	"github.com/advologix/advologix-connect/sfclient"
)

// TestBadAnswers covers what is not a Salesforce verdict: malformed,
// oversized, slow, HTML, server errors, redirects. Each stays within its
// time limit and sends one login request.
func TestBadAnswers(t *testing.T) {
	soapOnly := func(h http.HandlerFunc) func(*sftest.Config) {
		return func(c *sftest.Config) {
			c.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasPrefix(r.URL.Path, "/services/Soap/") && r.URL.Path != "/services/oauth2/token" {
					return false
				}
				h(w, r)
				return true
			}
		}
	}
	everything := func(h http.HandlerFunc) func(*sftest.Config) {
		return func(c *sftest.Config) {
			c.Intercept = func(w http.ResponseWriter, r *http.Request) bool { h(w, r); return true }
		}
	}
	portal := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><head><title>Hotel Guest Wi-Fi</title></head><body>Accept the terms</body></html>")
	}
	tests := []struct {
		name      string
		server    func(*sftest.Config)
		method    sfclient.Method
		timeout   time.Duration
		code      sfclient.Code
		msgHas    string
		hintHas   string
		reachable string // "yes", "no" or "" (no probe)
	}{
		{name: "malformed XML", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, "<soapenv:Envelope><soapenv:Body><loginResponse><result>")
		}), code: sfclient.CodeUnexpectedResponse, hintHas: "Salesforce itself is reachable", reachable: "yes"},
		{name: "oversized", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			chunk := strings.Repeat("x", 64<<10)
			for i := 0; i < 40; i++ {
				if _, err := fmt.Fprint(w, chunk); err != nil {
					return
				}
			}
		}), code: sfclient.CodeUnexpectedResponse, msgHas: "larger than 1024 KiB", reachable: "yes"},
		{name: "captive portal", server: everything(portal), code: sfclient.CodeUnexpectedResponse,
			msgHas: "Hotel Guest Wi-Fi", hintHas: "Wi-Fi sign-in page", reachable: "no"},
		{name: "oauth captive portal", method: sfclient.MethodOAuthPassword, server: everything(portal), code: sfclient.CodeUnexpectedResponse, reachable: "no"},
		{name: "503 page", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, "<html><title>Down for maintenance</title></html>")
		}), code: sfclient.CodeServerUnavailable, msgHas: "Down for maintenance", reachable: "yes"},
		{name: "oauth 502", method: sfclient.MethodOAuthPassword, server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}), code: sfclient.CodeServerUnavailable, reachable: "yes"},
		{name: "fault with status 200", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<Envelope><Body><Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: bad</faultstring></Fault></Body></Envelope>`)
		}), code: sfclient.CodeInvalidLogin},
		{name: "slow headers", timeout: 300 * time.Millisecond, server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}), code: sfclient.CodeTimeout, hintHas: "300ms"},
		{name: "trickling body", timeout: 400 * time.Millisecond, server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			for i := 0; i < 100; i++ {
				if _, err := fmt.Fprint(w, "<"); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				time.Sleep(50 * time.Millisecond)
			}
		}), code: sfclient.CodeTimeout},
		{name: "redirect to another host", server: soapOnly(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://evil.example/collect?u=1", http.StatusTemporaryRedirect)
		}), code: sfclient.CodeLoginRedirected, msgHas: "redirect to https://evil.example;", hintHas: "not a Salesforce login address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.server)
			start := time.Now()
			r := check(t, srv, sfclient.Config{Method: tt.method, Timeout: tt.timeout}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
			if r.Code != tt.code {
				t.Fatalf("code = %q (%s), want %q", r.Code, r.Message, tt.code)
			}
			if tt.timeout > 0 && time.Since(start) > tt.timeout+3*time.Second {
				t.Errorf("a %v time limit took %v", tt.timeout, time.Since(start))
			}
			if !strings.Contains(r.Message, tt.msgHas) || !strings.Contains(r.Hint, tt.hintHas) {
				t.Errorf("message %q / hint %q, want %q / %q", r.Message, r.Hint, tt.msgHas, tt.hintHas)
			}
			switch {
			case tt.reachable == "" && r.Reachable != nil:
				t.Errorf("probed although the failure needed no explanation")
			case tt.reachable != "" && (r.Reachable == nil || *r.Reachable != (tt.reachable == "yes")):
				t.Errorf("reachable = %v, want %s", r.Reachable, tt.reachable)
			}
			if n := loginRequests(srv); n != 1 {
				t.Errorf("login requests = %d, want 1", n)
			}
		})
	}
}

func TestNoRedirectToOtherHost(t *testing.T) {
	var hits atomic.Int32
	other := newServer(t, func(c *sftest.Config) {
		c.Intercept = func(w http.ResponseWriter, r *http.Request) bool { hits.Add(1); return false }
	})
	srv := newServer(t, func(c *sftest.Config) {
		c.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
			http.Redirect(w, r, other.URL()+r.URL.Path, http.StatusPermanentRedirect)
			return true
		}
	})
	for _, m := range []sfclient.Method{sfclient.MethodSOAP, sfclient.MethodOAuthPassword} {
		r := check(t, srv, sfclient.Config{Method: m}, sfclient.Credentials{Username: jane, Password: janePass, SecurityToken: janeToken})
		if r.OK {
			t.Fatalf("%s: followed a redirect to another host", m)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the other host got %d requests with credentials", hits.Load())
	}
}

func TestTransportFailures(t *testing.T) {
	t.Run("untrusted certificate", func(t *testing.T) {
		srv := newServer(t, nil)
		c, err := sfclient.New(sfclient.Config{LoginURL: srv.URL()})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeTLS || !strings.Contains(r.Hint, "extra CA file") || !strings.Contains(r.Message, "sftest") {
			t.Errorf("got %q %q / %q", r.Code, r.Message, r.Hint)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests reached the server over an untrusted connection", n)
		}
	})
	t.Run("extra CA of another server", func(t *testing.T) {
		srv := newServer(t, nil)
		other := newServer(t, nil)
		r := check(t, srv, sfclient.Config{CAFile: other.CAFile}, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeTLS || r.Suspect != sfclient.FieldAdvanced {
			t.Errorf("got %q %q suspect %q", r.Code, r.Message, r.Suspect)
		}
	})
	t.Run("extra CA, certificate for another address", func(t *testing.T) {
		// The emulator's certificate names 127.0.0.1, not 127.0.0.2: the
		// extra roots must not switch off the host name check.
		srv := newServer(t, func(c *sftest.Config) { c.Addr = "127.0.0.2:0" })
		r := check(t, srv, sfclient.Config{}, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeTLS || !strings.Contains(r.Message, "127.0.0.2") {
			t.Errorf("got %q %q", r.Code, r.Message)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests reached a server whose certificate names another host", n)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c, err := sfclient.New(sfclient.Config{LoginURL: "https://" + addr})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeNetwork || !strings.Contains(r.Message, "refused") || r.Suspect != sfclient.FieldNetwork {
			t.Errorf("got %q %q suspect %q", r.Code, r.Message, r.Suspect)
		}
	})
	t.Run("proxy wants a sign-in", func(t *testing.T) {
		proxy := httpServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusProxyAuthRequired)
		}))
		srv := newServer(t, nil)
		r := check(t, srv, sfclient.Config{Proxy: proxy}, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeProxy || !strings.Contains(r.Hint, "407") {
			t.Errorf("got %q %q / %q", r.Code, r.Message, r.Hint)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests passed the refusing proxy", n)
		}
	})
	t.Run("proxy down", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		srv := newServer(t, nil)
		r := check(t, srv, sfclient.Config{Proxy: "http://" + addr}, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeProxy {
			t.Errorf("got %q %q", r.Code, r.Message)
		}
	})
	t.Run("plain http server on https", func(t *testing.T) {
		plain := newServer(t, func(c *sftest.Config) { c.PlainHTTP = true })
		u := strings.Replace(plain.URL(), "http://", "https://", 1)
		c, err := sfclient.New(sfclient.Config{LoginURL: u})
		if err != nil {
			t.Fatal(err)
		}
		r := c.Check(context.Background(), sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeTLS {
			t.Errorf("got %q %q", r.Code, r.Message)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		srv := newServer(t, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := newChecker(t, srv, sfclient.Config{}).Check(ctx, sfclient.Credentials{Username: jane, Password: janePass})
		if r.Code != sfclient.CodeCanceled {
			t.Errorf("got %q", r.Code)
		}
	})
}

// httpServer serves h on a loopback port and returns its URL.
func httpServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &http.Server{Handler: h}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return "http://" + ln.Addr().String()
}
