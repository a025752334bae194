package errs

import (
	"context"

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
	// TODO: run both steps at once, wait for both, wrap each error in a
	// *steps.StepError and join them.
	return "", "", nil
}
