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
	// TODO: start the first tasks, then loop: Wait for the first to complete, and for each
	// task that came back done start the next func of more, if any is left.
	return nil, nil
}
