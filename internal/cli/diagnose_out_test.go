//go:build unix

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/cli"
)

// Issue 23 item 4: diagnose --out PATH writes that one file and nothing
// else: the path is no pattern, "-" is standard output, and what is not a
// regular file or is the app's own is refused.
func TestDiagnoseOutWritesOneFile(t *testing.T) {
	pe := newProfileEnv(t)
	st := pe.openStore(t)
	if err := os.WriteFile(st.Path(), []byte(`{"version":1,"profiles":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	t.Chdir(work)
	bystanders := []string{"victim.tmp-123", "report.txt.tmp-abc", "x.tmp-"}
	for _, b := range bystanders {
		if err := os.WriteFile(filepath.Join(work, b), []byte("keep"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fifo := filepath.Join(work, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	devLink := filepath.Join(work, "null-link")
	if err := os.Symlink("/dev/null", devLink); err != nil {
		t.Fatal(err)
	}
	fileLink := filepath.Join(work, "file-link")
	if err := os.Symlink(filepath.Join(work, "victim.tmp-123"), fileLink); err != nil {
		t.Fatal(err)
	}
	// /dev/stdout itself is such a link; one of our own stands in for it,
	// so that a run against a broken build cannot replace the real one.
	stdoutLink := filepath.Join(work, "stdout")
	if err := os.Symlink("/proc/self/fd/1", stdoutLink); err != nil {
		t.Fatal(err)
	}
	settingsDir := filepath.Dir(st.Path())
	tests := []struct {
		name, out string
		code      int  // exit status class: cli.ExitUsage for a refusal
		written   bool // a regular file at out holds the report
	}{
		{"a glob is a file name", filepath.Join(work, "*"), cli.ExitOK, true},
		{"a name", filepath.Join(work, "report.txt"), cli.ExitOK, true},
		{"relative", "rel.txt", cli.ExitOK, true},
		{"a FIFO", fifo, cli.ExitUsage, false},
		{"a symlink to a device", devLink, cli.ExitUsage, false},
		{"a symlink to a file", fileLink, cli.ExitUsage, false},
		{"a link to standard output", stdoutLink, cli.ExitUsage, false},
		{"a folder", work, cli.ExitUsage, false},
		{"settings.json", st.Path(), cli.ExitUsage, false},
		{"verdicts.json", filepath.Join(settingsDir, "verdicts.json"), cli.ExitUsage, false},
		{"a new file in the settings folder", filepath.Join(settingsDir, "report.txt"), cli.ExitUsage, false},
		{"the settings folder by another path", filepath.Join(settingsDir, ".", "..", filepath.Base(settingsDir), "settings.json"), cli.ExitUsage, false},
		{"the IT policy file", "/etc/advologix-connect/policy.json", cli.ExitUsage, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.Lstat(tt.out)
			done := make(chan run, 1)
			go func() { done <- pe.run(t, "", "diagnose", "--out", tt.out) }()
			var r run
			select {
			case r = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("diagnose --out hung")
			}
			if r.code != tt.code && !(tt.code == cli.ExitOK && r.code < cli.ExitUsage) {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			after, err := os.Lstat(tt.out)
			if tt.written {
				b, _ := os.ReadFile(tt.out)
				if err != nil || !after.Mode().IsRegular() || after.Mode().Perm() != 0o600 || !strings.Contains(string(b), "AdvoLogix Connect diagnostics") {
					t.Errorf("%s: not the report (%v, %v)", tt.out, after, err)
				}
			} else if before != nil && (after == nil || after.Mode() != before.Mode() || !os.SameFile(before, after)) {
				t.Errorf("%s was replaced: %v -> %v", tt.out, before.Mode(), after)
			} else if before == nil && err == nil {
				t.Errorf("%s was created", tt.out)
			}
			for _, b := range bystanders {
				if got, err := os.ReadFile(filepath.Join(work, b)); err != nil || string(got) != "keep" {
					t.Errorf("%s: %q, %v: a file it was not asked to write changed", b, got, err)
				}
			}
			entries, _ := os.ReadDir(work)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") && !contains(bystanders, e.Name()) {
					t.Errorf("temporary file %s left behind", e.Name())
				}
			}
		})
	}
	t.Run("- is standard output", func(t *testing.T) {
		r := pe.run(t, "", "diagnose", "--out", "-")
		if !strings.Contains(r.stdout, "AdvoLogix Connect diagnostics") {
			t.Errorf("stdout %q", r.stdout)
		}
		if _, err := os.Lstat(filepath.Join(work, "-")); err == nil {
			t.Error(`a file named "-" was written`)
		}
	})
}
