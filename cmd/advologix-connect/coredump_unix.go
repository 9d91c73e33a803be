//go:build unix

package main

import "golang.org/x/sys/unix"

// disableCoreDumps sets RLIMIT_CORE to 0: a core file of this process would
// hold the password being tested.
func disableCoreDumps() { _ = unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{}) }
