//go:build integration

package bench

import (
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testbin"
)

func TestMain(m *testing.M) { testbin.Main(m) }

// appBinary is the command line cmd/advologix-connect as shipped (no
// cgo), built once for the whole run with make build's compile flags
// (internal/testing/testbin).
func appBinary(tb testing.TB) string {
	tb.Helper()
	return testbin.Build(tb, testbin.AppPkg)
}

// desktopBinary is the desktop program cmd/advologix-connect-desktop,
// built as appBinary builds the command line.
func desktopBinary(tb testing.TB) string {
	tb.Helper()
	return testbin.Build(tb, testbin.DesktopPkg)
}

// run starts cmd, waits, and returns its wall time and peak RSS in bytes.
func run(tb testing.TB, cmd *exec.Cmd) (time.Duration, int64) {
	tb.Helper()
	start := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("%s: %v", cmd.Path, err)
	}
	elapsed := time.Since(start)
	return elapsed, maxRSS(cmd.ProcessState)
}

func maxRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes on macOS
	}
	return ru.Maxrss * 1024 // KiB on Linux
}

func mustLookPath(tb testing.TB, name string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		tb.Fatalf("%s is required for this benchmark (make bench installs it): %v", name, err)
	}
	return p
}
