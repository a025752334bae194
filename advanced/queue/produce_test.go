package queue_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/queue"
	"github.com/go-async-katas/katas/internal/katatest"
)

// produced is what Produce returned, and when.
type produced struct {
	err error
	at  time.Duration
}

// startProduce runs Produce on a new goroutine and returns the channel it sends on and one
// that receives what it returned.
func startProduce(ctx context.Context, start time.Time, n int, every time.Duration) (<-chan int, <-chan produced) {
	out := make(chan int)
	result := make(chan produced, 1) // size one: the goroutine never waits to report
	go func() {
		err := queue.Produce(ctx, out, n, every)
		result <- produced{err, time.Since(start)}
	}()
	return out, result
}

func TestProduce(t *testing.T) {
	tests := []struct {
		name      string
		giveN     int
		giveEvery time.Duration
	}{
		{"seed", 5, time.Second},
		{"none", 0, time.Second},
		{"no pause", 3, 0},
		{"slow", 2, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("Produce(ctx, out, %d, %v)", tt.giveN, tt.giveEvery)
				start := time.Now()
				out, result := startProduce(t.Context(), start, tt.giveN, tt.giveEvery)
				limit := time.Duration(tt.giveN)*tt.giveEvery + grace
				got, at, closed := receive(out, tt.giveN+1, start, limit)

				if want := numbers(tt.giveN); !slices.Equal(got, want) {
					t.Errorf("%s sent %v, want %v: the numbers 0 to n-1, in order", call, got, want)
				}
				for i, a := range at {
					if want := time.Duration(i+1) * tt.giveEvery; a != want {
						t.Errorf("%s sent %d at %v, want %v: wait every before each send, not after", call, got[i], a, want)
						break
					}
				}
				if !closed {
					t.Fatalf("%s never closed out: close the channel when you are done (defer close(out)).\n"+
						"A consumer that reads until the channel is closed waits forever otherwise — the seed's consumer's problem", call)
				}
				r := <-result // out is closed: Produce is returning
				assert.NoError(t, r.err, "%s sent everything: it has nothing to report", call)
				katatest.Elapsed(t, start, time.Duration(tt.giveN)*tt.giveEvery,
					"the producer waits every before each of its n numbers, then closes out at once")
			})
		})
	}
}

func TestProduceCancel(t *testing.T) {
	tests := []struct {
		name         string
		giveRead     int           // how many numbers the test receives before it stops reading
		giveCancelAt time.Duration // when ctx is cancelled
		wantSent     []int
	}{
		{"while waiting", 5, 2500 * time.Millisecond, []int{0, 1}},
		{"while sending", 2, 5 * time.Second, []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("Produce(ctx cancelled at %v, out, 5, 1s)", tt.giveCancelAt)
				if tt.giveRead < 5 {
					call += fmt.Sprintf(" with a reader that stops after %d numbers", tt.giveRead)
				}
				ctx, cancel := context.WithCancelCause(t.Context())
				time.AfterFunc(tt.giveCancelAt, func() { cancel(errStop) })
				start := time.Now()
				out, result := startProduce(ctx, start, 5, time.Second)
				got, _, _ := receive(out, tt.giveRead, start, tt.giveCancelAt+grace)
				if !slices.Equal(got, tt.wantSent) {
					t.Errorf("%s sent %v, want %v: one number every second until ctx is cancelled", call, got, tt.wantSent)
					return
				}

				var r produced
				select {
				case r = <-result:
				case <-time.After(tt.giveCancelAt + grace - time.Since(start)):
					t.Fatalf("%s had not returned a minute after ctx was cancelled.\n"+
						"Give up when ctx is done, also while blocked on a send nobody receives: select on the send and <-ctx.Done() together", call)
				}
				if !errors.Is(r.err, errStop) {
					t.Errorf("%s returned %v, want the cancel cause errStop: return context.Cause(ctx) when ctx ends the work", call, r.err)
					return
				}
				if r.at != tt.giveCancelAt {
					t.Errorf("%s returned at %v, want %v: stop as soon as ctx is done", call, r.at, tt.giveCancelAt)
				}
				select {
				case n, ok := <-out:
					if ok {
						t.Errorf("%s sent %d after it returned", call, n)
					}
				default:
					t.Errorf("%s returned without closing out: close it on every way out (defer close(out)),\n"+
						"or a consumer reading until it is closed waits forever", call)
				}
			})
		})
	}
}
