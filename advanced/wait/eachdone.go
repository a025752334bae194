package wait

import (
	"context"

	"github.com/go-async-katas/katas/advanced/wait/task"
)

// EachDone calls handle once for every task, as soon as possible after that task finishes,
// so a fast task is handled while slow ones are still running (the seed's first-completed
// loop). It calls handle from the calling goroutine, one task at a time, and returns nil once
// every task has been handled. If ctx ends first, it returns ctx's cause without handling
// the tasks still running (it does not cancel them either); a task that had finished but was
// not handled yet when ctx ended may be handled or not.
//
// Any goroutine it starts has exited when it returns.
func EachDone[T any](ctx context.Context, tasks []*task.Task[T], handle func(*task.Task[T])) error {
	// TODO: loop while tasks are pending: Wait for the first to complete, handle everything
	// that came back done, and go round again with what is still pending.
	return nil
}
