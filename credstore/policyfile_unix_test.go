//go:build unix

package credstore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// policyTree is a private folder tree for the policy's ownership rule,
// anchored in a folder of the test's own (the walk above it, /tmp, is
// world-writable; TestPolicyFileWalksToRoot covers that part).
func policyTree(t *testing.T) (trustRule, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatalf("the IT policy's rule is about root-owned files: run this test as root (make test does)")
	}
	anchor := t.TempDir()
	if err := os.Chmod(anchor, 0o755); err != nil {
		t.Fatal(err)
	}
	etc := filepath.Join(anchor, "etc", "advologix-connect")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	return trustRule{owner: 0, anchor: anchor}, etc
}

const goodPolicy = `{"login_url":"https://firm.my.salesforce.com","locked":["login_url"]}`

// Issue 23 item 3: only what only an administrator can write is trusted.
func TestPolicyFileTrust(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, etc string) string // returns the path to read
		code  string                                // "" applies, "none" no policy
		has   string                                // in the message
	}{
		{"root-owned 0644 in 0755 folders", func(t *testing.T, etc string) string { return write(t, etc, "policy.json", goodPolicy, 0o644) }, "", ""},
		{"missing file", func(t *testing.T, etc string) string { return filepath.Join(etc, "policy.json") }, "none", ""},
		{"missing folder", func(t *testing.T, etc string) string { return filepath.Join(etc, "nope", "policy.json") }, "none", ""},
		{"world-writable file", func(t *testing.T, etc string) string { return write(t, etc, "policy.json", goodPolicy, 0o666) }, "POLICY_INSECURE", "chmod 644"},
		{"group-writable file", func(t *testing.T, etc string) string { return write(t, etc, "policy.json", goodPolicy, 0o664) }, "POLICY_INSECURE", "chown root:root"},
		{"file of another user", func(t *testing.T, etc string) string {
			p := write(t, etc, "policy.json", goodPolicy, 0o644)
			chown(t, p, otherUID)
			return p
		}, "POLICY_INSECURE", "belongs to uid 54321"},
		{"world-writable folder", func(t *testing.T, etc string) string {
			p := write(t, etc, "policy.json", goodPolicy, 0o644)
			chmod(t, etc, 0o777)
			return p
		}, "POLICY_INSECURE", "chmod 755"},
		{"folder of another user", func(t *testing.T, etc string) string {
			p := write(t, etc, "policy.json", goodPolicy, 0o644)
			chown(t, etc, otherUID)
			return p
		}, "POLICY_INSECURE", "advologix-connect belongs to uid"},
		{"writable grandparent", func(t *testing.T, etc string) string {
			p := write(t, etc, "policy.json", goodPolicy, 0o644)
			chmod(t, filepath.Dir(etc), 0o777)
			return p
		}, "POLICY_INSECURE", "/etc is writable"},
		{"link to a trusted file", func(t *testing.T, etc string) string {
			write(t, etc, "real.json", goodPolicy, 0o644)
			return link(t, "real.json", filepath.Join(etc, "policy.json"))
		}, "", ""},
		{"link to a world-writable file", func(t *testing.T, etc string) string {
			write(t, etc, "real.json", goodPolicy, 0o666)
			return link(t, "real.json", filepath.Join(etc, "policy.json"))
		}, "POLICY_INSECURE", "real.json"},
		{"link into a folder another user owns", func(t *testing.T, etc string) string {
			other := filepath.Join(filepath.Dir(etc), "other")
			mkdir(t, other, 0o755)
			write(t, other, "p.json", goodPolicy, 0o644)
			chown(t, other, otherUID)
			return link(t, "../other/p.json", filepath.Join(etc, "policy.json"))
		}, "POLICY_INSECURE", "other belongs to uid"},
		{"link out of the tree", func(t *testing.T, etc string) string {
			return link(t, "/tmp/evil.json", filepath.Join(etc, "policy.json"))
		}, "POLICY_INSECURE", "points outside"},
		{"dangling link", func(t *testing.T, etc string) string { return link(t, "gone.json", filepath.Join(etc, "policy.json")) }, "POLICY_INVALID", "does not exist"},
		{"link loop", func(t *testing.T, etc string) string {
			return link(t, "policy.json", filepath.Join(etc, "policy.json"))
		}, "POLICY_INVALID", "too many symbolic links"},
		{"FIFO", func(t *testing.T, etc string) string {
			p := filepath.Join(etc, "policy.json")
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}, "POLICY_INSECURE", "a FIFO"},
		{"folder", func(t *testing.T, etc string) string {
			p := filepath.Join(etc, "policy.json")
			mkdir(t, p, 0o755)
			return p
		}, "POLICY_INSECURE", "a folder"},
		{"duplicate key", func(t *testing.T, etc string) string {
			return write(t, etc, "policy.json", `{"methods":["soap"],"methods":["oauth-browser","oauth-password","soap"]}`, 0o644)
		}, "POLICY_INVALID", `duplicate key "methods"`},
		{"duplicate key in another case", func(t *testing.T, etc string) string {
			return write(t, etc, "policy.json", `{"login_url":"https://a.my.salesforce.com","LOGIN_URL":"https://evil.example"}`, 0o644)
		}, "POLICY_INVALID", `duplicate key "LOGIN_URL"`},
		{"empty methods", func(t *testing.T, etc string) string {
			return write(t, etc, "policy.json", `{"methods":[],"locked":["methods"]}`, 0o644)
		}, "POLICY_INVALID", "would allow no login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule, etc := policyTree(t)
			path := tt.setup(t, etc)
			done := make(chan struct{})
			var p Policy
			var err error
			go func() { p, err = rule.readPolicyFile(path); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("reading the policy hung")
			}
			switch tt.code {
			case "":
				if err != nil || p.LoginURL == "" {
					t.Fatalf("want the policy applied: %+v, %v", p, err)
				}
				return
			case "none":
				if err != nil || !p.IsZero() {
					t.Fatalf("want no policy: %+v, %v", p, err)
				}
				return
			}
			var pe *PolicyError
			if !errors.As(err, &pe) || pe.Code() != tt.code || !strings.Contains(err.Error(), tt.has) || !p.IsZero() {
				t.Fatalf("got %+v, %v; want %s with %q", p, err, tt.code, tt.has)
			}
		})
	}
}

