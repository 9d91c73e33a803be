//go:build crashtest

package credstore

import (
	"os"
	"syscall"
)

// CrashAfterEnv names the step after which a crash-test build kills its
// own process with SIGKILL, as a power cut or `kill -9` would: the tests
// of the real binary that prove a change interrupted anywhere loses
// nothing. Only builds with the crashtest tag read it.
const CrashAfterEnv = "ADVOLOGIX_CRASH_AFTER"

func init() {
	at := os.Getenv(CrashAfterEnv)
	if at == "" {
		return
	}
	processCrash = func(step string) {
		if step == at {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}
}
