//go:build integration

package bench

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testbin"
	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

const (
	// idleWait is how long a process sits with its window shown before its
	// memory is read: long enough for start-up work (and its garbage) to
	// settle.
	idleWait = 2 * time.Second
	// mapTimeout bounds the wait for a window; far above any real start-up,
	// it only turns a hang into a failure with the process's output.
	mapTimeout = 30 * time.Second
	// termTimeout is how long a process may take to quit after SIGTERM
	// before it is killed.
	termTimeout = 5 * time.Second
)

// startupSubject is one program whose start-up is measured.
type startupSubject struct {
	name  string // metric prefix: "app", "bare"
	bin   string
	args  []string
	title string // the window to wait for has a title containing this
}

// startupSample is what one start of a subject measured.
type startupSample struct {
	firstFrame time.Duration // from exec to the window being mapped
	rss, hwm   int64         // VmRSS after idleWait, and VmHWM then, in bytes
}

// BenchmarkStartup starts the app (its Settings window, on a first run: the
// set-up window) and a bare Fyne window built the same way, alternating, and
// reports for each the time from exec until its window is mapped and its
// resident memory after two idle seconds, and the app's ratios to the bare
// window's (medians over the runs). Each process gets fresh XDG directories.
// Run it in the test session, which has an X server without a window
// manager:
//
//	scripts/test-session.sh go test -tags integration -run '^$' -bench 'Startup$' -benchtime 20x ./bench/
func BenchmarkStartup(b *testing.B) {
	x := openTestDisplay(b)
	app := startupSubject{name: "app", bin: desktopBinary(b), args: []string{"settings"}, title: "AdvoLogix Connect"}
	bare := startupSubject{name: "bare", bin: bareWindowBinary(b), title: "Bare Fyne Window"}
	a, c := compareStartup(b, x, app, bare)
	b.Logf("first frame: app %.0f ms, bare %.0f ms, ratio %.2f× (target ≤ 1.15×); idle RSS: app %.1f MiB, bare %.1f MiB, ratio %.2f× (target ≤ 1.15×); peak RSS: app %.1f MiB, bare %.1f MiB; medians of %d runs",
		ms(a.firstFrame), ms(c.firstFrame), ms(a.firstFrame)/ms(c.firstFrame),
		mib(a.rss), mib(c.rss), float64(a.rss)/float64(c.rss), mib(a.hwm), mib(c.hwm), b.N)
}

// BenchmarkStartupBareVsBare runs the same comparison with the bare window
// on both sides: the harness's own noise, against which BenchmarkStartup's
// ratios are read. Both ratios should be close to 1.00.
func BenchmarkStartupBareVsBare(b *testing.B) {
	x := openTestDisplay(b)
	bin := bareWindowBinary(b)
	a, c := compareStartup(b, x,
		startupSubject{name: "bare-a", bin: bin, title: "Bare Fyne Window"},
		startupSubject{name: "bare-b", bin: bin, title: "Bare Fyne Window"})
	b.Logf("bare against itself: first frame %.0f / %.0f ms = %.2f×, idle RSS %.1f / %.1f MiB = %.2f×; medians of %d runs",
		ms(a.firstFrame), ms(c.firstFrame), ms(a.firstFrame)/ms(c.firstFrame),
		mib(a.rss), mib(c.rss), float64(a.rss)/float64(c.rss), b.N)
}

