package credstore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadPolicyFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p, err := ReadPolicyFile(filepath.Join(dir, "absent.json"))
	if err != nil || !p.IsZero() {
		t.Fatalf("a missing file is no policy: %+v, %v", p, err)
	}
	good := write("good.json", `{"login_url":"https://firm.my.salesforce.com","methods":["oauth-browser","soap"],
		"start_in_tray":false,"check_interval":"15m","locked":["login_url","start_in_tray","proxy"]}`)
	p, err = ReadPolicyFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if p.Source() != good || p.LoginURL != "https://firm.my.salesforce.com" || p.StartInTray == nil || *p.StartInTray ||
		!p.IsLocked(PolicyLoginURL) || !p.IsLocked(PolicyStartInTray) || p.IsLocked(PolicyProxy) || p.IsLocked(PolicyClientID) {
		t.Errorf("policy = %+v", p)
	}
	if !p.MethodAllowed("soap") || !p.MethodAllowed("") || p.MethodAllowed(MethodOAuthPassword) {
		t.Errorf("methods: %v", p.Methods)
	}

	bad := []struct{ body, want string }{
		{`{"login_url":`, "not a policy object"},
		{`{"login_url":"x"} {}`, "more than one JSON value"},
		{`{"locked":["username"]}`, `"username" is not a setting that can be locked`},
		{`{"methods":["ntlm"]}`, `"ntlm" is not a login method`},
		{`{"allowed_login_hosts":["https://x.com"]}`, "not a host name"},
		{`{"check_interval":"-5m"}`, "not a duration"},
		{`{"start_in_tray":"yes"}`, "not a policy object"},
		{`{"loginURL":"https://x"}`, "unknown field"},
		{`{"client_id":"` + strings.Repeat("x", MaxPolicyBytes) + `"}`, "larger than"},
	}
	for i, b := range bad {
		path := write("bad"+string(rune('a'+i))+".json", b.body)
		_, err := ReadPolicyFile(path)
		var pe *PolicyError
		if !errors.As(err, &pe) || pe.Code() != "POLICY_INVALID" || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%.40s: %v, want a PolicyError naming %s with %q", b.body, err, path, b.want)
		}
	}
}

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
