package cancellation

import (
	"context"
	"errors"
)

// Task is work running on its own goroutine that can be cancelled and waited for: Go's
// version of an asyncio.Task you call cancel() on and then await. Make one with Start.
//
// Cancel and Wait are safe for concurrent use, and may be called any number of times.
type Task struct {
	// TODO: the cancel func of the task's context, a channel closed when the task is over,
	// and work's error.
}

// Start runs work(ctx) on a new goroutine and returns at once. The ctx work gets is derived
// from the ctx given to Start: it ends when that one does or when Cancel is called.
//
// cleanup runs exactly once, on the task's goroutine, after work has returned, however work
// ended: with nil, with an error, because it was cancelled — or by panicking (cleanup runs,
// then the panic goes on). Once the task is over its context is released (cancelled), even
// if nobody called Cancel, before Wait returns. The goroutine exits after that.
func Start(ctx context.Context, work func(ctx context.Context) error, cleanup func()) *Task {
	// TODO: derive a context with context.WithCancelCause, start a goroutine that defers
	// cleanup and runs work, and return without waiting.
	return &Task{}
}

// Cancel asks the task to stop, by cancelling its context with cause (nil means
// context.Canceled), and returns without waiting. Work that watches its context stops;
// work that does not runs on — Go cannot stop a goroutine from outside. Cancelling a task
// that has already ended changes nothing.
func (t *Task) Cancel(cause error) {
	// TODO: call the cancel func that Start kept.
}

// Wait blocks until work has returned and cleanup has finished, then returns work's error.
// If work stopped because its context ended (it returned ctx.Err(), as it is or wrapped),
// the error matches context.Canceled (or context.DeadlineExceeded) with errors.Is, and the
// context's cause too (context.Cause: the cause given to Cancel, or the one the ctx given to
// Start ended with, by context.WithCancelCause or context.WithTimeoutCause). Any other error
// is returned as work returned it.
func (t *Task) Wait() error {
	// TODO: wait for the task's goroutine to be over, then return work's error.
	return errors.New("not implemented yet")
}