// compareStartup starts s and base once each unmeasured (it fails here if
// either never shows its window), then alternately once per iteration, and
// reports the medians and ratios as metrics. It returns the medians.
func compareStartup(b *testing.B, x *xConn, s, base startupSubject) (startupSample, startupSample) {
	b.Helper()
	// Warm-up: binaries into the page cache, and a clear failure if a
	// window never appears.
	startOnce(b, x, s)
	startOnce(b, x, base)

	var ss, bs []startupSample
	for b.Loop() {
		ss = append(ss, startOnce(b, x, s))
		bs = append(bs, startOnce(b, x, base))
	}
	sm, bm := medianSample(ss), medianSample(bs)
	b.ReportMetric(ms(sm.firstFrame), s.name+"-first-frame-ms")
	b.ReportMetric(ms(bm.firstFrame), base.name+"-first-frame-ms")
	b.ReportMetric(ms(sm.firstFrame)/ms(bm.firstFrame), "frame-ratio")
	b.ReportMetric(mib(sm.rss), s.name+"-idle-RSS-MiB")
	b.ReportMetric(mib(bm.rss), base.name+"-idle-RSS-MiB")
	b.ReportMetric(float64(sm.rss)/float64(bm.rss), "rss-ratio")
	b.ReportMetric(mib(sm.hwm), s.name+"-peak-RSS-MiB")
	b.ReportMetric(mib(bm.hwm), base.name+"-peak-RSS-MiB")
	return sm, bm
}

// startOnce starts s with fresh XDG directories and an empty working
// directory, waits for its window, lets it idle, reads its memory and stops
// it.
func startOnce(b *testing.B, x *xConn, s startupSubject) startupSample {
	b.Helper()
	dir := b.TempDir()
	cmd := exec.Command(s.bin, s.args...)
	// An empty working directory also keeps Fyne's development builds from
	// picking up a FyneApp.toml.
	cmd.Dir = dir
	cmd.Env = testfix.AppEnv(b, dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out

	x.forgetMapped()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatalf("start %s: %v", s.name, err)
	}
	p := watch(cmd)
	defer p.stop(b, s.name)

	mapped, err := x.waitForWindow(cmd.Process.Pid, s.title, p.done, mapTimeout)
	if err != nil {
		p.stop(b, s.name)
		b.Fatalf("%s (%s %s): %v\noutput:\n%s", s.name, s.bin, strings.Join(s.args, " "), err, out.String())
	}
	sample := startupSample{firstFrame: mapped.Sub(start)}

	select {
	case <-p.done:
		b.Fatalf("%s exited while idle: %v\noutput:\n%s", s.name, p.err, out.String())
	case <-time.After(idleWait):
	}
	sample.rss, sample.hwm, err = vmStatus(cmd.Process.Pid)
	if err != nil {
		b.Fatalf("%s: %v", s.name, err)
	}
	return sample
}

// proc is a started process whose exit is being waited for.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited; err is set then
	err  error
}

func watch(cmd *exec.Cmd) *proc {
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p
}

// stop ends the process with SIGTERM, and SIGKILL if it has not quit after
// termTimeout. It is safe to call more than once.
func (p *proc) stop(b *testing.B, name string) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(termTimeout):
		b.Logf("%s did not quit within %v of SIGTERM; killed", name, termTimeout)
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// vmStatus reads a process's resident set size and its high-water mark
// from /proc, in bytes.
func vmStatus(pid int) (rss, hwm int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/status: %s: %v", pid, key, err)
		}
		if key == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, err
	}
	if rss == 0 || hwm == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/status has no VmRSS or VmHWM", pid)
	}
	return rss, hwm, nil
}

func medianSample(ss []startupSample) startupSample {
	return startupSample{
		firstFrame: median(ss, func(s startupSample) time.Duration { return s.firstFrame }),
		rss:        median(ss, func(s startupSample) int64 { return s.rss }),
		hwm:        median(ss, func(s startupSample) int64 { return s.hwm }),
	}
}

// median of field over ss: for an even count, the lower middle value.
func median[T cmp.Ordered](ss []startupSample, field func(startupSample) T) T {
	vs := make([]T, len(ss))
	for i, s := range ss {
		vs[i] = field(s)
	}
	slices.Sort(vs)
	return vs[(len(vs)-1)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mib(n int64) float64        { return float64(n) / (1 << 20) }

// bareWindowBinary is bench/barewindow, built as appBinary builds the app.
func bareWindowBinary(tb testing.TB) string {
	tb.Helper()
	return testbin.Build(tb, testbin.Module+"/bench/barewindow")
}
