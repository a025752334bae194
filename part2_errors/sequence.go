package errs

import (
	"context"

	"github.com/go-async-katas/katas/part2_errors/steps"
)

// Sequence runs p1 and then p2, each with ctx, and returns their results: the seed's main,
// with every error caught.
//
// p2 starts only after p1 has succeeded; at the first failure Sequence stops and returns
// that step's error wrapped in a *steps.StepError naming the step, so errors.As tells the
// caller which step failed and errors.Is what failed. A step that panics fails too: the
// panic is recovered and returned as a *steps.PanicError inside the StepError, never as a
// nil error. r1 and r2 are the results of the steps that succeeded, "" for a step that
// failed or did not run. Sequence starts no goroutines.
func Sequence(ctx context.Context, p1, p2 steps.Step) (r1, r2 string, err error) {
	// TODO: run p1.Run(ctx), then p2.Run(ctx); wrap a step's error in
	// &steps.StepError{Step: step.Name, Err: err} and turn a panic into an error.
	return "", "", nil
}
