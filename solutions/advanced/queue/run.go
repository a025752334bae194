package queue

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"sync"
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
	ch := make(chan int) // unbuffered: each send waits for a receive (asyncio has no such queue: maxsize=0 is unbounded)
	var (
		consumed   int
		consumeErr error // both written by the consumer, read after wg.Wait
		wg         sync.WaitGroup
	)
	wg.Go(func() {
		consumed, consumeErr = Consume(ctx, ch, func(i int) { fmt.Fprintf(w, "Got number %d\n", i) })
	})
	produceErr := Produce(ctx, ch, n, every)
	wg.Wait() // the consumer ends once ch is closed (or ctx is done): wait for it
	if err := cmp.Or(produceErr, consumeErr); err != nil {
		return consumed, err
	}
	fmt.Fprintln(w, "Done!")
	return consumed, nil
}
