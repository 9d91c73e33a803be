package sftest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTLSAndCA(t *testing.T) {
	s := newTestServer(t, Config{})
	if !strings.HasPrefix(s.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL %q", s.URL())
	}
	block, _ := pem.Decode(s.CACertPEM())
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatal("CACertPEM is not a PEM certificate")
	}
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	key, ok := ca.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() || !ca.IsCA {
		t.Errorf("CA key %T, IsCA %v", ca.PublicKey, ca.IsCA)
	}

	// Server certificate: signed by the CA, for 127.0.0.1, ::1, localhost.
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CACertPEM())
	conn, err := tls.Dial("tcp", strings.TrimPrefix(s.URL(), "https://"), &tls.Config{RootCAs: pool, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("TLS with the CA, SNI localhost: %v", err)
	}
	leaf := conn.ConnectionState().PeerCertificates[0]
	conn.Close()
	ips := fmt.Sprint(leaf.IPAddresses)
	if !strings.Contains(ips, "127.0.0.1") || !strings.Contains(ips, "::1") || fmt.Sprint(leaf.DNSNames) != "[localhost]" {
		t.Errorf("SANs %v %v", leaf.IPAddresses, leaf.DNSNames)
	}
	if err := leaf.CheckSignatureFrom(ca); err != nil {
		t.Errorf("leaf not signed by CA: %v", err)
	}

	// Client() trusts it; a default client does not.
	if status, _, _ := get(t, s, "/services/data/", ""); status != 200 {
		t.Errorf("Client(): %d", status)
	}
	plain := &http.Client{Transport: &http.Transport{}, Timeout: 5 * time.Second}
	if _, err := plain.Get(s.URL() + "/services/data/"); err == nil {
		t.Error("a client without the CA trusted the server")
	}

	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := s.WriteCAFile(path); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, s.CACertPEM()) {
		t.Error("WriteCAFile content differs")
	}
	other := newTestServer(t, Config{})
	if bytes.Equal(other.CACertPEM(), s.CACertPEM()) {
		t.Error("two servers share a CA")
	}
}

