package ascompleted

import (
	"context"
	"iter"
	"sync"
)

// AsCompleted returns an iterator over the outcomes of tasks in the order they finish: for
// each task, its result and its error. A failed task does not end the iteration; the caller
// decides whether to go on.
//
// Nothing runs until the iterator is used: each range loop over it starts every task at once,
// each on its own goroutine with a context derived from ctx, and hands over each outcome as
// soon as its task returns, so a fast task is never held back by a slow one before it. When
// the caller's ctx ends, the tasks see it and their errors are handed over like any other.
//
// When the loop ends early (break, return, or a panic in its body), the iterator cancels the
// context of the tasks still running and waits for them to return, so when the loop is left
// nothing it started is still running, and it never calls yield again. Tasks finishing at the
// same instant may come in any order. The iterator is used from one goroutine at a time;
// tasks run concurrently with each other, so they must be safe to run at the same time.
func AsCompleted[T any](ctx context.Context, tasks ...func(context.Context) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		defer func() { // however the loop ends: break, return, panic, or every task done
			cancel()
			wg.Wait()
		}()

		type outcome struct {
			v   T
			err error
		}
		// Room for every outcome: a task never waits for the loop to be ready, so when the
		// loop stops early no goroutine is left blocked on a send nobody will receive.
		outcomes := make(chan outcome, len(tasks))
		for _, task := range tasks {
			wg.Go(func() {
				v, err := task(ctx)
				outcomes <- outcome{v, err}
			})
		}
		for range tasks {
			o := <-outcomes
			if !yield(o.v, o.err) {
				return
			}
		}
	}
}
