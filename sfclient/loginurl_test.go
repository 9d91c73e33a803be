package sfclient_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/advologix/advologix-connect/sfclient"
)

func TestParseLoginURL(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		kind    sfclient.HostKind
		warn    bool
		wantErr bool
	}{
		{"https://login.salesforce.com", "https://login.salesforce.com", sfclient.HostProduction, false, false},
		{"login.salesforce.com", "https://login.salesforce.com", sfclient.HostProduction, false, false},
		{"  https://LOGIN.salesforce.com/  ", "https://login.salesforce.com", sfclient.HostProduction, false, false},
		{"https://test.salesforce.com/services/Soap/u/64.0", "https://test.salesforce.com", sfclient.HostSandbox, false, false},
		{"https://firm.my.salesforce.com/", "https://firm.my.salesforce.com", sfclient.HostMyDomain, false, false},
		{"https://firm.lightning.force.com/lightning/page/home", "https://firm.my.salesforce.com", sfclient.HostMyDomain, false, false},
		{"https://firm--uat.sandbox.lightning.force.com/lightning/o/Account/list?x=1#f", "https://firm--uat.sandbox.my.salesforce.com", sfclient.HostMyDomainSandbox, false, false},
		{"firm--uat.sandbox.my.salesforce.com", "https://firm--uat.sandbox.my.salesforce.com", sfclient.HostMyDomainSandbox, false, false},
		{"https://firm.my.salesforce-setup.com/lightning/setup/SetupOneHome/home", "https://firm.my.salesforce.com", sfclient.HostMyDomain, false, false},
		{"https://user:pw@login.salesforce.com/", "", 0, false, true},
		{"https://user@login.salesforce.com/", "", 0, false, true},
		{"http://evil.localhost:8080", "", 0, false, true},
		{"https://evil.localhost", "https://evil.localhost", sfclient.HostOther, true, false},
		{"https://login.salesforce.com:443/", "https://login.salesforce.com", sfclient.HostProduction, false, false},
		{"https://na1.salesforce.com", "https://na1.salesforce.com", sfclient.HostOther, true, false},
		{"https://salesforce.example.com/login", "https://salesforce.example.com", sfclient.HostOther, true, false},
		{"https://a.b.my.salesforce.com", "https://a.b.my.salesforce.com", sfclient.HostOther, true, false},
		{"http://127.0.0.1:8443/", "http://127.0.0.1:8443", sfclient.HostLoopback, true, false},
		{"http://localhost:9000", "http://localhost:9000", sfclient.HostLoopback, true, false},
		{"http://[::1]:9000/x", "http://[::1]:9000", sfclient.HostLoopback, true, false},
		{"https://127.0.0.1:9443", "https://127.0.0.1:9443", sfclient.HostLoopback, true, false},
		{"http://login.salesforce.com", "", 0, false, true},
		{"http://10.0.0.1:8080", "", 0, false, true},
		{"ftp://login.salesforce.com", "", 0, false, true},
		{"", "", 0, false, true},
		{"https://", "", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := sfclient.ParseLoginURL(tt.in)
			if tt.wantErr {
				var ce *sfclient.ConfigError
				if !errors.As(err, &ce) {
					t.Fatalf("ParseLoginURL(%q) error = %v, want *ConfigError", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLoginURL(%q): %v", tt.in, err)
			}
			if got.URL != tt.want || got.Kind != tt.kind {
				t.Errorf("ParseLoginURL(%q) = %q kind %v, want %q kind %v", tt.in, got.URL, got.Kind, tt.want, tt.kind)
			}
			if (len(got.Warnings) > 0) != tt.warn {
				t.Errorf("ParseLoginURL(%q) warnings = %q, want warning: %v", tt.in, got.Warnings, tt.warn)
			}
			if strings.Contains(got.URL, "pw") {
				t.Errorf("user info kept in %q", got.URL)
			}
		})
	}
}

func TestResetTokenURL(t *testing.T) {
	got := sfclient.ResetTokenURL("https://firm.my.salesforce.com")
	want := "https://firm.my.salesforce.com/?startURL=%2Flightning%2Fsettings%2Fpersonal%2FResetApiToken%2Fhome"
	if got != want {
		t.Errorf("ResetTokenURL = %q, want %q", got, want)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  sfclient.Config
	}{
		{"http to a remote host", sfclient.Config{LoginURL: "http://login.salesforce.com"}},
		{"bad api version", sfclient.Config{LoginURL: "https://login.salesforce.com", APIVersion: "64"}},
		{"unknown method", sfclient.Config{LoginURL: "https://login.salesforce.com", Method: "kerberos"}},
		{"oauth without client id", sfclient.Config{LoginURL: "https://login.salesforce.com", Method: sfclient.MethodOAuthPassword}},
		{"missing CA file", sfclient.Config{LoginURL: "https://login.salesforce.com", CAFile: "/nonexistent/ca.pem"}},
		{"proxy with a password", sfclient.Config{LoginURL: "https://login.salesforce.com", Proxy: "http://u:hunter2@proxy:8080"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sfclient.New(tt.cfg)
			var ce *sfclient.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("New error = %v, want *ConfigError", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error text shows the proxy password: %v", err)
			}
		})
	}
}
