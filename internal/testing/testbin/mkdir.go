package testbin

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// mkdir makes dir and its parents like os.MkdirAll, but through syscall,
// so that go test does not record the folder among the test's inputs:
// its modification time changes with every build beside it (the ".new"
// files), and a recorded stat would keep every test that runs a program
// out of Go's test cache. The programs themselves are recorded (Stat in
// buildLocked and link), which is what a cached result depends on.
func mkdir(dir string) error {
	err := syscall.Mkdir(dir, 0o700)
	switch {
	case err == nil, errors.Is(err, syscall.EEXIST):
		return nil
	case errors.Is(err, syscall.ENOENT) && filepath.Dir(dir) != dir:
		if err := mkdir(filepath.Dir(dir)); err != nil {
			return err
		}
		if err := syscall.Mkdir(dir, 0o700); err != nil && !errors.Is(err, syscall.EEXIST) {
			return &os.PathError{Op: "mkdir", Path: dir, Err: err}
		}
		return nil
	}
	return &os.PathError{Op: "mkdir", Path: dir, Err: err}
}
