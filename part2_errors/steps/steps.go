// Package steps is the given code of part 2: the two unreliable steps of the seed program,
// the errors they fail with, and the error types the katas in part2_errors wrap them in.
// You do not need to change it.
package steps

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
)

// ErrPromiseRejected is the error p1 fails with.
var ErrPromiseRejected = errors.New("promise rejected")

// ErrErrorThrown is the error p2 fails with.
var ErrErrorThrown = errors.New("error thrown")

// Delays of the two steps of the seed program.
const (
	P1Delay = 500 * time.Millisecond
	P2Delay = time.Second
)

// Step is one unreliable piece of work with a name. Run waits, then returns its result or
// fails; if ctx ends before it is done, Run stops waiting at once and returns ctx.Err().
// Run returns only when the step is over: it starts no goroutine of its own.
type Step struct {
	// Name says which step this is in errors and messages: "p1", "p2".
	Name string
	// Run does the work.
	Run func(ctx context.Context) (string, error)
}

// P1 returns the seed's first step, "p1": it waits P1Delay (0.5s), then returns
// "p1 succeeded" if succeed reports true and fails with ErrPromiseRejected otherwise.
// succeed is called once per run; it decides, so tests can choose the outcome.
func P1(succeed func() bool) Step {
	return New("p1", P1Delay, "p1 succeeded", ErrPromiseRejected, succeed)
}

// P2 returns the seed's second step, "p2": it waits P2Delay (1s), then returns
// "p2 succeeded" if succeed reports true and fails with ErrErrorThrown otherwise.
func P2(succeed func() bool) Step {
	return New("p2", P2Delay, "p2 succeeded", ErrErrorThrown, succeed)
}

// New returns a step called name that waits delay, then returns result if succeed reports
// true, and fails with failure otherwise.
func New(name string, delay time.Duration, result string, failure error, succeed func() bool) Step {
	return Step{Name: name, Run: func(ctx context.Context) (string, error) {
		if err := clock.Sleep(ctx, delay); err != nil {
			return "", err
		}
		if !succeed() {
			return "", failure
		}
		return result, nil
	}}
}

// Panicking returns a step called name that waits delay and then panics with value: a bug
// in a step, which a caller that catches everything must survive.
func Panicking(name string, delay time.Duration, value any) Step {
	return Step{Name: name, Run: func(ctx context.Context) (string, error) {
		if err := clock.Sleep(ctx, delay); err != nil {
			return "", err
		}
		panic(value)
	}}
}

// Succeed always reports true: pass it to P1 or P2 for a step that succeeds.
func Succeed() bool { return true }

// Fail always reports false: pass it to P1 or P2 for a step that fails.
func Fail() bool { return false }

// Coin returns a fair coin flipped with r, like the seed's random.random() < 0.5: pass it to
// P1 or P2 for a step that fails half the time. Seed r for a repeatable sequence. The
// function is safe for concurrent use, so two steps running at once may share it.
func Coin(r *rand.Rand) func() bool {
	var mu sync.Mutex // *rand.Rand is not safe for concurrent use
	return func() bool {
		mu.Lock()
		defer mu.Unlock()
		return r.Float64() < 0.5
	}
}

// StepError says which step failed (Step) and why (Err). Build one around a step's error
// so the caller can tell the steps apart with errors.As, and still match the cause with
// errors.Is: &StepError{Step: s.Name, Err: err}.
type StepError struct {
	Step string // the failed step's Name
	Err  error  // why it failed
}

func (e *StepError) Error() string {
	if e == nil {
		return "<nil *steps.StepError>" // a nil pointer stored in an error: see Unwrap
	}
	return fmt.Sprintf("%s: %v", e.Step, e.Err)
}

// Unwrap returns Err, so errors.Is and errors.As look inside a StepError. Both methods
// accept a nil *StepError, which is a mistake (a nil pointer stored in an error is not a
// nil error) that they report instead of crashing.
func (e *StepError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// PanicError is a recovered panic turned into an error. Value is what the code passed to
// panic; if it is itself an error, Unwrap returns it, so errors.Is still finds it.
// Build one in the deferred function that recovers: &PanicError{Value: r}.
type PanicError struct {
	Value any
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns Value if it is an error, and nil otherwise.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
