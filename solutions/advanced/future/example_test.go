package future_test

import (
	"context"
	"fmt"

	"github.com/go-async-katas/katas/solutions/advanced/future"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble. Run them with go test ./solutions/advanced/future.

// ExampleFuture is the seed's ex_5_6: a future is pending, then set, then read and awaited.
func ExampleFuture() {
	// isDone reports, without waiting, whether f's Done channel is closed.
	isDone := func(f *future.Future[int]) bool {
		select {
		case <-f.Done():
			return true
		default:
			return false
		}
	}

	f := future.New[int]()
	fmt.Println("done:", isDone(f))

	_ = f.SetResult(10)
	v, _ := f.Result()
	fmt.Println("done:", isDone(f), "result:", v)

	v, _ = f.Await(context.Background())
	fmt.Println("awaited:", v)
	// Output:
	// done: false
	// done: true result: 10
	// awaited: 10
}
