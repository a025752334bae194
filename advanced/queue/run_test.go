package queue_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/queue"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		giveN     int
		giveEvery time.Duration
	}{
		{"seed", 5, time.Second},
		{"none", 0, time.Second},
		{"two seconds apart", 3, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("Run(ctx, w, %d, %v)", tt.giveN, tt.giveEvery)
				var out katatest.Output
				var (
					count int
					err   error
				)
				took := time.Duration(tt.giveN) * tt.giveEvery
				start := time.Now()
				if !returnsWithin(took+grace, func() { count, err = queue.Run(t.Context(), &out, tt.giveN, tt.giveEvery) }) {
					t.Fatalf("%s wrote\n%s\nand had not returned a minute after the producer's last number.\n"+
						"When the producer is done it must close the channel, so the consumer's loop ends; then Run waits for the consumer and returns",
						call, listing(out.Lines()))
				}
				want := append(gotLines(tt.giveN), "Done!")
				if got := out.Lines(); !slices.Equal(got, want) {
					t.Errorf("%s wrote\n%s\nwant\n%s\nThe consumer writes \"Got number <i>\" for each number; Run writes \"Done!\" once the consumer has finished",
						call, listing(got), listing(want))
					return
				}
				if count != tt.giveN || err != nil {
					t.Errorf("%s = %d, %v; want %d, nil: return how many numbers the consumer handled", call, count, err, tt.giveN)
				}
				katatest.Elapsed(t, start, took, "the producer sends a number every interval and then closes the channel: Run ends then")
			})
		})
	}
}

// slowWriter is an io.Writer that takes a second of (fake) time per write, like a slow
// terminal: the consumer is still busy with the last number when the producer is done.
type slowWriter struct{ out *katatest.Output }

func (w slowWriter) Write(p []byte) (int, error) {
	time.Sleep(time.Second)
	return w.out.Write(p)
}

func TestRunWaitsForConsumer(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "Run(ctx, a writer taking 1s per line, 3, 1s)"
		var out katatest.Output
		start := time.Now()
		count, err := queue.Run(t.Context(), slowWriter{&out}, 3, time.Second)
		// Run has returned: everything it started must have finished, and written its lines.
		want := append(gotLines(3), "Done!")
		if got := out.Lines(); !slices.Equal(got, want) {
			t.Errorf("%s had written\n%s\nwhen it returned, want\n%s\n"+
				"Wait for the consumer goroutine to finish (wg.Wait) before writing \"Done!\" and returning",
				call, listing(got), listing(want))
			return
		}
		if count != 3 || err != nil {
			t.Errorf("%s = %d, %v; want 3, nil", call, count, err)
		}
		katatest.Elapsed(t, start, 5*time.Second,
			"the last number is sent at 3s, its line takes until 4s and \"Done!\" until 5s: does Run wait for the consumer before it writes \"Done!\"?")
	})
}

func TestRunCancel(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "Run(ctx cancelled at 2.5s, w, 5, 1s)"
		ctx, cancel := context.WithCancelCause(t.Context())
		time.AfterFunc(2500*time.Millisecond, func() { cancel(errStop) })
		var out katatest.Output
		var (
			count int
			err   error
		)
		start := time.Now()
		if !returnsWithin(2500*time.Millisecond+grace, func() { count, err = queue.Run(ctx, &out, 5, time.Second) }) {
			t.Fatalf("%s had not returned a minute after ctx was cancelled: the producer must stop and close the channel, the consumer stop, and Run return", call)
		}
		if count != 2 || !errors.Is(err, errStop) {
			t.Errorf("%s = %d, %v; want 2 and the cancel cause errStop: return what the consumer handled and context.Cause(ctx)", call, count, err)
			return
		}
		if got, want := out.Lines(), gotLines(2); !slices.Equal(got, want) {
			t.Errorf("%s wrote\n%s\nwant\n%s\nno \"Done!\": the run did not finish", call, listing(got), listing(want))
		}
		katatest.Elapsed(t, start, 2500*time.Millisecond, "Run should stop as soon as ctx is cancelled")
	})
}

func ExampleRun() {
	count, err := queue.Run(context.Background(), os.Stdout, 3, time.Millisecond)
	fmt.Println(count, err)
	// Output:
	// Got number 0
	// Got number 1
	// Got number 2
	// Done!
	// 3 <nil>
}
