package errs

import (
	"context"
	"errors"
	"sync"

	"github.com/go-async-katas/katas/part2_errors/steps"
)

// GatherAll guards the errors with a mutex, and locks it again to wrap the second one.
func GatherAll(ctx context.Context, p1, p2 steps.Step) (r1, r2 string, err error) {
	var (
		mu         sync.Mutex
		err1, err2 error
		wg         sync.WaitGroup
	)
	wg.Go(func() { r1, err1 = p1.Run(ctx) })
	wg.Go(func() { r2, err2 = p2.Run(ctx) })
	wg.Wait()
	mu.Lock()
	if err1 != nil {
		err1 = &steps.StepError{Step: p1.Name, Err: err1}
	}
	mu.Lock() // fault
	if err2 != nil {
		err2 = &steps.StepError{Step: p2.Name, Err: err2}
	}
	mu.Unlock()
	return r1, r2, errors.Join(err1, err2)
}
