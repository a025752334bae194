package chain

import (
	"context"
	"sync"

	"github.com/go-async-katas/katas/advanced/chain/links"
)

// Task is a step running on its own goroutine, with callbacks to run when it completes:
// Go's version of an asyncio task and its add_done_callback. Its methods are safe for
// concurrent use.
type Task struct {
	mu        sync.Mutex
	done      bool // the step has returned: result and err are set, callbacks run at once
	result    int
	err       error
	callbacks []func(result int, err error) // added before the step returned, not yet run

	finished chan struct{} // closed when the step and the callbacks added before its end are done
}

// Start runs step(ctx, in) on a new goroutine and returns at once, without waiting for it.
// That goroutine ends after the step has returned and the callbacks added before then (see
// OnDone) have run.
func Start(ctx context.Context, step links.Step, in int) *Task {
	t := &Task{finished: make(chan struct{})}
	go t.run(ctx, step, in)
	return t
}

// run runs the step, then the callbacks waiting for it, in the order they were added.
func (t *Task) run(ctx context.Context, step links.Step, in int) {
	defer close(t.finished)
	result, err := step(ctx, in)

	t.mu.Lock()
	t.result, t.err, t.done = result, err, true
	callbacks := t.callbacks
	t.callbacks = nil // from now on OnDone runs callbacks itself: none can run twice
	t.mu.Unlock()

	// Outside the lock: a callback may call OnDone or start another task.
	for _, cb := range callbacks {
		cb(result, err)
	}
}

// OnDone arranges for cb to be called exactly once with the step's result and error, after
// the step has returned. Callbacks added before then run on the task's goroutine, one after
// another, in the order they were added; a callback added after the step has returned runs
// at once, on the goroutine that calls OnDone, before OnDone returns.
func (t *Task) OnDone(cb func(result int, err error)) {
	t.mu.Lock()
	if !t.done {
		t.callbacks = append(t.callbacks, cb)
		t.mu.Unlock()
		return
	}
	result, err := t.result, t.err
	t.mu.Unlock()
	cb(result, err)
}

// Wait blocks until the step has returned and every callback added before then has
// returned, and returns the step's result and error. A callback must not call Wait on its
// own task: it would wait for itself.
func (t *Task) Wait() (int, error) {
	<-t.finished
	return t.result, t.err // written before finished was closed: no lock needed
}
