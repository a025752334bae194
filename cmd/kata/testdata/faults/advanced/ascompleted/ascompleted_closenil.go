package ascompleted

import (
	"context"
	"iter"
	"sync"
)

// AsCompleted means to close a channel when every task has finished, but never makes it:
// the goroutine that waits for the tasks closes a nil channel.
func AsCompleted[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		defer func() {
			cancel()
			wg.Wait()
		}()
		type outcome struct {
			v   T
			err error
		}
		outcomes := make(chan outcome, len(tasks))
		var finished chan struct{}
		for _, task := range tasks {
			wg.Go(func() {
				v, err := task(ctx)
				outcomes <- outcome{v, err}
			})
		}
		wg.Go(func() {
			<-ctx.Done()
			close(finished) // fault
		})
		for range tasks {
			o := <-outcomes
			if !yield(o.v, o.err) {
				return
			}
		}
	}
}
