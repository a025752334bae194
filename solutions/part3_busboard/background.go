package busboard

import "context"

// Background runs call on a new goroutine and waits for whichever comes first: call
// returning, or ctx ending. It is Go's answer to Python's loop.run_in_executor: a way to wait
// for blocking code (code that takes no context, like api.Services.BoardsSequential or a
// read from the terminal) without being stuck with it.
//
// If call returns first, Background returns call's results. If ctx ends first, Background
// returns at once with the zero T and ctx's error (context.Canceled or
// context.DeadlineExceeded). If ctx has already ended, call is not started at all.
//
// Go cannot stop a running function from outside, so after ctx ends the goroutine keeps
// running call until it returns; it must then exit without blocking, its results dropped.
// Background is safe for concurrent use if call is.
func Background[T any](ctx context.Context, call func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		val T
		err error
	}
	// Room for one result: if nobody is waiting any more (ctx ended first), the send still
	// succeeds and the goroutine exits instead of blocking forever.
	done := make(chan result, 1)
	go func() {
		val, err := call()
		done <- result{val, err}
	}()
	select {
	case r := <-done:
		return r.val, r.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
