package errs

import (
	"context"
	"errors"
	"sync"

	"github.com/go-async-katas/katas/part2_errors/steps"
)

// GatherAll runs p1 and p2 at the same time, waits for both, and returns both results and
// every failure: the Go version of asyncio.gather(..., return_exceptions=True).
//
// A failure never cancels the other step. Each step's error is wrapped in a
// *steps.StepError naming the step, and the errors are joined with errors.Join, so the
// caller can find each of them with errors.Is and errors.As; err is nil when both
// succeeded. GatherAll takes as long as the slower step. Both steps run with ctx: when it
// ends they stop, and each stopped step's ctx.Err(), in its StepError, is among the failures.
// r1 and r2 are the results of the steps that succeeded, "" for a step that failed. Every
// goroutine it starts has returned when GatherAll returns.
func GatherAll(ctx context.Context, p1, p2 steps.Step) (r1, r2 string, err error) {
	var err1, err2 error // each written by one goroutine, read only after wg.Wait
	var wg sync.WaitGroup
	wg.Go(func() { r1, err1 = p1.Run(ctx) })
	wg.Go(func() { r2, err2 = p2.Run(ctx) })
	wg.Wait()
	if err1 != nil {
		err1 = &steps.StepError{Step: p1.Name, Err: err1}
	}
	if err2 != nil {
		err2 = &steps.StepError{Step: p2.Name, Err: err2}
	}
	return r1, r2, errors.Join(err1, err2) // nil when both are nil
}
