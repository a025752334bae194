package queue

import (
	"context"
	"time"
)

// Produce sends 0, 1, …, n-1 on out, like the seed's producer: before each number it waits
// every (counted from when the number before was taken, not on a fixed beat), then sends
// it. It closes out when it returns — after the last number, or early when ctx is done,
// whether it is waiting or blocked on a send — so a consumer that reads until out is closed
// always ends. It returns nil once all n numbers are sent, and
// context.Cause(ctx) when it stopped early. It runs on the caller's goroutine and starts no
// other.
func Produce(ctx context.Context, out chan<- int, n int, every time.Duration) error {
	// TODO: for each number, wait every (or give up when ctx is done), then send it (or give
	// up when ctx is done). Close out on every way out of the function.
	return nil
}
