package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// NotifyContext returns a context cancelled by the first SIGINT or SIGTERM,
// so a command stops cleanly (a check ends as CANCELED). A second signal
// always ends the process at once, with status 130 (SIGINT) or 143
// (SIGTERM): a step that cannot be cancelled (a blocked file or keychain
// call) must not keep it alive. stop restores the default handling.
func NotifyContext(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	return notifyContext(parent, os.Exit)
}

func notifyContext(parent context.Context, exit func(int)) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	go func() {
		seen := 0
		for {
			select {
			case sig := <-ch:
				seen++
				if seen == 1 {
					cancel()
					continue
				}
				status := 130
				if sig == syscall.SIGTERM {
					status = 143
				}
				exit(status)
				return
			case <-quit:
				return
			}
		}
	}()
	var once bool
	return ctx, func() {
		if !once {
			once = true
			signal.Stop(ch)
			close(quit)
		}
		cancel()
	}
}
