package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/advologix/advologix-connect/sfclient"
	"github.com/advologix/advologix-connect/ui"
)

// A tray started at login sits there all day; a window it opened itself
// would keep the memory the window took (Fyne and the OpenGL driver do not
// give it back) for as long as the tray runs. So the tray shows its windows
// in a window process: the same program, started with windowProcessEnv,
// which shows Settings and ends with its last window, taking that memory
// with it.
//
// The two talk over the window process's standard input and output, one
// line per message:
//
//	tray → window   show                 bring the window forward (a second launch)
//	                result <JSON>        the result to show for the profile
//	window → tray   seen <JSON>          a result a test in the window got
const (
	windowProcessEnv        = "ADVOLOGIX_WINDOW_PROCESS" // "1" in the window process
	windowProcessProfileEnv = "ADVOLOGIX_WINDOW_PROFILE" // the profile to open
)

// wireResult is a result with the fields the views need that the JSON form
// of sfclient.Result leaves out. It holds no secret.
type wireResult struct {
	Profile string `json:"profile"`
	sfclient.Result
	Headline string         `json:"headline"`
	Suspect  sfclient.Field `json:"suspect"`
	Warnings []string       `json:"warnings,omitempty"`
}

func toWire(profile string, r sfclient.Result) wireResult {
	return wireResult{Profile: profile, Result: r, Headline: r.Headline, Suspect: r.Suspect, Warnings: r.Warnings}
}

func (w wireResult) result() sfclient.Result {
	r := w.Result
	r.Headline, r.Suspect, r.Warnings = w.Headline, w.Suspect, w.Warnings
	return r
}

// windowProcesses starts and follows the tray's window process (one at a
// time).
type windowProcesses struct {
	u *ui.UI

	mu    sync.Mutex
	stdin io.WriteCloser // of the running window process; nil if none
}

// open shows Settings in the window process, starting it if none runs. It
// runs on Fyne's goroutine; false if the process cannot start (the caller
// opens the window itself).
func (w *windowProcesses) open(profile string, r *sfclient.Result) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stdin != nil {
		_, err := io.WriteString(w.stdin, "show\n")
		return err == nil
	}
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	cmd := exec.Command(exe, "settings")
	cmd.Env = append(os.Environ(), windowProcessEnv+"=1", windowProcessProfileEnv+"="+profile)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return false
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return false
	}
	if err := cmd.Start(); err != nil {
		return false
	}
	if r != nil {
		if b, err := json.Marshal(toWire(profile, *r)); err == nil {
			fmt.Fprintf(stdin, "result %s\n", b)
		}
	}
	w.stdin = stdin
	go w.follow(cmd, stdin, stdout)
	return true
}

// follow reads what the window process reports until it ends.
func (w *windowProcesses) follow(cmd *exec.Cmd, stdin io.WriteCloser, stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		kind, payload, _ := cutSpace(sc.Text())
		var wr wireResult
		if kind != "seen" || json.Unmarshal([]byte(payload), &wr) != nil {
			continue
		}
		fyne.Do(func() { w.u.SeeResult(wr.Profile, wr.result()) })
	}
	_ = cmd.Wait()
	w.mu.Lock()
	if w.stdin == stdin {
		w.stdin = nil
	}
	w.mu.Unlock()
	stdin.Close()
	fyne.Do(w.u.WindowGone)
}

// stop ends the window process with the tray.
func (w *windowProcesses) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stdin != nil {
		w.stdin.Close() // the window process quits when its input ends
		w.stdin = nil
	}
}

// windowProcessLink is the window process's side: it reports results on
// standard output and follows standard input.
func windowProcessLink(ctx context.Context, u *ui.UI, quit func()) ui.Desktop {
	var mu sync.Mutex
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			kind, payload, _ := cutSpace(sc.Text())
			switch kind {
			case "show":
				fyne.Do(u.Open)
			case "result":
				var wr wireResult
				if json.Unmarshal([]byte(payload), &wr) == nil {
					fyne.Do(func() { u.ShowProfile(wr.Profile, ptr(wr.result())) })
				}
			}
		}
		// The tray is gone (or quit): so is its window.
		fyne.Do(quit)
	}()
	return ui.Desktop{ResultSeen: func(profile string, r sfclient.Result) {
		b, err := json.Marshal(toWire(profile, r))
		if err != nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(os.Stdout, "seen %s\n", b)
	}}
}

func ptr[T any](v T) *T { return &v }

func cutSpace(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
