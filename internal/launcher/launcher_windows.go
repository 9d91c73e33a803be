package launcher

import (
	"fmt"
	"os/exec"
	"syscall"
)

// Names are the file names the desktop program may have: the one the MSI
// installs and the Start menu shows, then the build's (bin/).
var Names = []string{"AdvoLogix Connect.exe", "advologix-connect-desktop.exe"}

// Windows process creation flags (processthreadsapi.h).
const (
	detachedProcess       = 0x00000008
	createNewProcessGroup = 0x00000200
)

// Start starts the desktop program at path with args, detached from this
// console (a GUI program, it has none of its own), and returns once it
// runs: Windows has no execve, and a console command line that waited
// would keep its console window open for as long as the app runs.
func Start(path string, args []string) error {
	cmd := exec.Command(path, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: detachedProcess | createNewProcessGroup}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the desktop app %s: %w", path, err)
	}
	return cmd.Process.Release()
}
