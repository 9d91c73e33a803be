package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/internal/testing/testfix"
)

// started is an sfemulator run in the background.
type started struct {
	base   string
	client *http.Client
	out    *testfix.Buffer
	stop   func()
}

// startRun runs sfemulator with args (plus --ca-out and --ready-file)
// until stop, and waits for its ready file.
func startRun(t *testing.T, args ...string) started {
	t.Helper()
	dir := t.TempDir()
	caPath, readyPath := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "ready")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut testfix.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--ca-out", caPath, "--ready-file", readyPath}, args...), &out, &errOut)
	}()
	var base string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(readyPath); err == nil {
			base = strings.TrimSpace(string(b))
			break
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("no ready file; stderr: %s", errOut.String())
	}
	pem, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("run did not return after cancel")
		}
	}
	return started{base: base, client: client, out: &out, stop: stop}
}

func TestRun(t *testing.T) {
	r := startRun(t, "--client-id", "DemoClient", "--sandbox")
	base, client, out := r.base, r.client, r.out
	grant := func(password string) int {
		resp, err := client.PostForm(base+"/services/oauth2/token", url.Values{
			"grant_type": {"password"}, "client_id": {"DemoClient"},
			"username": {demoUser}, "password": {password},
		})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := grant(demoPassword + demoToken); got != 200 {
		t.Errorf("right token: %d", got)
	}
	if got := grant(demoPassword + "WrongToken0123456789abcd"); got != 400 {
		t.Errorf("wrong token: %d", got)
	}
	for _, want := range []string{base, demoUser, demoPassword, demoToken, ipRangesUser, expiredUser, "sandbox"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	r.stop()
}

func TestRunBadFlags(t *testing.T) {
	var out, errOut testfix.Buffer
	if err := run(context.Background(), []string{"--nope"}, &out, &errOut); err == nil {
		t.Error("unknown flag accepted")
	}
	if err := run(context.Background(), []string{"extra"}, &out, &errOut); err == nil {
		t.Error("positional argument accepted")
	}
}
