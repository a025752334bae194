package cancellation

import (
	"context"
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
	// TODO: select on a timer's channel and ctx.Done(). When ctx ends first, build the
	// error from ctx.Err() and context.Cause(ctx) (fmt.Errorf with two %w verbs).
	return nil
}
