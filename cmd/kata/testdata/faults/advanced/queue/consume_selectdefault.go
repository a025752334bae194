package queue

// Consume checks ctx in the loop instead of waiting on it in the select, so the select
// has a default: while nothing has arrived the loop spins, never blocking.

import "context"

func Consume(ctx context.Context, in <-chan int, handle func(int)) (int, error) {
	handled := 0
	for { // fault: from here
		select {
		case n, ok := <-in:
			if !ok {
				return handled, nil
			}
			handle(n)
			handled++
			continue
		default: // fault
		}
		if ctx.Err() != nil {
			return handled, context.Cause(ctx)
		}
	} // fault: to here
}
