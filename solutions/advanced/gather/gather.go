package gather

import (
	"context"
	"sync"
)

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
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	results := make([]T, len(tasks)) // goroutine i writes only results[i]: no race
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error // written once, under once; read after wg.Wait
	)
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			if err != nil {
				once.Do(func() {
					first = err
					cancel(err) // the others see ctx.Done, and context.Cause(ctx) == err
				})
				return
			}
			results[i] = v
		})
	}
	wg.Wait() // cancelled or not, every task has returned
	if first != nil {
		return nil, first
	}
	return results, nil
}
