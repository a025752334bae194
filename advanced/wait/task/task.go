// Package task is the given code of advanced/wait: a handle on work running on its own
// goroutine (the part of Python's asyncio.Task that wait() needs), the conditions Wait can
// wait for, and the seed's slow functions. The katas in advanced/wait build on it; you do not
// need to change it.
package task

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
)

// ErrNotDone is what Result returns for a task that has not finished yet (Python raises
// InvalidStateError when you ask an unfinished task for its result).
var ErrNotDone = errors.New("task not done")

// Func is a piece of work a Task runs. It should return soon after ctx ends.
type Func[T any] func(ctx context.Context) (T, error)

// Task is a handle on one piece of work: it is done once the work has finished, and then
// holds the work's value and error. It is safe for concurrent use.
type Task[T any] struct {
	done chan struct{}
	once sync.Once
	val  T
	err  error
}

// New returns a task that is not done until finish is called; finish records v and err and
// marks the task done. Only the first call of finish counts: later calls do nothing. Use it
// for work you complete by hand (it is what Python calls a Future). finish is safe to call
// from any goroutine.
func New[T any]() (t *Task[T], finish func(v T, err error)) {
	t = &Task[T]{done: make(chan struct{})}
	return t, func(v T, err error) {
		t.once.Do(func() {
			t.val, t.err = v, err
			close(t.done)
		})
	}
}

// Start runs f(ctx) on a new goroutine and returns its task, which is done when f returns.
// That goroutine exits when f returns, so f must honour ctx for the task to stop early.
func Start[T any](ctx context.Context, f Func[T]) *Task[T] {
	t, finish := New[T]()
	go func() { finish(f(ctx)) }()
	return t
}

// Done returns a channel that is closed when the task has finished.
func (t *Task[T]) Done() <-chan struct{} { return t.done }

// Result returns the task's value and error once it has finished, and ErrNotDone before
// that. It never blocks: receive from Done first to wait.
func (t *Task[T]) Result() (T, error) {
	select {
	case <-t.done:
		return t.val, t.err
	default:
		var zero T
		return zero, ErrNotDone
	}
}

// Sleep returns work that waits d and then returns v: the seed's a() (3s, "a") and b("b1")
// (1s, "b1"). If ctx ends first it returns at once with the zero value and ctx's cause.
func Sleep[T any](d time.Duration, v T) Func[T] {
	return func(ctx context.Context) (T, error) {
		if clock.Sleep(ctx, d) != nil {
			var zero T
			return zero, context.Cause(ctx) // why it stopped, not only that it did
		}
		return v, nil
	}
}

// Until says when Wait returns, like the return_when argument of Python's asyncio.wait.
type Until int

const (
	// AllCompleted: return when every task has finished (Python's ALL_COMPLETED).
	AllCompleted Until = iota
	// FirstCompleted: return when at least one task has finished (FIRST_COMPLETED).
	FirstCompleted
	// FirstError: return when a task has finished with an error, or when every task has
	// finished (FIRST_EXCEPTION).
	FirstError
)

// String returns the constant's name, as a test message shows it.
func (u Until) String() string {
	switch u {
	case AllCompleted:
		return "AllCompleted"
	case FirstCompleted:
		return "FirstCompleted"
	case FirstError:
		return "FirstError"
	}
	return "Until(?)"
}
