package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRunSessionLifetime: --session-lifetime is the lifetime SOAP login()
// reports as sessionSecondsValid.
func TestRunSessionLifetime(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "<sessionSecondsValid>7200</sessionSecondsValid>"},
		{[]string{"--session-lifetime", "90m", "--refresh-token-idle", "1h", "--max-token-pairs", "2", "--client-id", "C", "--rotate-refresh-tokens"},
			"<sessionSecondsValid>5400</sessionSecondsValid>"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := startRun(t, tc.args...)
			defer r.stop()
			env := `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">` +
				`<soapenv:Body><urn:login><urn:username>` + demoUser + `</urn:username><urn:password>` + demoPassword + demoToken +
				`</urn:password></urn:login></soapenv:Body></soapenv:Envelope>`
			req, err := http.NewRequest(http.MethodPost, r.base+"/services/Soap/u/64.0", strings.NewReader(env))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "text/xml; charset=UTF-8")
			req.Header.Set("SOAPAction", "login")
			resp, err := r.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || !strings.Contains(string(body), tc.want) {
				t.Errorf("login: %d, want %s in %s", resp.StatusCode, tc.want, body)
			}
		})
	}
}
