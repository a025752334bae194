package wait

import (
	"context"

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
	// TODO: watch every task's Done channel (one goroutine per task sending on a shared
	// channel, or a select), stop as soon as until is met or ctx ends, stop your watchers,
	// then split tasks by whether they are done.
	return nil, nil
}
