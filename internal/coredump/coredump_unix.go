//go:build unix

package coredump

import "golang.org/x/sys/unix"

// Disable sets RLIMIT_CORE to 0: a core file of this process would
// hold the password being tested.
func Disable() { _ = unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{}) }
