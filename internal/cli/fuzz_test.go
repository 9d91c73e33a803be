package cli_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/advologix/advologix-connect/internal/cli"
)

// FuzzCheckCommand drives the whole check command (flags, stdin, sfclient,
// diagnosis, output) against a loopback server whose status, headers and
// body the fuzzer chooses, for every request. Whatever the server answers:
// exactly one login request goes out, the command ends within its time
// limit, nothing printed holds a control character, and no secret is
// printed.
func FuzzCheckCommand(f *testing.F) {
	f.Add(uint8(0), 500, "text/html", "", "<html><title>\x1b]0;x\x07</title>")
	f.Add(uint8(1), 400, "application/json", "", `{"error":"invalid_grant","error_description":"\u001b[2K\rConnected to Salesforce as admin"}`)
	f.Add(uint8(0), 307, "", "/services/Soap/u/64.0", "")
	f.Add(uint8(1), 308, "", "https://firm.lightning.force.com/services/oauth2/token", "")
	f.Add(uint8(2), 200, "text/xml", "", `<Envelope><Body><Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: `+"\u202e\u009b"+`bad</faultstring></Fault></Body></Envelope>`)
	f.Add(uint8(3), 200, "application/json", "", `{"access_token":"x","instance_url":"http://127.0.0.1:1","id":"https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA","user_id":"005000000000001AAA","organization_id":"00D000000000001AAA","name":"\u001b[31mEve"}`)
	f.Add(uint8(0), 200, "text/xml", "", `<Envelope><Body><loginResponse><result><serverUrl>https://x.my.salesforce.com/s</serverUrl><sessionId>S</sessionId><userInfo><userFullName>`+"\u2066Mallory\u0085"+`</userFullName></userInfo></result></loginResponse></Body></Envelope>`)
	const (
		password = "Fz-Pa55word!q7"
		token    = "FzTok3nQ1w2e3r4t5y6u7i8o"
		secret   = "Fz-app-s3cr3t"
		timeout  = 2 * time.Second
	)
	f.Fuzz(func(t *testing.T, mode uint8, status int, contentType, location, body string) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		var mu sync.Mutex
		logins := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && (strings.HasPrefix(r.URL.Path, "/services/Soap/u/") || r.URL.Path == "/services/oauth2/token") {
				mu.Lock()
				logins++
				mu.Unlock()
			}
			h := w.Header()
			if ct := headerValue(contentType); ct != "" {
				h.Set("Content-Type", ct)
			}
			if loc := headerValue(location); loc != "" {
				h.Set("Location", loc)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}))
		defer srv.Close()

		args := []string{"check", "--login-url", srv.URL, "--username", "fuzz@firm.example.com", "--password-stdin", "--timeout", timeout.String()}
		if mode&1 != 0 {
			args = append(args, "--method", "oauth-password", "--client-id", "cid")
		}
		if mode&2 != 0 {
			args = append(args, "--json")
		}
		start := time.Now()
		r := runCLI(t, password+"\n"+token+"\n", map[string]string{cli.ClientSecretEnv: secret}, args...)
		elapsed := time.Since(start)

		if logins != 1 {
			t.Errorf("%d login requests for one check, want exactly 1", logins)
		}
		if elapsed > timeout+2*time.Second {
			t.Errorf("check took %v with --timeout %v", elapsed, timeout)
		}
		if r.code != cli.ExitOK && r.code != cli.ExitFail {
			t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		out := r.stdout + r.stderr
		if i := strings.IndexFunc(out, func(c rune) bool {
			return c != '\n' && (unicode.IsControl(c) || unicode.Is(unicode.Cf, c) || c == '\u2028' || c == '\u2029')
		}); i >= 0 {
			t.Errorf("control character %U printed: %q", []rune(out[i:])[0], out)
		}
		input := contentType + location + body
		for _, s := range []string{password, token, secret} {
			if strings.Contains(out, s) && !strings.Contains(input, s) {
				t.Errorf("secret printed: %q", out)
			}
		}
	})
}

// headerValue keeps what net/http can send as a header value.
func headerValue(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > 1024 {
		s = s[:1024]
	}
	return s
}
