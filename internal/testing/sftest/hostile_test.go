package sftest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestHostileRedirectLoop(t *testing.T) {
	s := newTestServer(t, Config{Hostile: Hostile{LoginRedirect: http.StatusTemporaryRedirect}})
	status, h, _ := postSOAP(t, s, "64.0", loginEnvelopeXML("a@b.c", "pw"))
	if status != http.StatusTemporaryRedirect || h.Get("Location") != "/services/Soap/u/64.0" {
		t.Errorf("SOAP: %d Location %q, want 307 to itself", status, h.Get("Location"))
	}
	s = newTestServer(t, Config{Hostile: Hostile{LoginRedirect: http.StatusPermanentRedirect, RedirectTo: "https://firm.my.salesforce.com/x"}})
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/services/oauth2/token", strings.NewReader("grant_type=password"))
	status, h, _ = do(t, s, req)
	if status != http.StatusPermanentRedirect || h.Get("Location") != "https://firm.my.salesforce.com/x" {
		t.Errorf("token: %d Location %q", status, h.Get("Location"))
	}
	// Other requests are answered normally.
	if status, _, _ := get(t, s, "/services/data/", ""); status != http.StatusOK {
		t.Errorf("version list: %d", status)
	}
}

func TestHostileTokenEndpoint(t *testing.T) {
	s := newTestServer(t, Config{Hostile: Hostile{ErrorDescription: "\x1b[2Kevil", HangGrants: []string{"refresh_token"}}})
	status, m := postForm(t, s, "/services/oauth2/token", url.Values{"grant_type": {"password"}}, nil)
	if status != http.StatusBadRequest || m["error"] != "invalid_grant" || m["error_description"] != "\x1b[2Kevil" {
		t.Errorf("%d %v", status, m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/services/oauth2/token", strings.NewReader("grant_type=refresh_token"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	start := time.Now()
	if resp, err := s.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("a hanging grant answered %d", resp.StatusCode)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("gave up after %v, before the client's limit", d)
	}
}
