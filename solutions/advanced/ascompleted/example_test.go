package ascompleted_test

import (
	"context"
	"fmt"
	"time"

	"github.com/go-async-katas/katas/solutions/advanced/ascompleted"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble. Run them with go test ./solutions/advanced/ascompleted.

func ExampleAsCompleted() {
	fastSeen := make(chan struct{})
	slow := func(ctx context.Context) (string, error) {
		// Finish only once the loop has handled "fast": that works only if the iterator
		// hands "fast" over without waiting for "slow" first. (The timer is a guard for a
		// wrong iterator, so that it fails instead of hanging; a right one never waits for it.)
		select {
		case <-fastSeen:
		case <-time.After(time.Second):
		}
		return "slow", nil
	}
	fast := func(ctx context.Context) (string, error) { return "fast", nil }

	for v, err := range ascompleted.AsCompleted(context.Background(), slow, fast) {
		fmt.Println(v, err)
		if v == "fast" {
			close(fastSeen)
		}
	}
	// Output:
	// fast <nil>
	// slow <nil>
}
