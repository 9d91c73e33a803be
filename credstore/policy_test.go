package credstore

import (
	"strings"
	"testing"
)

func TestPolicyHostAllowed(t *testing.T) {
	p := Policy{AllowedLoginHosts: []string{"login.salesforce.com", "*.my.salesforce.com"}}
	for host, want := range map[string]bool{
		"login.salesforce.com": true, "LOGIN.salesforce.com.": true, "firm.my.salesforce.com": true,
		"my.salesforce.com": false, "test.salesforce.com": false, "evil.com": false, "firm.my.salesforce.com.evil.com": false,
	} {
		if got := p.HostAllowed(host); got != want {
			t.Errorf("HostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	if !(Policy{}).HostAllowed("anything.example") {
		t.Error("no list allows every host")
	}
}

// The higher source wins value by value; the lower one can add locks but
// not remove them.
func TestPolicyMerge(t *testing.T) {
	yes := true
	machine := Policy{LoginURL: "https://a.my.salesforce.com", Locked: []string{PolicyLoginURL}, Sources: []string{"HKLM"}}
	user := Policy{LoginURL: "https://b.my.salesforce.com", Proxy: "http://p:1", StartInTray: &yes, Locked: []string{PolicyProxy}, Sources: []string{"HKCU"}}
	m := Policy{}.merge(machine).merge(user)
	if m.LoginURL != machine.LoginURL || m.Proxy != "http://p:1" || m.StartInTray == nil || !*m.StartInTray ||
		!m.IsLocked(PolicyLoginURL) || !m.IsLocked(PolicyProxy) || strings.Join(m.Sources, ",") != "HKLM,HKCU" || m.Source() != "HKLM" {
		t.Errorf("merged = %+v", m)
	}
}
