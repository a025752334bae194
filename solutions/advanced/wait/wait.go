package wait

import (
	"context"
	"sync"

	"github.com/go-async-katas/katas/advanced/wait/task"
)

// Wait waits for tasks until the condition until is met — every task finished
// (task.AllCompleted), at least one finished (task.FirstCompleted), or one finished with an
// error or all finished (task.FirstError) — or until ctx ends, whichever comes first (a ctx
// with a timeout is Python's timeout argument). It then splits tasks into done (finished by
// the time Wait returns, possibly more than one, possibly none if ctx ended first) and
// pending (the rest), each in the order of tasks; every task is in exactly one of them. With
// no tasks it returns at once.
//
// Wait neither cancels nor waits for the pending tasks. Any goroutine it starts has exited
// when it returns. It is safe to call from several goroutines, even on the same tasks.
func Wait[T any](ctx context.Context, tasks []*task.Task[T], until task.Until) (done, pending []*task.Task[T]) {
	finished := make(chan *task.Task[T]) // each watcher sends its task once it is done
	stop := make(chan struct{})          // closed when Wait returns: watchers give up
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Go(func() {
			select {
			case <-t.Done():
				select {
				case finished <- t:
				case <-stop:
				}
			case <-stop:
			}
		})
	}
	defer wg.Wait()
	defer close(stop) // runs before wg.Wait: deferred calls run last-in, first-out

waiting:
	for range len(tasks) {
		select {
		case t := <-finished:
			_, err := t.Result()
			if until == task.FirstCompleted || until == task.FirstError && err != nil {
				break waiting
			}
		case <-ctx.Done():
			break waiting
		}
	}

	for _, t := range tasks {
		select {
		case <-t.Done():
			done = append(done, t)
		default:
			pending = append(pending, t)
		}
	}
	return done, pending
}
