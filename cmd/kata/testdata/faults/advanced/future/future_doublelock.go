package future

// Await takes the lock and then calls Result, which takes it again: a mutex locked twice
// on one goroutine waits for ever.

import (
	"context"
	"sync"

	"github.com/go-async-katas/katas/advanced/future/state"
)

type Future[T any] struct {
	done chan struct{}

	mu    sync.Mutex
	value T
	err   error
}

func New[T any]() *Future[T] {
	return &Future[T]{done: make(chan struct{})}
}

func (f *Future[T]) SetResult(v T) error {
	return f.complete(v, nil)
}

func (f *Future[T]) SetError(err error) error {
	var zero T
	return f.complete(zero, err)
}

func (f *Future[T]) Cancel() bool {
	var zero T
	return f.complete(zero, state.ErrCancelled) == nil
}

func (f *Future[T]) complete(v T, err error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.done:
		return state.ErrAlreadyDone
	default:
	}
	f.value, f.err = v, err
	close(f.done)
	return nil
}

func (f *Future[T]) Done() <-chan struct{} {
	return f.done
}

func (f *Future[T]) Result() (T, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.done:
		return f.value, f.err
	default:
		var zero T
		return zero, state.ErrNotDone
	}
}

func (f *Future[T]) Await(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.Result() // fault
	default:
	}
	select {
	case <-f.done:
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.Result() // fault
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
