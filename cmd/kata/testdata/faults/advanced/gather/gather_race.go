package gather

import (
	"context"
	"sync"
)

// Gather keeps the first error in a variable every failing goroutine reads and writes with
// nothing ordering them: a data race.
func Gather[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) ([]T, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	results := make([]T, len(tasks))
	var (
		wg    sync.WaitGroup
		first error
	)
	for i, task := range tasks {
		wg.Go(func() {
			v, err := task(ctx)
			if err != nil {
				if first == nil { // fault
					first = err // fault
					cancel(err)
				}
				return
			}
			results[i] = v
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return results, nil
}
