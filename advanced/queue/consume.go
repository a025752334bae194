package queue

import "context"

// Consume receives numbers from in and calls handle with each, in the order they arrive,
// until in is closed — then it returns how many it handled and nil — or until ctx is done —
// then it returns how many it handled and context.Cause(ctx). Unlike the seed's consumer,
// whose loop never ends, it always returns once one of those happens. Every number it
// receives is handled, even one that arrives as ctx ends: a sender whose send went through
// counts on it. handle runs on the caller's goroutine; Consume starts no other.
func Consume(ctx context.Context, in <-chan int, handle func(int)) (int, error) {
	// TODO: loop, waiting for the next number or for ctx to be done, and stop when in is
	// closed.
	return 0, nil
}
