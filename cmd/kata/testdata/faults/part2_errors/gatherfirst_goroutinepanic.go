package errs

import (
	"context"
	"sync"

	"github.com/go-async-katas/katas/part2_errors/steps"
)

// GatherFirst keeps the failures in a map it never made: the first write panics on the
// step's goroutine.
func GatherFirst(ctx context.Context, p1, p2 steps.Step) (r1, r2 string, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var failures map[string]error
	var mu sync.Mutex
	var wg sync.WaitGroup
	run := func(p steps.Step, r *string) {
		res, err := p.Run(ctx)
		if err != nil {
			mu.Lock()
			failures[p.Name] = &steps.StepError{Step: p.Name, Err: err} // fault
			mu.Unlock()
			cancel()
			return
		}
		*r = res
	}
	wg.Go(func() { run(p1, &r1) })
	wg.Go(func() { run(p2, &r2) })
	wg.Wait()
	for _, e := range failures {
		return r1, r2, e
	}
	return r1, r2, nil
}
