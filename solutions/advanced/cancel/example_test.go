package cancellation_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	cancellation "github.com/go-async-katas/katas/solutions/advanced/cancel"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble. Run them with go test ./solutions/advanced/cancel.

func ExampleSleep() {
	errAbort := errors.New("user pressed stop")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errAbort)
	fmt.Println(cancellation.Sleep(ctx, time.Hour)) // ctx has already ended: no waiting
	// Output: context canceled: user pressed stop
}

// ExampleTask is the seed's ex_5_3, with a cleanup that always runs.
func ExampleTask() {
	// The seed's main sleeps a moment to let cancel_me start; on the real clock this example
	// waits for a signal instead. The seed's cancel_me sleeps 1s; an hour keeps the output
	// the same on a slow machine (Cancel ends the sleep at once).
	started := make(chan struct{})
	cancelMe := func(ctx context.Context) error {
		close(started)
		return cancellation.Sleep(ctx, time.Hour)
	}
	task := cancellation.Start(context.Background(), cancelMe, func() { fmt.Println("cancel_me: cleaning up") })
	<-started

	task.Cancel(nil)
	if err := task.Wait(); errors.Is(err, context.Canceled) {
		fmt.Println("main: cancel_me is cancelled now")
	}
	// Output:
	// cancel_me: cleaning up
	// main: cancel_me is cancelled now
}
