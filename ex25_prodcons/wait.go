package prodcons

import (
	"context"
	"io"
	"time"

	"github.com/go-async-katas/katas/ex25_prodcons/kit"
)

// StartAndWait is the seed's main with its await in place. It starts the task
// kit.Task(ctx, w, "task", task) on a new goroutine, does its own work
// kit.Task(ctx, w, "main", own) meanwhile, then waits for the task and returns the task's
// result. Both run at the same time, so it takes as long as the longer of the two.
//
// If ctx ends first, the task and main's own work both stop at once and StartAndWait returns
// an error wrapping ctx's error. Either way, the goroutine it started has finished when it
// returns.
func StartAndWait(ctx context.Context, w io.Writer, task, own time.Duration) (string, error) {
	// TODO: this is the seed's program with the await removed. The task is started, but
	// nobody waits for it: its result is never received (so its goroutine is stuck on the
	// send for ever) and its work is lost. Wait for the task's result before returning.
	result := make(chan string)
	go func() {
		value, _ := kit.Task(ctx, w, "task", task)
		result <- value
	}()
	_, err := kit.Task(ctx, w, "main", own)
	return "", err
}
