//go:build integration

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// statusLine is the tray menu's first entry: the status line.
func statusLine(m desktoptest.MenuItem) string {
	if labels := m.Labels(); len(labels) > 0 {
		return labels[0]
	}
	return ""
}

// waitTray waits until the tray's menu (read over dbusmenu from the
// panel's bus) has a status line starting with prefix and its icon the
// colour wanted ("green", "red", "grey"), and returns the line.
func (a *app) waitTray(ctx context.Context, item desktoptest.Item, prefix, colour string) string {
	a.d.t.Helper()
	var line, got string
	for {
		m, err := desktoptest.GetLayout(ctx, a.d.Conn, item)
		if err == nil {
			line = statusLine(m)
		}
		if img, err := desktoptest.ItemIcon(ctx, a.d.Conn, item); err == nil {
			got = iconColour(img)
		}
		if strings.HasPrefix(line, prefix) && got == colour {
			return line
		}
		select {
		case <-ctx.Done():
			a.d.t.Fatalf("the tray shows %q with a %s icon; want %q… with a %s icon\n%s", line, got, prefix, colour, a.Output())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// iconColour names the tray icon's colour: the mean of its clearly
// coloured, opaque pixels; "grey" when they are under a tenth of the
// opaque ones (a grey icon's anti-aliased edges are a few coloured pixels).
func iconColour(img image.Image) string {
	var r, g, b, n, opaque int
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			if ca < 0xc000 {
				continue
			}
			opaque++
			hi, lo := max(cr, cg, cb), min(cr, cg, cb)
			if hi-lo < 0x3000 {
				continue // grey, white, black
			}
			r, g, b, n = r+int(cr>>8), g+int(cg>>8), b+int(cb>>8), n+1
		}
	}
	switch {
	case n*10 < opaque:
		return "grey"
	case g > r && g > b:
		return "green"
	case r > g && r > b:
		return "red"
	}
	return fmt.Sprintf("rgb(%d,%d,%d)", r/n, g/n, b/n)
}

// windowProcess waits for the one child process of parent (the tray's
// window process) and returns it as an app on the desk; its output is
// the tray's (it inherits the tray's standard error).
func (a *app) windowProcess(ctx context.Context) *app {
	a.d.t.Helper()
	for {
		if kids := childPIDs(a.Pid()); len(kids) == 1 {
			p, err := os.FindProcess(kids[0])
			if err != nil {
				a.d.t.Fatal(err)
			}
			return &app{proc: &proc{cmd: &exec.Cmd{Path: "window process", Process: p}, out: &testfix.Buffer{}, exited: make(chan struct{})}, d: a.d, look: a.look}
		}
		select {
		case <-ctx.Done():
			a.d.t.Fatalf("no window process of the tray (pid %d)\n%s", a.Pid(), a.Output())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// childPIDs are the processes whose parent is pid.
func childPIDs(pid int) []int {
	var out []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces; it ends at the last ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			if n, err := strconv.Atoi(filepath.Base(filepath.Dir(path))); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// waitGone waits until process pid has ended (or is a zombie its parent
// has not reaped yet) within d.
func waitGone(t *testing.T, pid int, d time.Duration, what string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || syscall.Kill(pid, 0) != nil {
			return
		}
		if i := bytes.LastIndexByte(b, ')'); i >= 0 && bytes.HasPrefix(bytes.TrimSpace(b[i+1:]), []byte("Z")) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s (pid %d) still runs %v later", what, pid, d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// testedStatus is what status --json says of profile's last test.
func (d *desk) testedStatus(profile string) string {
	d.t.Helper()
	_, out := d.cli("", "", "status", "--json")
	var st struct {
		Profiles []struct {
			Name   string `json:"name"`
			Tested string `json:"tested"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		d.t.Fatalf("status --json: %v\n%s", err, out)
	}
	for _, p := range st.Profiles {
		if p.Name == profile {
			return p.Tested
		}
	}
	return ""
}
