package errs_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/go-async-katas/katas/part2_errors/steps"
	errs "github.com/go-async-katas/katas/solutions/part2_errors"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble, so their steps take no time; the kata's tests check the timing on fake
// time. Run them with go test ./solutions/part2_errors.

func ExampleSequence() {
	p1 := steps.New("p1", 0, "p1 succeeded", steps.ErrPromiseRejected, steps.Succeed)
	p2 := steps.New("p2", 0, "p2 succeeded", steps.ErrErrorThrown, steps.Fail)
	r1, r2, err := errs.Sequence(context.Background(), p1, p2)
	fmt.Printf("results: %q %q\n", r1, r2)

	var stepErr *steps.StepError
	if errors.As(err, &stepErr) {
		fmt.Println("failed step:", stepErr.Step)
	}
	fmt.Println("error thrown:", errors.Is(err, steps.ErrErrorThrown))
	// Output:
	// results: "p1 succeeded" ""
	// failed step: p2
	// error thrown: true
}

func ExampleGatherFirst() {
	p1 := steps.New("p1", 0, "p1 succeeded", steps.ErrPromiseRejected, steps.Fail)
	p2 := steps.New("p2", 0, "p2 succeeded", steps.ErrErrorThrown, steps.Succeed)
	_, _, err := errs.GatherFirst(context.Background(), p1, p2)

	var stepErr *steps.StepError
	if errors.As(err, &stepErr) {
		fmt.Println("failed step:", stepErr.Step)
	}
	fmt.Println("promise rejected:", errors.Is(err, steps.ErrPromiseRejected))
	fmt.Println("error thrown:", errors.Is(err, steps.ErrErrorThrown))
	// Output:
	// failed step: p1
	// promise rejected: true
	// error thrown: false
}

func ExampleGatherAll() {
	p1 := steps.New("p1", 0, "p1 succeeded", steps.ErrPromiseRejected, steps.Fail)
	p2 := steps.New("p2", 0, "p2 succeeded", steps.ErrErrorThrown, steps.Fail)
	_, _, err := errs.GatherAll(context.Background(), p1, p2)

	fmt.Println("promise rejected:", errors.Is(err, steps.ErrPromiseRejected))
	fmt.Println("error thrown:", errors.Is(err, steps.ErrErrorThrown))
	// Output:
	// promise rejected: true
	// error thrown: true
}

// Example_seed runs the seed's program three times: p1 (0.5s) and p2 (1s) each fail half the
// time, on the flip of one coin. The coin is a seeded source, so the flips, and this output,
// are the same on every run; another seed gives other outcomes. The steps take their real
// time here (about 3.5s in all).
func Example_seed() {
	flip := steps.Coin(rand.New(rand.NewPCG(4, 5)))
	p1, p2 := steps.P1(flip), steps.P2(flip)
	for run := range 3 {
		r1, r2, err := errs.Sequence(context.Background(), p1, p2)
		var stepErr *steps.StepError
		if errors.As(err, &stepErr) {
			fmt.Printf("run %d: %s failed: %v\n", run+1, stepErr.Step, stepErr.Err)
			continue
		}
		fmt.Printf("run %d: %s, %s\n", run+1, r1, r2)
	}
	// Output:
	// run 1: p1 succeeded, p2 succeeded
	// run 2: p2 failed: error thrown
	// run 3: p1 failed: promise rejected
}