func TestPlainHTTPAndAddr(t *testing.T) {
	s := newTestServer(t, Config{PlainHTTP: true, Users: orgUsers()})
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || s.CACertPEM() != nil {
		t.Errorf("URL %q CA %v", s.URL(), s.CACertPEM() != nil)
	}
	if err := s.WriteCAFile(filepath.Join(t.TempDir(), "ca.pem")); err == nil {
		t.Error("WriteCAFile on a plain server succeeded")
	}
	if status, _ := soapLogin(t, s, alice, alicePass+aliceToken); status != 200 {
		t.Errorf("plain SOAP login: %d", status)
	}
	resp, err := http.Get(s.URL() + "/services/data/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	// A fixed address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s2 := newTestServer(t, Config{Addr: addr})
	if s2.URL() != "https://"+addr {
		t.Errorf("URL %q, want https://%s", s2.URL(), addr)
	}
	if _, err := New(Config{Addr: addr}); err == nil {
		t.Error("second server on the same address started")
	}
}

func TestConfigValidation(t *testing.T) {
	for name, cfg := range map[string]Config{
		"duplicate user":    {Users: []User{{Username: "a@b.c"}, {Username: "A@B.C"}}},
		"user without name": {Users: []User{{Password: "x"}}},
		"duplicate app":     {Apps: []App{{ClientID: "x"}, {ClientID: "x"}}},
		"app without id":    {Apps: []App{{ClientSecret: "x"}}},
	} {
		if s, err := New(cfg); err == nil {
			s.Close()
			t.Errorf("%s accepted", name)
		}
	}
	s := newTestServer(t, Config{OrgID: "00DHn00000abcde"})
	if s.OrgID() != "00DHn00000abcdeMAA" {
		t.Errorf("OrgID %q", s.OrgID())
	}
}

func TestID18(t *testing.T) {
	for in, want := range map[string]string{
		"a0D30000001n7Pv":    "a0D30000001n7PvEAI",
		"001000000000000":    "001000000000000AAA",
		"ABCDEABCDEABCDE":    "ABCDEABCDEABCDE555",
		"001A000001234AB":    "001A000001234ABIAY",
		"already18charsXYZ1": "already18charsXYZ1",
	} {
		if got := id18(in); got != want {
			t.Errorf("id18(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIntercept(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/services/oauth2/token" {
			return false
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<html>Maintenance</html>")
		return true
	}})
	status, _, body := func() (int, http.Header, []byte) {
		f := url.Values{"grant_type": {"password"}, "client_id": {publicID}, "username": {alice}, "password": {alicePass + aliceToken}}
		req, _ := http.NewRequest("POST", s.URL()+"/services/oauth2/token", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return do(t, s, req)
	}()
	if status != 503 || string(body) != "<html>Maintenance</html>" {
		t.Errorf("intercepted: %d %s", status, body)
	}
	// Not intercepted: SOAP still works.
	if status, _ := soapLogin(t, s, alice, alicePass+aliceToken); status != 200 {
		t.Errorf("SOAP: %d", status)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || !reqs[0].Intercepted || reqs[0].GrantType != "password" || reqs[0].Status != 503 || reqs[1].Intercepted {
		t.Errorf("log %+v", reqs)
	}
	// A slow streaming answer.
	slow := newTestServer(t, Config{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		time.Sleep(50 * time.Millisecond)
		io.WriteString(w, "late")
		return true
	}})
	if status, _, body := get(t, slow, "/anything", ""); status != 200 || string(body) != "late" {
		t.Errorf("slow: %d %s", status, body)
	}
}

func TestRequestLogHasNoSecrets(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	_, m := passwordGrant(t, s, confID, confSecret, alice, alicePass+aliceToken)
	tok := m["access_token"].(string)
	soapLogin(t, s, alice, alicePass+aliceToken)
	get(t, s, "/services/data/v66.0/query?q="+url.QueryEscape("SELECT Name FROM Organization"), tok)
	get(t, s, "/services/oauth2/userinfo?access_token="+tok, "")
	logged := fmt.Sprintf("%+v", s.Requests())
	for _, secret := range []string{alicePass, aliceToken, confSecret, tok, "SELECT", "access_token"} {
		if strings.Contains(logged, secret) {
			t.Errorf("request log contains %q: %s", secret, logged)
		}
	}
	if s.Count("GET", "/services/data/v66.0/query") != 1 || s.Count("POST", "/services/Soap/u/64.0") != 1 {
		t.Errorf("counts in %s", logged)
	}
}

func TestOversizedBody(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	big := strings.Repeat("a", maxBody+10)
	status, _, _ := postSOAP(t, s, "64.0", loginEnvelopeXML(alice, big))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("SOAP oversized: %d", status)
	}
	status, m := passwordGrant(t, s, publicID, "", alice, big)
	if status != 400 || m["error"] != "invalid_request" {
		t.Errorf("token oversized: %d %v", status, m)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps(), LockoutAfter: -1})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				switch (i + j) % 5 {
				case 0:
					soapLogin(t, s, alice, alicePass+aliceToken)
				case 1:
					passwordGrant(t, s, publicID, "", alice, "bad")
				case 2:
					_, _ = s.ResetSecurityToken("office@firm.example")
				case 3:
					s.SetUsernamePasswordFlowBlocked(j%2 == 0)
					_ = s.SetUserFault("night@firm.example", "")
				case 4:
					get(t, s, "/services/data/", "")
					_ = s.Requests()
					_ = s.Count("GET", "/services/data/")
					s.RevokeRefreshTokens(alice)
					s.InvalidateSessions(alice)
				}
			}
		}()
	}
	wg.Wait()
	if n := len(s.Requests()); n < 8 {
		t.Errorf("only %d requests logged", n)
	}
}

func TestUpdateUserKeepsIdentity(t *testing.T) {
	s := newTestServer(t, Config{Users: orgUsers(), Apps: orgApps()})
	if err := s.updateUser(alice, func(u *User) { u.Inactive = true; u.Username = "hijack" }); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.User("hijack"); ok {
		t.Error("updateUser renamed the user")
	}
	if status, m := passwordGrant(t, s, publicID, "", alice, alicePass+aliceToken); status != 400 || m["error"] != "inactive_user" {
		t.Errorf("inactive: %d %v", status, m)
	}
	if err := s.SetUserFault("nobody", "X"); err != ErrUnknownUser {
		t.Errorf("unknown user: %v", err)
	}
}
