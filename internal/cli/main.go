package cli

import (
	"context"
	"os"

	"github.com/advologix/advologix-connect/internal/coredump"
)

// Main is the whole main of both commands (the command line and the
// desktop app), so they start and end alike: core dumps off first (either
// may hold a password in memory), then run with a context that the first
// SIGINT or SIGTERM cancels (see NotifyContext), then exit with run's
// status.
func Main(run func(ctx context.Context) int) {
	coredump.Disable()
	ctx, stop := NotifyContext(context.Background())
	code := run(ctx)
	stop()
	os.Exit(code)
}
