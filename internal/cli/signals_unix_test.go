//go:build unix

package cli

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// Issue 9 item 11: the first signal cancels, the second always exits.
func TestSecondSignalExits(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		exited := make(chan int, 1)
		ctx, stop := notifyContext(context.Background(), func(code int) { exited <- code })
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("%v: the first signal did not cancel", sig)
		}
		select {
		case code := <-exited:
			t.Fatalf("%v: exited (%d) on the first signal", sig, code)
		case <-time.After(50 * time.Millisecond):
		}
		if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		want := 130
		if sig == syscall.SIGTERM {
			want = 143
		}
		select {
		case code := <-exited:
			if code != want {
				t.Errorf("%v: exit status %d, want %d", sig, code, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%v: a second signal did not end the process", sig)
		}
		stop()
	}
}
