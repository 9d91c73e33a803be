package desktoptest

// What the session's screen shows: its windows, read with xdotool and xprop.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Window is a visible X window of the session.
type Window struct {
	ID                  string // decimal, as xdotool prints it
	PID                 int    // _NET_WM_PID, 0 if unset
	Title               string // _NET_WM_NAME (UTF-8), else WM_NAME
	X, Y, Width, Height int
}

func (w Window) String() string {
	return fmt.Sprintf("%s pid %d %q %dx%d+%d+%d", w.ID, w.PID, w.Title, w.Width, w.Height, w.X, w.Y)
}

// Windows lists the viewable windows bigger than 1×1 pixel that carry a
// process ID or a title: what a user could see on the screen.
func (s *Session) Windows() ([]Window, error) {
	out, err := s.xdotool("search", "--onlyvisible", "--name", "")
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 1 && len(bytes.TrimSpace(out)) == 0 {
			return nil, nil // no window at all
		}
		return nil, err
	}
	var ws []Window
	for _, id := range strings.Fields(string(out)) {
		w, ok := s.window(id)
		if !ok || w.Width <= 1 || w.Height <= 1 {
			continue
		}
		if w.PID == 0 && w.Title == "" {
			continue
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// window reads one window's properties; false if it went away.
func (s *Session) window(id string) (Window, bool) {
	w := Window{ID: id}
	geo, err := s.xdotool("getwindowgeometry", "--shell", id)
	if err != nil {
		return w, false
	}
	for _, line := range strings.Split(string(geo), "\n") {
		k, v, _ := strings.Cut(line, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "X":
			w.X = n
		case "Y":
			w.Y = n
		case "WIDTH":
			w.Width = n
		case "HEIGHT":
			w.Height = n
		}
	}
	if out, err := s.xdotool("getwindowpid", id); err == nil {
		w.PID, _ = strconv.Atoi(strings.TrimSpace(string(out)))
	}
	w.Title = s.title(id)
	return w, true
}

// title reads _NET_WM_NAME as UTF-8 (xdotool's getwindowname gives
// WM_NAME, which GLFW sets in Latin-1 or not at all for "—").
func (s *Session) title(id string) string {
	out, err := exec.Command("xprop", "-display", s.Display, "-id", id, "-notype", "_NET_WM_NAME", "WM_NAME").Output()
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(out), "\n") {
		_, v, ok := strings.Cut(line, " = ")
		if !ok {
			continue
		}
		if u, err := strconv.Unquote(v); err == nil {
			return u
		}
	}
	return ""
}

func (s *Session) xdotool(args ...string) ([]byte, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = s.Env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && stderr.Len() > 0 {
		return out, fmt.Errorf("xdotool %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, err
}

// Xdotool runs xdotool on the session's display and returns its output.
func (s *Session) Xdotool(args ...string) (string, error) {
	out, err := s.xdotool(args...)
	return string(out), err
}

// ForeignWindows returns the visible windows that belong neither to the
// desktop itself (window manager, panel and its plugins, notification
// daemon) nor to one of the processes pids or their children: a leftover
// prompt (gcr-prompter), another test's window.
func (s *Session) ForeignWindows(pids ...int) ([]Window, error) {
	ws, err := s.Windows()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	roots := map[int]bool{}
	for _, pid := range s.ownPIDs {
		roots[pid] = true
	}
	s.mu.Unlock()
	for _, pid := range pids {
		roots[pid] = true
	}
	var foreign []Window
	for _, w := range ws {
		if w.PID != 0 && descendsFrom(w.PID, roots) {
			continue
		}
		foreign = append(foreign, w)
	}
	return foreign, nil
}

// descendsFrom tells whether pid or one of its ancestors is in roots.
func descendsFrom(pid int, roots map[int]bool) bool {
	for i := 0; pid > 1 && i < 64; i++ {
		if roots[pid] {
			return true
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return false
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		rest := b[bytes.LastIndexByte(b, ')')+1:]
		f := strings.Fields(string(rest))
		if len(f) < 2 {
			return false
		}
		pid, _ = strconv.Atoi(f[1])
	}
	return false
}

// WindowsOf returns the visible windows of process pid and its children:
// the app may show a window from a child process of its tray, and to a
// user that is the app's window all the same.
func (s *Session) WindowsOf(pid int) ([]Window, error) {
	ws, err := s.Windows()
	if err != nil {
		return nil, err
	}
	var mine []Window
	for _, w := range ws {
		if w.PID != 0 && descendsFrom(w.PID, map[int]bool{pid: true}) {
			mine = append(mine, w)
		}
	}
	return mine, nil
}

// WaitWindow waits until process pid shows a window titled exactly title
// and returns it. Failing, it lists the windows on screen.
func (s *Session) WaitWindow(ctx context.Context, pid int, title string) (Window, error) {
	for {
		ws, err := s.WindowsOf(pid)
		if err != nil {
			return Window{}, err
		}
		for _, w := range ws {
			if w.Title == title {
				return w, nil
			}
		}
		select {
		case <-ctx.Done():
			all, _ := s.Windows()
			return Window{}, fmt.Errorf("no window of process %d titled %q: %w; on screen: %v", pid, title, ctx.Err(), all)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// WaitNoWindow waits until process pid shows no window.
func (s *Session) WaitNoWindow(ctx context.Context, pid int) error {
	for {
		ws, err := s.WindowsOf(pid)
		if err != nil {
			return err
		}
		if len(ws) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("process %d still shows %v: %w", pid, ws, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
