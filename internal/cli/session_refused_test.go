package cli_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
)

// soapLoginAnswer is a SOAP login() success naming serverUrl and ids.
func soapLoginAnswer(serverURL, sessionID, userID, orgID string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result>` +
		`<passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>` + serverURL + `</serverUrl><sessionId>` + sessionID + `</sessionId><userId>` + userID + `</userId>` +
		`<userInfo><organizationId>` + orgID + `</organizationId><organizationName>Firm</organizationName><sessionSecondsValid>7200</sessionSecondsValid>` +
		`<userFullName>Jane Doe</userFullName><userId>` + userID + `</userId><userName>` + user + `</userName></userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>`
}

// Issue 23 item 5: session hands out only what the app would use itself.
// A login that works but names an instance the app would not send a token
// to, or ids that are not Salesforce's, prints no token, text or JSON.
func TestSessionRefusesWhatTheAppWouldNotUse(t *testing.T) {
	const sessionID = "00D000000000001!AQ0AQ.SessionSecretXYZ"
	const goodUser, goodOrg = "005000000000001AAA", "00D000000000001EAA"
	tests := []struct {
		name, instance, userID, orgID string // instance "" = the login host itself
		code                          string
	}{
		{"the login host itself", "", goodUser, goodOrg, ""},
		{"a host that is not Salesforce", "https://evil.example.com", goodUser, goodOrg, "INSTANCE_REFUSED"},
		{"a Salesforce look-alike", "https://firm.my.salesforce.com.evil.example", goodUser, goodOrg, "INSTANCE_REFUSED"},
		{"plain http elsewhere on loopback", "http://127.0.0.1:1", goodUser, goodOrg, "INSTANCE_REFUSED"},
		{"plain http to Salesforce", "http://firm.my.salesforce.com", goodUser, goodOrg, "INSTANCE_REFUSED"},
		{"user id of another kind", "", "001000000000001AAA", goodOrg, "UNEXPECTED_RESPONSE"},
		{"user id too short", "", "005000001", goodOrg, "UNEXPECTED_RESPONSE"},
		{"organization id with a separator", "", goodUser, "00D0000000=0001", "UNEXPECTED_RESPONSE"},
		{"organization id of a user", "", goodUser, goodUser, "UNEXPECTED_RESPONSE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				instance := tt.instance
				if instance == "" {
					instance = srv.URL
				}
				w.Header().Set("Content-Type", "text/xml; charset=utf-8")
				fmt.Fprint(w, soapLoginAnswer(instance+"/services/Soap/u/64.0/00D000000000001", sessionID, tt.userID, tt.orgID))
			}))
			defer srv.Close()
			pe := newProfileEnv(t)
			if err := pe.openStore(t).Save(t.Context(), credstore.Profile{Name: "default", LoginURL: srv.URL, Username: user, Method: credstore.MethodSOAP},
				credstore.Secrets{Password: pass, SecurityToken: token}); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"session"}, {"session", "--json"}} {
				r := pe.run(t, "", args...)
				all := r.stdout + r.stderr
				if tt.code == "" {
					if r.code != cli.ExitOK || !strings.Contains(r.stdout, sessionID) {
						t.Fatalf("%v: exit %d, want the session\n%s", args, r.code, all)
					}
					continue
				}
				if r.code != cli.ExitFail || strings.Contains(all, sessionID) || strings.Contains(all, "SessionSecret") {
					t.Errorf("%v: exit %d, want 1 and no token\n%s", args, r.code, all)
				}
				if !strings.Contains(all, tt.code) && len(args) > 1 {
					t.Errorf("%v: no code %s in\n%s", args, tt.code, all)
				}
			}
		})
	}
}
