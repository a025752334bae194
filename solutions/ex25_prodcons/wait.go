package prodcons

import (
	"context"
	"io"
	"time"

	"github.com/go-async-katas/katas/ex25_prodcons/kit"
)

// taskResult is what the task's goroutine sends back: kit.Task's two return values.
type taskResult struct {
	value string
	err   error
}

// StartAndWait is the seed's main with its await in place. It starts the task
// kit.Task(ctx, w, "task", task) on a new goroutine, does its own work
// kit.Task(ctx, w, "main", own) meanwhile, then waits for the task and returns the task's
// result. Both run at the same time, so it takes as long as the longer of the two.
//
// If ctx ends first, the task and main's own work both stop at once and StartAndWait returns
// an error wrapping ctx's error. Either way, the goroutine it started has finished when it
// returns.
func StartAndWait(ctx context.Context, w io.Writer, task, own time.Duration) (string, error) {
	// Size one: the task can always deliver its result and exit, even on a path that
	// returns without receiving it. Here every path receives it.
	result := make(chan taskResult, 1)
	go func() {
		value, err := kit.Task(ctx, w, "task", task) // the same ctx: cancelling it stops the task too
		result <- taskResult{value, err}
	}()
	_, ownErr := kit.Task(ctx, w, "main", own)
	res := <-result // the seed's await: the task's work is not lost, its goroutine has exited
	if ownErr != nil {
		return "", ownErr
	}
	return res.value, res.err
}
