package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/advologix/advologix-connect/credstore"
	"github.com/advologix/advologix-connect/internal/cli"
)

// hangingPolicy is a policy read that never ends by itself, as on a file
// system that hangs: it reports that it started and returns only when
// its context ends, with the error credstore gives then.
func hangingPolicy(started chan<- struct{}) func(context.Context) (credstore.Policy, error) {
	return func(ctx context.Context) (credstore.Policy, error) {
		if _, ok := ctx.Deadline(); !ok {
			return credstore.Policy{}, fmt.Errorf("read without a deadline")
		}
		close(started)
		<-ctx.Done()
		return credstore.Policy{}, &credstore.PolicyError{Source: "test", Err: fmt.Errorf("not read in time: %w", ctx.Err())}
	}
}

// Issue #23 item 3: the IT policy is read within the command's deadline.
// A read that hangs ends with the command's --timeout, or when the
// command is cancelled (SIGTERM), as POLICY_INVALID and before any
// request; it no longer hangs the command past its time or its signal.
func TestPolicyReadWithinTheCommandsDeadline(t *testing.T) {
	srv, ca := emulator(t, nil)
	pe := newProfileEnv(t)
	tests := []struct {
		name   string
		args   []string
		cancel bool // cancel the command once the read started; else its --timeout ends it
	}{
		{"check --timeout", []string{"check", "--json", "--timeout", "300ms", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca}, false},
		{"session --timeout", []string{"session", "--json", "--timeout", "300ms"}, false},
		{"check cancelled", []string{"check", "--json", "--login-url", srv.URL(), "--username", user, "--password-stdin", "--ca-file", ca}, true},
		{"status cancelled", []string{"status", "--json"}, true},
		{"diagnose cancelled", []string{"diagnose", "--json"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			started := make(chan struct{})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				go func() { <-started; cancel() }()
			}
			var out, errb bytes.Buffer
			code := cli.Run(ctx, cli.Env{
				Stdin: strings.NewReader(pass + "\n" + token + "\n"), Stdout: &out, Stderr: &errb,
				StdinIsTerminal: func() bool { return false }, Getenv: func(string) string { return "" },
				OpenStore: pe.storeHook(time.Second, time.Second), LoadPolicy: hangingPolicy(started),
			}, tt.args)
			select {
			case <-started:
			default:
				t.Fatalf("the policy was not read:\n%s%s", out.String(), errb.String())
			}
			if code == cli.ExitOK || !strings.Contains(out.String(), "POLICY_INVALID") || !strings.Contains(out.String(), "not read in time") {
				t.Errorf("exit %d, want POLICY_INVALID not read in time:\n%s%s", code, out.String(), errb.String())
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}
