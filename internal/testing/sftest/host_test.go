package sftest

import (
	"net/http"
	"strings"
	"testing"
)

// TestHost: with Config.Host the server is reached by that name, which its
// certificate names, and hands out URLs with it (SOAP serverUrl, REST
// versions list).
func TestHost(t *testing.T) {
	s := newTestServer(t, Config{Host: "localhost", Users: orgUsers()})
	if !strings.HasPrefix(s.URL(), "https://localhost:") {
		t.Fatalf("URL %q, want https://localhost:PORT", s.URL())
	}
	req, err := http.NewRequest(http.MethodGet, s.URL()+"/services/data/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, body := do(t, s, req); status != 200 || !strings.Contains(string(body), `"url"`) {
		t.Errorf("GET /services/data/ by name: %d %s", status, body)
	}
	status, body := soapLogin(t, s, alice, alicePass+aliceToken)
	if status != 200 || !strings.Contains(string(body), "<serverUrl>"+s.URL()+"/services/Soap/") {
		t.Errorf("SOAP login: %d, want serverUrl on %s:\n%s", status, s.URL(), body)
	}
}
