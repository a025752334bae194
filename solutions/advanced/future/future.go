package future

import (
	"context"
	"sync"

	"github.com/go-async-katas/katas/advanced/future/state"
)

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
	done chan struct{} // closed once, when the outcome is set

	mu    sync.Mutex // held while completing: makes "check, set, close" one step
	value T          // written before done is closed, read only after
	err   error      // likewise
}

// New returns a pending Future: not done, no outcome yet.
func New[T any]() *Future[T] {
	return &Future[T]{done: make(chan struct{})}
}

// SetResult completes f with the value v (Python's set_result). If f is already done it
// returns state.ErrAlreadyDone and the first outcome stays.
func (f *Future[T]) SetResult(v T) error {
	return f.complete(v, nil)
}

// SetError completes f with the failure err, which must not be nil (Python's
// set_exception). If f is already done it returns state.ErrAlreadyDone and the first
// outcome stays.
func (f *Future[T]) SetError(err error) error {
	var zero T
	return f.complete(zero, err)
}

// Cancel completes f with state.ErrCancelled and reports true, if f was still pending. If f
// is already done it changes nothing and reports false (Python's cancel). Cancel only marks
// the Future: it cannot stop the work that was going to set it (see advanced/cancel).
func (f *Future[T]) Cancel() bool {
	var zero T
	return f.complete(zero, state.ErrCancelled) == nil
}

// complete sets the outcome and closes done, unless f is already done. Holding mu makes the
// check and the set one step: two goroutines cannot both see "pending" and both complete f
// (which would also close done twice, and panic).
func (f *Future[T]) complete(v T, err error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.done:
		return state.ErrAlreadyDone
	default:
	}
	f.value, f.err = v, err
	close(f.done) // publishes value and err to everyone who receives from done
	return nil
}

// Done returns a channel that is closed when f is completed (Python's done(), as a channel
// you can select on). It is the same channel on every call.
func (f *Future[T]) Done() <-chan struct{} {
	return f.done
}

// Result returns f's outcome without waiting (Python's result()): the value set by
// SetResult; the error set by SetError; or state.ErrCancelled. If f is not done yet it
// returns state.ErrNotDone at once.
func (f *Future[T]) Result() (T, error) {
	select {
	case <-f.done:
		return f.value, f.err // safe: written before done was closed
	default:
		var zero T
		return zero, state.ErrNotDone
	}
}

// Await waits until f is done and returns its outcome, as Result would (Python's await).
// If ctx ends first it returns ctx.Err() and leaves f pending: giving up waiting does not
// cancel the Future. If f is already done, Await returns its outcome even when ctx has
// ended.
func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.done: // done already: its outcome wins over an ended ctx
		return f.Result()
	default:
	}
	select {
	case <-f.done:
		return f.Result()
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
