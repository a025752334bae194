package busboard

import (
	"context"

	"github.com/go-async-katas/katas/part3_busboard/api"
)

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
	// TODO: start call on a new goroutine that hands its results back over a channel, then
	// wait for whichever comes first: those results, or ctx.Done(). Make sure the goroutine
	// can always finish, even when nobody is waiting for it any more.
	var zero T
	return zero, api.ErrNotImplemented
}
