//go:build integration

package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// soapEnvelope is the login() request curl sends for Jane: the same bytes
// the check command builds.
const soapEnvelope = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body xmlns="http://schemas.xmlsoap.org/soap/envelope/"><login xmlns="urn:partner.soap.sforce.com"><username>` +
	testfix.JaneUsername + `</username><password>` + testfix.JanePassword + testfix.JaneToken + `</password></login></Body></Envelope>`

// BenchmarkCheckVsCurl runs `advologix-connect check` and curl (the same SOAP
// login() to the same emulator), alternating, and reports both wall times,
// their ratio and the check process's peak RSS. $ADVOLOGIX_BENCH_APP
// replaces the command line.
func BenchmarkCheckVsCurl(b *testing.B) {
	bin := appBinary(b)
	if p := os.Getenv("ADVOLOGIX_BENCH_APP"); p != "" {
		bin = p // e.g. an older commit's build, for a before figure
	}
	curl := mustLookPath(b, "curl")
	srv := testfix.StartEmulator(b, nil)
	ca := srv.CAFile
	body := filepath.Join(b.TempDir(), "login.xml")
	if err := os.WriteFile(body, []byte(soapEnvelope), 0o600); err != nil {
		b.Fatal(err)
	}
	endpoint := srv.URL() + "/services/Soap/u/64.0"

	checkCmd := func() *exec.Cmd {
		cmd := exec.Command(bin, "check", "--login-url", srv.URL(), "--username", testfix.JaneUsername,
			"--password-stdin", "--ca-file", ca, "--json")
		cmd.Stdin = strings.NewReader(testfix.JanePassword + "\n" + testfix.JaneToken + "\n")
		var out bytes.Buffer
		cmd.Stdout = &out
		return cmd
	}
	curlCmd := func() *exec.Cmd {
		return exec.Command(curl, "-sS", "-o", "/dev/null", "--fail-with-body", "--cacert", ca,
			"-H", "Content-Type: text/xml; charset=UTF-8", "-H", "SOAPAction: login",
			"--data-binary", "@"+body, endpoint)
	}

	// One checked run of each first: the benchmark compares working logins.
	cmd := checkCmd()
	run(b, cmd)
	var res struct {
		OK bool `json:"ok"`
	}
	if err := json.Unmarshal(cmd.Stdout.(*bytes.Buffer).Bytes(), &res); err != nil || !res.OK {
		b.Fatalf("check did not log in: %v %s", err, cmd.Stdout.(*bytes.Buffer).Bytes())
	}
	run(b, curlCmd())

	var checkTotal, curlTotal time.Duration
	var peak int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, rss := run(b, checkCmd())
		checkTotal += d
		if rss > peak {
			peak = rss
		}
		d, _ = run(b, curlCmd())
		curlTotal += d
	}
	b.StopTimer()
	n := float64(b.N)
	checkMS := float64(checkTotal.Microseconds()) / 1000 / n
	curlMS := float64(curlTotal.Microseconds()) / 1000 / n
	b.ReportMetric(checkMS, "check-ms/op")
	b.ReportMetric(curlMS, "curl-ms/op")
	b.ReportMetric(checkMS/curlMS, "check/curl")
	b.ReportMetric(float64(peak)/(1<<20), "check-peak-RSS-MiB")
	b.Logf("check %.2f ms, curl %.2f ms, ratio %.2f× (target ≤ 1.1×), check peak RSS %.1f MiB (target ≤ 30)",
		checkMS, curlMS, checkMS/curlMS, float64(peak)/(1<<20))
}
