package sfclient

import (
	"strings"
	"testing"
)

// An untrusted certificate is blamed on a proxy on the network only when
// the login address is on the network: on this computer's own address it
// comes from a program here.
func TestUntrustedCertificateOnLoopbackIsThisComputer(t *testing.T) {
	tests := []struct {
		login    string
		loopback bool
	}{
		{"https://127.0.0.1:8443", true},
		{"https://[::1]:8443", true},
		{"https://localhost:8443", true},
		{"https://login.salesforce.com", false},
		{"https://firm.my.salesforce.com", false},
		{"https://salesforce.example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			host, err := ParseLoginURL(tt.login)
			if err != nil {
				t.Fatal(err)
			}
			r := Result{Code: CodeTLS, detail: tlsUnknownAuthority}
			diagnose(&r, diagInput{method: MethodSOAP, host: host})
			said := r.Headline + " " + r.Hint
			onNetwork := strings.Contains(said, "on your network")
			if tt.loopback {
				if onNetwork || !strings.Contains(said, "this computer") ||
					!strings.Contains(r.Hint, "test or demo server") || !strings.Contains(r.Hint, "local security software") {
					t.Errorf("loopback: headline %q hint %q", r.Headline, r.Hint)
				}
			} else if !onNetwork || r.Headline != "A proxy on your network is intercepting the connection" {
				t.Errorf("network: headline %q hint %q", r.Headline, r.Hint)
			}
			if r.Remedy != RemedyCAFile || strings.Count(r.Hint, RemedyCAFile.Way()) != 1 || r.Suspect != FieldAdvanced {
				t.Errorf("remedy %q suspect %q hint %q", r.Remedy, r.Suspect, r.Hint)
			}
		})
	}
}

// The hint's way to the CA file is one sentence a face can replace: it
// names the window's setting and the command line's flag, and nothing else
// in the hint does.
func TestCAFileWayIsOneReplaceableSentence(t *testing.T) {
	way := RemedyCAFile.Way()
	if !strings.Contains(way, "--ca-file") || !strings.Contains(way, "Advanced") {
		t.Fatalf("way %q", way)
	}
	for _, d := range []netDetail{tlsUnknownAuthority, netGeneric} {
		host, _ := ParseLoginURL("https://login.salesforce.com")
		r := Result{Code: CodeTLS, detail: d}
		diagnose(&r, diagInput{method: MethodSOAP, host: host})
		rest := strings.Replace(r.Hint, way, "", 1)
		if r.Remedy != RemedyCAFile || strings.Contains(rest, "--ca-file") || strings.Contains(rest, "Advanced") {
			t.Errorf("detail %d: remedy %q hint %q", d, r.Remedy, r.Hint)
		}
	}
	if RemedyNone.Way() != "" {
		t.Error("no remedy has a way")
	}
}
