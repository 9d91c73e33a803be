//go:build integration

package bench

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testbin"
)

// BenchmarkVersionVsHello (issue 24) runs `advologix-connect version` (the
// command line, no cgo), `advologix-connect-desktop version` (the desktop
// program: what every command cost when one cgo Fyne binary was both) and
// a Go hello world, alternating, and reports each wall time and the
// command line's and the desktop program's ratio to hello (target for
// the command line: ≤ 3×). $ADVOLOGIX_BENCH_APP replaces the command line
// (e.g. an older commit's single binary, for a before figure).
func BenchmarkVersionVsHello(b *testing.B) {
	cliBin := appBinary(b)
	if p := os.Getenv("ADVOLOGIX_BENCH_APP"); p != "" {
		cliBin = p
	}
	desktop := desktopBinary(b)
	hello := testbin.Build(b, testbin.Module+"/bench/hello")
	env := []string{"HOME=" + b.TempDir(), "PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
	cmd := func(bin string, args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Env = env
		return c
	}
	// Warm the page cache: the figures are of a start, not of a disk read.
	for _, c := range []*exec.Cmd{cmd(cliBin, "version"), cmd(desktop, "version"), cmd(hello)} {
		run(b, c)
	}
	var cliT, deskT, helloT time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, _ := run(b, cmd(cliBin, "version"))
		cliT += d
		d, _ = run(b, cmd(desktop, "version"))
		deskT += d
		d, _ = run(b, cmd(hello))
		helloT += d
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(cliT), "cli-ms/op")
	b.ReportMetric(ms(deskT), "desktop-ms/op")
	b.ReportMetric(ms(helloT), "hello-ms/op")
	b.ReportMetric(ms(cliT)/ms(helloT), "cli/hello")
	b.ReportMetric(ms(deskT)/ms(helloT), "desktop/hello")
	b.Logf("advologix-connect version %.2f ms (%.2f× hello, target ≤ 3×); advologix-connect-desktop version %.2f ms (%.2f×); hello %.2f ms",
		ms(cliT), ms(cliT)/ms(helloT), ms(deskT), ms(deskT)/ms(helloT), ms(helloT))
}
