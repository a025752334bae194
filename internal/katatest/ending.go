package katatest

import (
	"context"
	"fmt"
	"time"
)

// An Ending is one way a test ends the context it gives the code under test, at a set
// instant of fake time. Contract rule 10 asks for both: a deadline that passes, and a cancel
// with a cause.
type Ending struct {
	Name  string // a short subtest name: "timeout", "cancel with cause"
	How   string // the context, for a call in a failure message: "a ctx that times out at 1.5s"
	Err   error  // what ctx.Err() reports once it has ended
	Cause error  // what context.Cause reports once it has ended
	// Start derives the context from parent. Call stop when the test is done with it.
	Start func(parent context.Context) (ctx context.Context, stop func())
}

// Endings returns the two ways to end a context at fake time at (counted from the Start
// call): its deadline passes, or it is cancelled with cause.
func Endings(at time.Duration, cause error) []Ending {
	return []Ending{
		{
			Name: "timeout", How: fmt.Sprintf("a ctx that times out at %v", at),
			Err: context.DeadlineExceeded, Cause: context.DeadlineExceeded,
			Start: func(parent context.Context) (context.Context, func()) {
				ctx, cancel := context.WithTimeout(parent, at)
				return ctx, cancel
			},
		},
		{
			Name: "cancel with cause", How: fmt.Sprintf("a ctx cancelled at %v with a cause", at),
			Err: context.Canceled, Cause: cause,
			Start: func(parent context.Context) (context.Context, func()) {
				ctx, cancel := context.WithCancelCause(parent)
				timer := time.AfterFunc(at, func() { cancel(cause) })
				return ctx, func() { timer.Stop(); cancel(nil) }
			},
		},
	}
}
