package chain

import (
	"context"

	"github.com/go-async-katas/katas/advanced/chain/links"
)

// Task is a step running on its own goroutine, with callbacks to run when it completes:
// Go's version of an asyncio task and its add_done_callback. Its methods are safe for
// concurrent use.
type Task struct {
	// TODO: add what Start, OnDone and Wait need: the step's result and error, the
	// callbacks waiting for it, a lock, and a way to wait for the end.
}

// Start runs step(ctx, in) on a new goroutine and returns at once, without waiting for it.
// That goroutine ends after the step has returned and the callbacks added before then (see
// OnDone) have run.
func Start(ctx context.Context, step links.Step, in int) *Task {
	// TODO: make the Task, run the step and then its callbacks on a new goroutine, and
	// return the Task straight away.
	return &Task{}
}

// OnDone arranges for cb to be called exactly once with the step's result and error, after
// the step has returned. Callbacks added before then run on the task's goroutine, one after
// another, in the order they were added; a callback added after the step has returned runs
// at once, on the goroutine that calls OnDone, before OnDone returns.
func (t *Task) OnDone(cb func(result int, err error)) {
	// TODO: under a lock, either keep cb for the task's goroutine to run, or (when the step
	// has already returned) call it here, outside the lock.
}

// Wait blocks until the step has returned and every callback added before then has
// returned, and returns the step's result and error. A callback must not call Wait on its
// own task: it would wait for itself.
func (t *Task) Wait() (int, error) {
	// TODO: wait for the task's goroutine to finish, then return the step's result.
	return 0, nil
}
