package wait

import (
	"context"
	"time"

	"github.com/go-async-katas/katas/advanced/wait/task"
)

// Loop is the seed's evented main loop. It starts a task for every func in first, then runs
// in ticks. A tick waits until every pending task has finished or tick has passed, whichever
// comes first (Wait with task.AllCompleted and a timeout); then Loop calls report with the
// tasks that finished during that tick — none at all if the tick ran out first — and the
// number still pending, and then starts a task for one func injected on more, if a sender
// is waiting (it takes at most one per tick and never waits for one). When nothing is
// pending, Loop does not tick: it waits for the next func on more and starts it at once.
//
// Loop returns every task it started, in the order it reported them, with a nil error once
// more is closed and nothing is pending. Every task gets ctx; if ctx ends first, Loop starts
// and reports nothing more, waits for the tasks still running (they see ctx end and stop),
// and returns every task it started with ctx's cause. report is called from the calling
// goroutine.
func Loop[T any](ctx context.Context, tick time.Duration, first []task.Func[T], more <-chan task.Func[T],
	report func(done []*task.Task[T], pending int)) ([]*task.Task[T], error) {
	// TODO: start first; then loop until more is closed and nothing is pending: a tick is a
	// Wait with a context that times out after tick; report what it hands back, then take one
	// func from more without blocking (select with default). With nothing pending, block on
	// more (or ctx) instead.
	return nil, nil
}
