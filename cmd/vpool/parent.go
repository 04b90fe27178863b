package main

import (
	"context"
	"log/slog"
	"os"
	"time"
)

// parentPoll is how often --exit-with-parent checks the parent process.
const parentPoll = 200 * time.Millisecond

// untilParentExits returns a context cancelled, like a SIGTERM, when the
// process that started this one exits: the kernel then gives the orphan
// another parent, so its parent pid changes. Polling the parent pid works
// however the parent dies (SIGKILL included) and on every Unix; on Windows
// the parent pid never changes, so nothing happens.
func untilParentExits(ctx context.Context, logger *slog.Logger) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	parent := os.Getppid()
	go func() {
		t := time.NewTicker(parentPoll)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if os.Getppid() != parent {
					logger.Info("the parent process exited (--exit-with-parent): shutting down", "parent_pid", parent)
					cancel()
					return
				}
			}
		}
	}()
	return ctx, cancel
}
