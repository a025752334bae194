package queue_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
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
// that receives what it returned. When Produce panics, the test fails with the panic and
// where it happened, and out is closed (if Produce had not closed it) so the test goes on.
func startProduce(t *testing.T, ctx context.Context, start time.Time, n int, every time.Duration) (<-chan int, <-chan produced) {
	out := make(chan int)
	result := make(chan produced, 1) // size one: the goroutine never waits to report
	go func() {
		var p katatest.Panic
		func() {
			defer katatest.Recover(&p)
			err := queue.Produce(ctx, out, n, every)
			result <- produced{err, time.Since(start)}
		}()
		if p.Panicked() {
			t.Errorf("%v%s", p, explainPanic(p))
			func() {
				defer func() { _ = recover() }() // out may be closed already
				close(out)
			}()
			result <- produced{fmt.Errorf("Produce panicked: %v", p.Value), time.Since(start)}
		}
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
				out, result := startProduce(t, t.Context(), start, tt.giveN, tt.giveEvery)
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
				if want := time.Duration(tt.giveN) * tt.giveEvery; r.at < want {
					t.Errorf("%s returned at %v, before its last number was sent at %v: Produce runs on the caller's goroutine "+
						"and returns when its work is done; do the waiting and sending in Produce itself, not on a goroutine it starts", call, r.at, want)
				}
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
				out, result := startProduce(t, ctx, start, 5, time.Second)
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

// TestProduceWaitsAfterEachSend has a reader that is busy for 2.5s after the first number:
// the wait before the next number starts only once the send before it went through, so a
// Produce on a fixed beat (a time.Ticker keeps ticking while a send is blocked) sends the
// third number early.
func TestProduceWaitsAfterEachSend(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		const call = "Produce(ctx, out, 3, 1s) [the reader is busy for 2.5s after receiving 0]"
		start := time.Now()
		out, result := startProduce(t, t.Context(), start, 3, time.Second)
		var at []time.Duration
		for n := range out {
			at = append(at, time.Since(start))
			if n == 0 {
				time.Sleep(2500 * time.Millisecond)
			}
			if len(at) > 3 {
				break
			}
		}
		want := []time.Duration{time.Second, 3500 * time.Millisecond, 4500 * time.Millisecond}
		if !slices.Equal(at, want) {
			t.Errorf("%s sent its numbers at %v, want %v: 0 after 1s; 1 was ready at 2s but the reader took it\n"+
				"at 3.5s; 2 one second after that. Wait every before each number, starting after the send before it\n"+
				"(clock.Sleep or a new timer each time): a time.Ticker keeps its own beat while a send is blocked", call, at, want)
		}
		<-result
	})
}

func TestProduceStartsNoGoroutine(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "Produce(ctx, out, 3, 1s)"
		start := time.Now()
		out, result := startProduce(t, t.Context(), start, 3, time.Second)
		time.Sleep(500 * time.Millisecond) // Produce is waiting before its first number
		synctest.Wait()
		waiting := startedByQueue()
		got, _, closed := receive(out, 4, start, 3*time.Second+grace)
		if gs := waiting; len(gs) > 0 {
			t.Fatalf("%s at 500ms was running %d goroutine(s) it had started, want none: it runs on the caller's goroutine "+
				"and starts no other. Wait with a timer in a select on ctx.Done(), right in Produce:\n%s", call, len(gs), describe(gs))
		}
		if !slices.Equal(got, numbers(3)) || !closed {
			t.Fatalf("%s sent %v (closed: %v), want [0 1 2] and then closed", call, got, closed)
		}
		<-result
	})
}

func TestProduceCancelAtLastSend(t *testing.T) {
	const rounds = 50 // the cancel and the last number come at one instant: try it many times
	call := "Produce(ctx cancelled at 3s, out, 3, 1s)"
	katatest.Bubble(t, func(t *testing.T) {
		for range rounds {
			ctx, cancel := context.WithCancelCause(t.Context())
			time.AfterFunc(3*time.Second, func() { cancel(errStop) })
			start := time.Now()
			out, result := startProduce(t, ctx, start, 3, time.Second)
			got, _, closed := receive(out, 4, start, 3*time.Second+grace)
			if !closed {
				t.Fatalf("%s sent %v and never closed out: close it on every way out (defer close(out))", call, got)
			}
			r := <-result
			switch sentAll := slices.Equal(got, numbers(3)); {
			case sentAll && r.err != nil:
				t.Fatalf("%s sent all of %v and returned %v, want nil: the cancel came at the same instant as the last number, "+
					"but once every number is sent the work is done; return nil then, whatever ctx says after", call, got, r.err)
			case !sentAll && !errors.Is(r.err, errStop):
				t.Fatalf("%s sent %v and returned %v, want the cancel cause errStop: it stopped early, so say why (context.Cause(ctx))", call, got, r.err)
			case !sentAll && !slices.Equal(got, numbers(2)):
				t.Fatalf("%s sent %v, want [0 1 2], or [0 1] when the cancel wins the race for the last one", call, got)
			}
			if r.at != 3*time.Second {
				t.Fatalf("%s returned at %v, want 3s", call, r.at)
			}
		}
	})
}
