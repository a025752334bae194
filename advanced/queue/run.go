package queue

import (
	"context"
	"io"
	"time"
)

// Run is the seed's ex_5_5 program with an ending. It makes an unbuffered channel, starts
// one consumer goroutine that runs Consume on it, writing "Got number <i>" to w for each
// number, and runs Produce(ctx, ch, n, every) on the caller's goroutine. When the producer
// is done it closes the channel, the consumer ends, and Run waits for the consumer, writes
// "Done!" and returns how many numbers were consumed and nil. When ctx is done first, both
// stop; Run still waits for the consumer, writes no "Done!", and returns the count so far
// and context.Cause(ctx). Either way nothing Run started is running when it returns. Only
// the consumer and then Run write to w, one after the other, so w need not be safe for
// concurrent use.
func Run(ctx context.Context, w io.Writer, n int, every time.Duration) (int, error) {
	// TODO: make the channel, start the consumer on a goroutine, run the producer here,
	// wait for the consumer, then write "Done!" if nothing went wrong.
	return 0, nil
}
