package queue

// Produce closes out when ctx ends while it is blocked on a send, and its deferred close
// closes it again.

import (
	"context"
	"time"
)

func Produce(ctx context.Context, out chan<- int, n int, every time.Duration) error {
	defer close(out)
	for i := range n {
		if err := sleep(ctx, every); err != nil {
			return err
		}
		select {
		case out <- i:
		case <-ctx.Done():
			close(out)                // fault
			return context.Cause(ctx) // fault: the deferred close runs here, a second time
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
