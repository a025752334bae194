package errs

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/go-async-katas/katas/part2_errors/steps"
)

// GatherFirst runs p1 and p2 at the same time and returns their results, or the first
// failure: the Go version of Python's asyncio.gather.
//
// A step's error comes back wrapped in a *steps.StepError naming the step. As soon as one
// step fails, GatherFirst cancels the context the other step runs with, waits for it to
// return, and returns the first failure (not the cancellation it caused). So it takes as
// long as the slower step when both succeed, and until the first failure otherwise. The
// first failure is the first in time, whatever the steps' order in the arguments. When ctx
// ends first, the steps stop with ctx.Err(), and that is the failure: a *steps.StepError,
// naming the first step to stop, whose Err is ctx.Err().
// r1 and r2 are the results of the steps that succeeded, "" for a step that failed or was
// cancelled. Every goroutine it starts has returned when GatherFirst returns.
func GatherFirst(ctx context.Context, p1, p2 steps.Step) (r1, r2 string, err error) {
	// The group's context is cancelled as soon as a function passed to g.Go returns an
	// error; g.Wait waits for every function and returns the first error.
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		if r1, err = p1.Run(ctx); err != nil {
			return &steps.StepError{Step: p1.Name, Err: err}
		}
		return nil
	})
	g.Go(func() error {
		var err error
		if r2, err = p2.Run(ctx); err != nil {
			return &steps.StepError{Step: p2.Name, Err: err}
		}
		return nil
	})
	err = g.Wait() // r1 and r2 are safe to read once Wait has returned
	return r1, r2, err
}
