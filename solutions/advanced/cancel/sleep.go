package cancellation

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sleep waits for d, or until ctx ends, whichever comes first (Python's await
// asyncio.sleep, which a task.cancel() interrupts). After the full d it returns nil. If ctx
// ends first it returns at once an error that matches ctx.Err() with errors.Is
// (context.Canceled or context.DeadlineExceeded) and, if the context ended with a cause
// (context.WithCancelCause, context.WithTimeoutCause), the cause too, and no other error.
// If ctx has already ended, Sleep returns that error without waiting.
//
// Sleep starts no goroutine. It is safe for concurrent use.
func Sleep(ctx context.Context, d time.Duration) error {
	if ctx.Err() != nil {
		return stopErr(ctx)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return stopErr(ctx)
	}
}

// stopErr returns the error of the ended context ctx, carrying its cause as well when the
// cause is not the error itself.
func stopErr(ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || errors.Is(cause, err) {
		return err
	}
	return fmt.Errorf("%w: %w", err, cause)
}
