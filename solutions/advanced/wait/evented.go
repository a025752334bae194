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
	var finished, pending []*task.Task[T]
	for _, f := range first {
		pending = append(pending, task.Start(ctx, f))
	}
	for len(pending) > 0 || more != nil { // more is set to nil once it is closed
		if len(pending) == 0 { // idle: no point ticking, wait for work
			select {
			case f, ok := <-more:
				if !ok {
					more = nil
					continue
				}
				pending = append(pending, task.Start(ctx, f))
			case <-ctx.Done():
				return finished, context.Cause(ctx)
			}
			continue
		}

		tickCtx, cancel := context.WithTimeout(ctx, tick)
		done, stillRunning := Wait(tickCtx, pending, task.AllCompleted)
		cancel()
		if ctx.Err() != nil {
			// The tasks got ctx, so they are stopping: wait for them without it.
			done, _ = Wait(context.WithoutCancel(ctx), pending, task.AllCompleted)
			return append(finished, done...), context.Cause(ctx)
		}
		finished = append(finished, done...)
		pending = stillRunning
		report(done, len(pending)) // done may be empty: the tick ran out first

		select {
		case f, ok := <-more:
			if !ok {
				more = nil
				break
			}
			pending = append(pending, task.Start(ctx, f))
		default: // nobody is injecting work right now: do not wait for it
		}
	}
	return finished, nil
}
