package busboard

// Background polls for call's result with a select that has a default, checking ctx between
// polls: while call runs, the loop spins, never blocking, so fake time cannot move on.

import "context"

func Background[T any](ctx context.Context, call func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		val T
		err error
	}
	done := make(chan result, 1)
	go func() {
		val, err := call()
		done <- result{val, err}
	}()
	for { // fault: from here
		select {
		case r := <-done:
			return r.val, r.err
		default: // fault
		}
		if ctx.Err() != nil {
			return zero, ctx.Err()
		}
	} // fault: to here
}
