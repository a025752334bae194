package gather_test

import (
	"context"
	"fmt"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
	"github.com/go-async-katas/katas/solutions/advanced/gather"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble, so their waits are a few milliseconds at most. Run them with
// go test ./solutions/advanced/gather.

func ExampleGather() {
	wait := func(value string, d time.Duration) func(context.Context) (string, error) {
		return func(ctx context.Context) (string, error) {
			if err := clock.Sleep(ctx, d); err != nil { // d, unless ctx ends first
				return "", err
			}
			return value, nil
		}
	}
	// "a" finishes last, yet its result comes first: results are in the order of the tasks.
	results, err := gather.Gather(context.Background(),
		wait("a", 3*time.Millisecond), wait("b1", time.Millisecond), wait("b2", time.Millisecond))
	fmt.Println(results, err)
	// Output: [a b1 b2] <nil>
}
