package wait

import (
	"context"

	"github.com/go-async-katas/katas/advanced/wait/task"
)

// Refill starts a task for every func in first, all at once, and then, each time a task
// finishes, starts a task for the next func in more: one new task per finished task, so
// no more than len(first) tasks ever run at once and no func in more waits longer than it
// must. It returns every task it started, in the order they finished (tasks that finish at
// the same instant in any order), once all of them have finished.
//
// Every task gets ctx. If ctx ends, Refill starts nothing more, waits for the tasks still
// running (they see ctx end and stop) and returns every task it started with ctx's cause.
func Refill[T any](ctx context.Context, first, more []task.Func[T]) ([]*task.Task[T], error) {
	var finished, pending []*task.Task[T]
	for _, f := range first {
		pending = append(pending, task.Start(ctx, f))
	}
	for len(pending) > 0 {
		done, stillRunning := Wait(ctx, pending, task.FirstCompleted)
		if ctx.Err() != nil {
			// The tasks got ctx, so they are stopping: wait for them without it.
			done, _ = Wait(context.WithoutCancel(ctx), pending, task.AllCompleted)
			return append(finished, done...), context.Cause(ctx)
		}
		finished = append(finished, done...)
		pending = stillRunning
		for range done { // one new task for each that finished, not one per Wait
			if len(more) == 0 {
				break
			}
			pending = append(pending, task.Start(ctx, more[0]))
			more = more[1:]
		}
	}
	return finished, nil
}
