//go:build integration

package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// appBinary builds cmd/advologix-connect once per test binary, the way
// `make build` does.
func appBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "advologix-bench")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "advologix-connect")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binPath, "../cmd/advologix-connect")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{out: string(out), err: err}
		}
	})
	if buildErr != nil {
		tb.Fatalf("build advologix-connect: %v", buildErr)
	}
	return binPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

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
