package queue

import (
	"context"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
)

// Produce sends 0, 1, …, n-1 on out, like the seed's producer: before each number it waits
// every (counted from when the number before was taken, not on a fixed beat), then sends
// it. It closes out when it returns — after the last number, or early when ctx is done,
// whether it is waiting or blocked on a send — so a consumer that reads until out is closed
// always ends. It returns nil once all n numbers are sent, and
// context.Cause(ctx) when it stopped early. It runs on the caller's goroutine and starts no
// other.
func Produce(ctx context.Context, out chan<- int, n int, every time.Duration) error {
	defer close(out) // on every return: the consumer must learn there is nothing more
	for i := range n {
		if clock.Sleep(ctx, every) != nil {
			return context.Cause(ctx) // why the work stopped, not only that it did
		}
		select {
		case out <- i:
		case <-ctx.Done(): // nobody is receiving: don't stay blocked on the send
			return context.Cause(ctx)
		}
	}
	return nil
}
