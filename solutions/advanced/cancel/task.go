package cancellation

import (
	"context"
	"errors"
	"fmt"
)

// Task is work running on its own goroutine that can be cancelled and waited for: Go's
// version of an asyncio.Task you call cancel() on and then await. Make one with Start.
//
// Cancel and Wait are safe for concurrent use, and may be called any number of times.
type Task struct {
	cancel context.CancelCauseFunc
	done   chan struct{} // closed when work and cleanup have both returned
	err    error         // written before done is closed, read only after
}

// Start runs work(ctx) on a new goroutine and returns at once. The ctx work gets is derived
// from the ctx given to Start: it ends when that one does or when Cancel is called.
//
// cleanup runs exactly once, on the task's goroutine, after work has returned, however work
// ended: with nil, with an error, because it was cancelled — or by panicking (cleanup runs,
// then the panic goes on). Once the task is over its context is released (cancelled), even
// if nobody called Cancel, before Wait returns. The goroutine exits after that.
func Start(ctx context.Context, work func(ctx context.Context) error, cleanup func()) *Task {
	ctx, cancel := context.WithCancelCause(ctx)
	t := &Task{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(t.done)
		defer cancel(nil) // the task is over: release its context
		defer cleanup()   // deferred, so it runs however work ends
		t.err = withCause(ctx, work(ctx))
	}()
	return t
}

// withCause returns err, the error work returned, adding ctx's cause when work stopped
// because ctx ended and its error does not carry the cause yet.
func withCause(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || !errors.Is(err, ctx.Err()) {
		return err // not a cancellation
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
		return fmt.Errorf("%w: %w", err, cause)
	}
	return err
}

// Cancel asks the task to stop, by cancelling its context with cause (nil means
// context.Canceled), and returns without waiting. Work that watches its context stops;
// work that does not runs on — Go cannot stop a goroutine from outside. Cancelling a task
// that has already ended changes nothing.
func (t *Task) Cancel(cause error) {
	t.cancel(cause)
}

// Wait blocks until work has returned and cleanup has finished, then returns work's error.
// If work stopped because its context ended (it returned ctx.Err(), as it is or wrapped),
// the error matches context.Canceled (or context.DeadlineExceeded) with errors.Is, and the
// context's cause too (context.Cause: the cause given to Cancel, or the one the ctx given to
// Start ended with, by context.WithCancelCause or context.WithTimeoutCause). Any other error
// is returned as work returned it.
func (t *Task) Wait() error {
	<-t.done
	return t.err
}
