package future

import (
	"context"
	"errors"
)

// errNotImplemented is what the unfinished methods return. Delete it when you are done.
var errNotImplemented = errors.New("not implemented yet")

// Future holds the outcome of work that finishes later: a value, an error, or cancellation.
// It is Go's version of Python's asyncio.Future. Make one with New; a Future must not be
// copied after first use.
//
// A Future is completed once, by SetResult, SetError or Cancel: the first of them wins, and
// any later one returns state.ErrAlreadyDone (or false, for Cancel) and changes nothing.
// Completing it closes the Done channel, which wakes every waiter at once.
//
// All methods are safe for concurrent use: many goroutines may wait on one Future while
// others race to complete it. A Future starts no goroutines.
type Future[T any] struct {
	// TODO: a channel to close when the outcome is set, a mutex, the value and the error.
}

// New returns a pending Future: not done, no outcome yet.
func New[T any]() *Future[T] {
	// TODO: make the channel that Done returns.
	return &Future[T]{}
}

// SetResult completes f with the value v (Python's set_result). If f is already done it
// returns state.ErrAlreadyDone and the first outcome stays.
func (f *Future[T]) SetResult(v T) error {
	// TODO: under the mutex: if done, return state.ErrAlreadyDone; else store v and close
	// the done channel.
	return errNotImplemented
}

// SetError completes f with the failure err, which must not be nil (Python's
// set_exception). If f is already done it returns state.ErrAlreadyDone and the first
// outcome stays.
func (f *Future[T]) SetError(err error) error {
	// TODO: like SetResult, storing err.
	return errNotImplemented
}

// Cancel completes f with state.ErrCancelled and reports true, if f was still pending. If f
// is already done it changes nothing and reports false (Python's cancel). Cancel only marks
// the Future: it cannot stop the work that was going to set it (see advanced/cancel).
func (f *Future[T]) Cancel() bool {
	// TODO: like SetError(state.ErrCancelled), reporting whether it took effect.
	return false
}

// Done returns a channel that is closed when f is completed (Python's done(), as a channel
// you can select on). It is the same channel on every call.
func (f *Future[T]) Done() <-chan struct{} {
	// TODO: return the channel New made.
	return nil
}

// Result returns f's outcome without waiting (Python's result()): the value set by
// SetResult; the error set by SetError; or state.ErrCancelled. If f is not done yet it
// returns state.ErrNotDone at once.
func (f *Future[T]) Result() (T, error) {
	// TODO: a select with a default case tells "done" from "not yet" without blocking.
	var zero T
	return zero, errNotImplemented
}

// Await waits until f is done and returns its outcome, as Result would (Python's await).
// If ctx ends first it returns ctx.Err() and leaves f pending: giving up waiting does not
// cancel the Future. If f is already done, Await returns its outcome even when ctx has
// ended.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	// TODO: wait for the done channel or ctx.Done(), whichever comes first.
	var zero T
	return zero, errNotImplemented
}
