//go:build integration

package e2e

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/advologix/advologix-connect/internal/testing/desktoptest"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// proc is a program started by a test.
type proc struct {
	cmd    *exec.Cmd
	out    *testfix.Buffer
	exited chan struct{}
	err    error // valid once exited is closed
	// standIn marks a stand-in of someone else's program (traydemo): its
	// slow exit is logged, never a failure.
	standIn bool
	// lost holds the report lines of clicks it lost and was sent again.
	lost []string
}

// appStopGrace is how long a program of ours may take to end on SIGTERM
// before it counts as ignoring it. The app ends within a second on an idle
// machine; make test runs stages side by side on two cores, where a Fyne
// app's shutdown was seen to take over 5 s.
const appStopGrace = 15 * time.Second

// startProcess runs bin with env and args, stdout and stderr captured
// together. At cleanup a still-running process is stopped (see stop); its
// output is logged if the test failed.
func startProcess(t *testing.T, env []string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), out: &testfix.Buffer{}, exited: make(chan struct{})}
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			p.stop(t)
		}
		assertCleanOutput(t, filepath.Base(bin)+" "+strings.Join(args, " "), p.cleanOutput())
		if t.Failed() {
			t.Logf("output of %s %q:\n%s", filepath.Base(bin), args, p.Output())
		}
	})
	return p
}

// Pid is the process ID.
func (p *proc) Pid() int { return p.cmd.Process.Pid }

// Output is everything the process wrote so far.
func (p *proc) Output() string { return p.out.String() }

// wait waits for the process to end and returns its exit code.
func (p *proc) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(timeout):
		t.Fatalf("%s still runs after %v", filepath.Base(p.cmd.Path), timeout)
	}
	var exit *exec.ExitError
	if p.err != nil && !errors.As(p.err, &exit) {
		t.Fatalf("wait for %s: %v", filepath.Base(p.cmd.Path), p.err)
	}
	return p.cmd.ProcessState.ExitCode()
}

// stop ends p: SIGTERM, then SIGKILL after appStopGrace. A slow end is
// logged; one past the grace fails the test, unless p is a stand-in.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	name := filepath.Base(p.cmd.Path)
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	start := time.Now()
	select {
	case <-p.exited:
		if d := time.Since(start); d > 3*time.Second {
			t.Logf("%s took %v to end on SIGTERM (a loaded machine)", name, d.Round(time.Millisecond))
		}
	case <-time.After(appStopGrace):
		report := t.Errorf
		if p.standIn {
			report = t.Logf
		}
		report("%s ignored SIGTERM for %v; killed", name, appStopGrace)
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// pickMenu picks label in p's tray menu (item), as a user does; a click p
// lost to a renumbered menu is sent again (desktoptest.ClickLabelLost).
func (p *proc) pickMenu(ctx context.Context, conn *dbus.Conn, item desktoptest.Item, label string) error {
	lost := desktoptest.SystrayLost(p.Output)
	return desktoptest.ClickLabelLost(ctx, conn, item, label, func(id int32) bool {
		if !lost(id) {
			return false
		}
		p.lost = append(p.lost, desktoptest.SystrayLostLine(id))
		return true
	})
}

// cleanOutput is p's output without the reports of the clicks it lost and
// was sent again: the harness's retries, not the program's faults.
func (p *proc) cleanOutput() string {
	lines := strings.SplitAfter(p.Output(), "\n")
	var b strings.Builder
next:
	for _, l := range lines {
		for _, lost := range p.lost {
			if strings.HasSuffix(l, lost) {
				continue next
			}
		}
		b.WriteString(l)
	}
	return b.String()
}
