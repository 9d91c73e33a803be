package sfclient_test

import (
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/sfclient"
)

// TestRedact: proxy credentials leave a proxy address (RedactProxy) and
// any text that may hold one (RedactText); the rest stays as it was.
func TestRedact(t *testing.T) {
	type redactCase struct{ in, want string }
	for _, f := range []struct {
		name  string
		fn    func(string) string
		cases []redactCase
	}{
		{"RedactProxy", sfclient.RedactProxy, []redactCase{
			{"http://proxy:8080", "http://proxy:8080"},
			{"proxy:8080", "proxy:8080"},
			{"http://u:pw@proxy:8080", "http://[credentials redacted]@proxy:8080"},
			{"puser:ProxyPw9@proxy:8080", "[credentials redacted]@proxy:8080"},
			{"puser@proxy:8080", "[credentials redacted]@proxy:8080"},
			{"socks5://u:p@ss/w@proxy:1080", "socks5://[credentials redacted]@proxy:1080"},
			{"u:p://x@proxy:1", "[credentials redacted]@proxy:1"},
		}},
		{"RedactText", sfclient.RedactText, []redactCase{
			{`parse "p_user:ProxyPw9@h:1": first path segment in URL cannot contain colon`, `parse "[credentials redacted]@h:1": first path segment in URL cannot contain colon`},
			{"HTTPS_PROXY=u:pw@h:1, NO_PROXY=x", "HTTPS_PROXY=[credentials redacted]@h:1, NO_PROXY=x"},
			{"proxyconnect tcp: dial http://u:pw@h:1 refused", "proxyconnect tcp: dial http://[credentials redacted]@h:1 refused"},
			{"no credentials here", "no credentials here"},
		}},
	} {
		for _, tt := range f.cases {
			if got := f.fn(tt.in); got != tt.want {
				t.Errorf("%s(%q) = %q, want %q", f.name, tt.in, got, tt.want)
			}
		}
	}
}

// TestProxyCredentials: the user information, the password and its
// unescaped form, in both ways a proxy is written; none without an "@".
func TestProxyCredentials(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://puser:Pw%21x@proxy:8080", "puser:Pw%21x|Pw%21x|Pw!x"},
		{"puser:ProxyPw9@proxy:8080", "puser:ProxyPw9|ProxyPw9"},
		{"https://token@proxy", "token"},
		{"http://proxy:8080", ""},
	} {
		if got := strings.Join(sfclient.ProxyCredentials(tt.in), "|"); got != tt.want {
			t.Errorf("ProxyCredentials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
