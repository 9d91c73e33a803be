//go:build !windows

package launcher

import (
	"fmt"
	"os"
	"syscall"
)

// Names are the file names the desktop program may have, the packages'
// first.
var Names = []string{"advologix-connect-desktop"}

// Start runs the desktop program at path with args in place of this
// process (execve: same process ID, environment, streams and signals, so
// a service manager or a test sees one program). It returns only when it
// could not.
func Start(path string, args []string) error {
	argv := append([]string{path}, args...)
	if err := syscall.Exec(path, argv, os.Environ()); err != nil {
		return fmt.Errorf("start the desktop app %s: %w", path, err)
	}
	return nil
}
