package desktop

// A tray started at login sits there all day; a window it opened itself
// would keep the memory the window took (Fyne and the OpenGL driver do not
// give it back) for as long as the tray runs. So the tray shows its windows
// in a window process: the same program, started with WindowProcessEnv,
// which shows Settings and ends with its last window, taking that memory
// with it. It runs no tray of its own (a process without one must never
// reach the systray library: its shutdown would dereference a connection
// it never opened). The tray drives it over protocol.go's lines.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// The window process's environment.
const (
	WindowProcessEnv = "ADVOLOGIX_WINDOW_PROCESS" // "1" in the window process
	WindowProfileEnv = "ADVOLOGIX_WINDOW_PROFILE" // the profile to open first
)

// IsWindowProcess tells whether this process is a tray's window process.
func IsWindowProcess() bool { return os.Getenv(WindowProcessEnv) == "1" }

// Windows starts and follows the tray's window process (one at a time).
type Windows struct {
	// Gone, if set, runs (on the goroutine that saw it) when a window
	// process has ended.
	Gone func()
	// Stderr receives the window process's standard error; nil: ours.
	Stderr io.Writer

	mu    sync.Mutex
	stdin io.WriteCloser // of the running window process; nil if none
	cmd   *exec.Cmd
	ended chan struct{} // closed when it has ended
}

// Open shows Settings on profile ("": the usual choice) in the window
// process, starting it if none runs. False if it cannot start (the caller
// opens the window itself).
func (w *Windows) Open(profile string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stdin != nil {
		line, err := Message{Kind: Show, Profile: profile}.Encode()
		if err != nil {
			return false
		}
		_, err = w.stdin.Write(line)
		return err == nil
	}
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	cmd := exec.Command(exe, "settings")
	cmd.Env = append(os.Environ(), WindowProcessEnv+"=1", WindowProfileEnv+"="+profile)
	cmd.Stderr = w.Stderr
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return false
	}
	if err := cmd.Start(); err != nil {
		return false
	}
	w.stdin, w.cmd, w.ended = stdin, cmd, make(chan struct{})
	go w.follow(cmd, stdin, w.ended)
	return true
}

// follow waits for the window process to end.
func (w *Windows) follow(cmd *exec.Cmd, stdin io.WriteCloser, ended chan struct{}) {
	_ = cmd.Wait()
	close(ended)
	w.mu.Lock()
	if w.stdin == stdin {
		w.stdin, w.cmd = nil, nil
	}
	w.mu.Unlock()
	stdin.Close()
	if w.Gone != nil {
		w.Gone()
	}
}

// Stop ends the window process with the tray: it is asked to quit, and
// killed if it has not ended within grace.
func (w *Windows) Stop(grace time.Duration) error {
	w.mu.Lock()
	stdin, cmd, ended := w.stdin, w.cmd, w.ended
	w.mu.Unlock()
	if stdin == nil {
		return nil
	}
	if line, err := (Message{Kind: Quit}).Encode(); err == nil {
		_, _ = stdin.Write(line)
	}
	stdin.Close() // an end of input means quit too
	select {
	case <-ended:
		return nil
	case <-time.After(grace):
	}
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("end the window process %d: %w", cmd.Process.Pid, err)
	}
	<-ended
	return nil
}

// Serve is the window process's side: it follows the tray's messages on r
// and calls quit (once) on a Quit or at the end of r. Run it on its own
// goroutine.
func Serve(r io.Reader, show func(profile string), quit func()) {
	var once sync.Once
	_ = Read(r, func(m Message) {
		switch m.Kind {
		case Show:
			show(m.Profile)
		case Quit:
			once.Do(quit)
		}
	})
	once.Do(quit)
}
