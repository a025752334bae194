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
	if r1, err = runCaught(ctx, p1); err != nil {
		return "", "", err
	}
	if r2, err = runCaught(ctx, p2); err != nil {
		return r1, "", err
	}
	return r1, r2, nil
}

// runCaught runs step and returns its result, or a *steps.StepError saying that step
// failed: with its error, or with a *steps.PanicError if it panicked.
func runCaught(ctx context.Context, step steps.Step) (result string, err error) {
	defer func() {
		// recover stops a panic only in the deferred call of the goroutine that panicked:
		// here, because Sequence runs the steps on its caller's goroutine.
		if r := recover(); r != nil {
			result, err = "", &steps.StepError{Step: step.Name, Err: &steps.PanicError{Value: r}}
		}
	}()
	result, err = step.Run(ctx)
	if err != nil {
		return "", &steps.StepError{Step: step.Name, Err: err}
	}
	return result, nil
}
