package gather

import "context"

// Gather runs every task at once, each on its own goroutine with a context derived from ctx,
// and returns their results in the order of tasks, whatever order they finish in. When all
// succeed it takes as long as the slowest task; with no tasks it returns no results at
// once.
//
// When a task fails, Gather cancels the context of the others, with that first error as the
// cause (context.Cause), waits for every one of them to return, and then returns nil and the
// first error itself (so errors.Is finds it). "First" means first in time, not first in the
// list; the errors of tasks that fail afterwards, cancelled ones included, are dropped.
//
// Every goroutine Gather starts has finished when it returns, and the tasks' context has
// ended, success or not, so nothing a task left watching it lives on. Tasks run concurrently
// with each other, so they must be safe to run at the same time.
func Gather[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	// TODO: start one goroutine per task, put each result at its task's index, and on the
	// first error cancel the others (context.WithCancelCause) and wait for all of them.
	return nil, nil
}