// The walk goes up to "/": a policy below a world-writable folder (/tmp)
// is refused even when the file and its own folder are root's.
func TestPolicyFileWalksToRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("run as root")
	}
	dir := t.TempDir() // /tmp/TestX/001: root's, but /tmp is 1777
	p := write(t, dir, "policy.json", goodPolicy, 0o644)
	_, err := ReadPolicyFile(p)
	var pe *PolicyError
	if !errors.As(err, &pe) || pe.Code() != "POLICY_INSECURE" || !strings.Contains(err.Error(), "writable by its group or by everyone") {
		t.Fatalf("%v: want POLICY_INSECURE for a world-writable folder above", err)
	}
}

func write(t *testing.T, dir, name, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	chmod(t, p, mode)
	return p
}

func chmod(t *testing.T, p string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func chown(t *testing.T, p string, uid int) {
	t.Helper()
	if err := os.Chown(p, uid, uid); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, p string, mode os.FileMode) {
	t.Helper()
	if err := os.Mkdir(p, mode); err != nil {
		t.Fatal(err)
	}
	chmod(t, p, mode)
}

func link(t *testing.T, target, at string) string {
	t.Helper()
	if err := os.Symlink(target, at); err != nil {
		t.Fatal(err)
	}
	return at
}

func TestReadPolicyFile(t *testing.T) {
	rule, dir := policyTree(t)
	ReadPolicyFile := rule.readPolicyFile
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
