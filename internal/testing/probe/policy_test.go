//go:build integration

package probe

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// policyDir is where the app reads the IT policy on Linux.
const policyDir = "/etc/advologix-connect"

// inPolicyNamespace returns the command line that runs argv in a private
// mount namespace where /etc is an overlay of the real /etc and upper: the
// app sees upper/advologix-connect as /etc/advologix-connect, root-owned
// and 0755 as an administrator would make it, and the real /etc is never
// written (an overlay writes only to its upper folder, and the mount
// lives only as long as the namespace's one process).
func inPolicyNamespace(t *testing.T, upper string, argv ...string) []string {
	t.Helper()
	work := filepath.Join(filepath.Dir(upper), "work")
	if strings.ContainsAny(upper, ",:") {
		t.Fatalf("%s: a comma or colon would end the overlay's option", upper)
	}
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	script := `mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$2" /etc || exit 97; shift 2; exec "$@"`
	return append([]string{"unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", upper, work}, argv...)
}

// Issue #23 weak item 3, through the real binary: a policy file only an
// administrator could not have written, or one that is not a regular
// file, or one whose meaning is unclear, stops check before any request
// with the documented code (POLICY_INSECURE naming the path and the fix;
// POLICY_INVALID for a dangling link, duplicate keys and an empty locked
// list); a FIFO does not hang it. The last row, a sound policy locking the
// login URL elsewhere, shows the app reads the namespace's file.
func TestPolicyFileInNamespace(t *testing.T) {
	requireRoot(t, "unshare", "mount")
	app := appBin(t)
	e := testfix.StartEmulator(t, nil)
	outside := t.TempDir() // below /tmp, which everyone may write
	worldWritable := filepath.Join(outside, "policy.json")
	if err := os.WriteFile(worldWritable, []byte(`{"login_url":"`+e.URL()+`","locked":["login_url"]}`), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(worldWritable, 0o666); err != nil {
		t.Fatal(err)
	}
	file := func(body string, mode os.FileMode, uid int) func(string) error {
		return func(p string) error {
			if err := os.WriteFile(p, []byte(body), mode); err != nil {
				return err
			}
			if err := os.Chmod(p, mode); err != nil {
				return err
			}
			return os.Chown(p, uid, uid)
		}
	}
	good := `{"login_url":"https://login.salesforce.com","locked":["login_url"]}`
	tests := []struct {
		name string
		make func(path string) error
		code string
		says []string // what the message must name
	}{
		{"world-writable", file(good, 0o666, 0), "POLICY_INSECURE", []string{policyDir + "/policy.json", "chmod 644"}},
		{"owned by another user", file(good, 0o644, 65534), "POLICY_INSECURE", []string{"uid 65534", "chown root:root"}},
		{"link to a world-writable file", func(p string) error { return os.Symlink(worldWritable, p) }, "POLICY_INSECURE", []string{"chown root:root"}},
		{"FIFO", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "POLICY_INSECURE", []string{"not a regular file"}},
		{"dangling link", func(p string) error { return os.Symlink(filepath.Join(policyDir, "gone.json"), p) }, "POLICY_INVALID", []string{"does not exist"}},
		{"duplicate keys", file(`{"login_url":"https://login.salesforce.com","login_url":"`+e.URL()+`"}`, 0o644, 0), "POLICY_INVALID", []string{"login_url"}},
		{"empty locked methods", file(`{"methods":[],"locked":["methods"]}`, 0o644, 0), "POLICY_INVALID", []string{"methods"}},
		{"sound policy locking the login URL elsewhere", file(good, 0o644, 0), "POLICY_LOCKED", []string{"login_url is locked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			upper := filepath.Join(t.TempDir(), "upper")
			dir := filepath.Join(upper, "advologix-connect")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := tt.make(filepath.Join(dir, "policy.json")); err != nil {
				t.Fatal(err)
			}
			e.ResetRequests()
			argv := inPolicyNamespace(t, upper, app, "check", "--json", "--login-url", e.URL(), "--username", testfix.JaneUsername,
				"--password-stdin", "--ca-file", e.CAFile)
			// A guard, not a synchronisation: a command stuck in open() on
			// the FIFO is killed and the test fails.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			r := runCtx(ctx, t, testfix.AppEnv(t, t.TempDir()), testfix.JanePassword+"\n"+testfix.JaneToken+"\n", argv...)
			if ctx.Err() != nil {
				t.Fatalf("check did not end within a minute:\n%s", r)
			}
			if r.code == 97 {
				t.Fatalf("the overlay over /etc could not be mounted:\n%s", r)
			}
			m := r.json(t)
			msg, _ := m["message"].(string)
			if m["code"] != tt.code || r.code == 0 {
				t.Errorf("code %v, want %s:\n%s", m["code"], tt.code, r)
			}
			for _, s := range tt.says {
				if !strings.Contains(msg, s) {
					t.Errorf("the message does not say %q: %s", s, msg)
				}
			}
			if n := len(e.Requests()); n != 0 {
				t.Errorf("%d requests reached the login server, want none", n)
			}
		})
	}
	if _, err := os.Lstat(policyDir); err == nil {
		t.Errorf("%s exists outside the namespace", policyDir)
	}
}

// runCtx is run within ctx.
func runCtx(ctx context.Context, t *testing.T, env []string, stdin string, argv ...string) result {
	t.Helper()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	return runCmd(t, cmd, env, stdin)
}
