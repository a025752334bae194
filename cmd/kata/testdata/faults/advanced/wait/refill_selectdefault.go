package wait

import (
	"context"

	"github.com/go-async-katas/katas/advanced/wait/task"
)

// Refill polls its tasks inside a select that has only a default, as if select waited:
// it never blocks, so while the tasks sleep the loop spins.
func Refill[T any](ctx context.Context, first, more []task.Func[T]) ([]*task.Task[T], error) {
	var finished, pending []*task.Task[T]
	for _, f := range first {
		pending = append(pending, task.Start(ctx, f))
	}
	for len(pending) > 0 { // fault: from here
		select {
		default: // fault
			var still []*task.Task[T]
			for _, t := range pending {
				if !isDone(t) {
					still = append(still, t)
					continue
				}
				finished = append(finished, t)
				if len(more) > 0 {
					still = append(still, task.Start(ctx, more[0]))
					more = more[1:]
				}
			}
			pending = still
		}
	}
	return finished, context.Cause(ctx)
}

// isDone reports whether t has finished, without waiting.
func isDone[T any](t *task.Task[T]) bool {
	select {
	case <-t.Done():
		return true
	default:
		return false
	}
} // fault: to here (the loop, and isDone it calls)
