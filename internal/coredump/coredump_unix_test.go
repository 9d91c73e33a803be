//go:build unix

package coredump

import (
	"testing"

	"golang.org/x/sys/unix"
)

// Issue 9 item 12: no core file can hold a password.
func TestDisableCoreDumps(t *testing.T) {
	Disable()
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &lim); err != nil {
		t.Fatal(err)
	}
	if lim.Cur != 0 || lim.Max != 0 {
		t.Errorf("RLIMIT_CORE = %d/%d, want 0/0", lim.Cur, lim.Max)
	}
}
