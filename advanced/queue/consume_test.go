package queue_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/advanced/queue"
	"github.com/go-async-katas/katas/internal/clock"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

// feed sends give on in, waiting every before each, and then closes in unless leaveOpen.
// It gives up when ctx is done, so it never outlives the test.
func feed(ctx context.Context, in chan<- int, give []int, every time.Duration, leaveOpen bool) {
	for _, n := range give {
		if clock.Sleep(ctx, every) != nil {
			return
		}
		select {
		case in <- n:
		case <-ctx.Done():
			return
		}
	}
	if !leaveOpen {
		close(in)
	}
}

func TestConsume(t *testing.T) {
	tests := []struct {
		name      string
		give      []int
		giveEvery time.Duration
	}{
		{"seed", []int{0, 1, 2, 3, 4}, time.Second},
		{"none", nil, time.Second},
		{"burst", []int{7, 8, 9}, 0},
		{"slow", []int{42}, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("Consume(ctx, in, handle) [in: %v, one every %v, then closed]", tt.give, tt.giveEvery)
				in := make(chan int)
				go feed(t.Context(), in, tt.give, tt.giveEvery, false)
				h := newHandler(len(tt.give))
				var (
					count int
					err   error
				)
				closedAt := time.Duration(len(tt.give)) * tt.giveEvery
				start := time.Now()
				var caller int64
				// Consume's own context is never cancelled: only the close can end it.
				returned := returnsWithin(t, closedAt+grace, func() {
					caller = gotrace.Self().ID
					count, err = queue.Consume(context.Background(), in, h.handle)
				})

				got, extra := h.handled()
				switch {
				case extra:
					t.Fatalf("%s handled %v and then more numbers than were sent: it kept receiving after in was closed.\n"+
						"A receive from a closed channel returns at once with the zero value and ok == false:\n"+
						"stop when ok is false (v, ok := <-in), or let `for v := range in` stop for you", call, got)
				case !returned:
					t.Fatalf("%s had not returned a minute after in was closed: stop when the channel is closed.\n"+
						"The seed's consumer loops forever (while True); ours must end when the producer is done", call)
				}
				if returned && h.calledElsewhere(caller) {
					t.Errorf("%s called handle on another goroutine, want the caller's: call handle(n) right in the loop, "+
						"not with go handle(n); that keeps the numbers in order and needs no locking", call)
				}
				if !slices.Equal(got, tt.give) && (len(got) > 0 || len(tt.give) > 0) {
					t.Errorf("%s handled %v, want %v: call handle once for each number, in the order they arrive", call, got, tt.give)
					return
				}
				if count != len(tt.give) || err != nil {
					t.Errorf("%s = %d, %v; want %d, nil: return how many numbers you handled", call, count, err, len(tt.give))
				}
				katatest.Elapsed(t, start, closedAt, "Consume should return as soon as in is closed")
			})
		})
	}
}

func TestConsumeCancel(t *testing.T) {
	tests := []struct {
		name         string
		giveSent     []int // sent one a second; in is never closed
		giveCancelAt time.Duration
	}{
		{"while waiting for more", []int{0, 1}, 3500 * time.Millisecond},
		{"before anything arrives", []int{5}, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("Consume(ctx cancelled at %v, in, handle) [in: %v, one a second, never closed]",
					tt.giveCancelAt, tt.giveSent)
				in := make(chan int)
				go feed(t.Context(), in, tt.giveSent, time.Second, true)
				ctx, cancel := context.WithCancelCause(t.Context())
				time.AfterFunc(tt.giveCancelAt, func() { cancel(errStop) })
				h := newHandler(len(tt.giveSent))
				var (
					count int
					err   error
				)
				start := time.Now()
				if !returnsWithin(t, tt.giveCancelAt+grace, func() { count, err = queue.Consume(ctx, in, h.handle) }) {
					t.Fatalf("%s had not returned a minute after ctx was cancelled: wait for the next number and for <-ctx.Done() in one select", call)
				}
				got, _ := h.handled()
				want := tt.giveSent[:min(len(tt.giveSent), int(tt.giveCancelAt/time.Second))]
				if count != len(want) || !errors.Is(err, errStop) {
					t.Errorf("%s = %d, %v; want %d and the cancel cause errStop: return how many you handled and context.Cause(ctx)",
						call, count, err, len(want))
					return
				}
				if !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
					t.Errorf("%s handled %v, want %v", call, got, want)
				}
				katatest.Elapsed(t, start, tt.giveCancelAt, "Consume should return as soon as ctx is done")
			})
		})
	}
}

func TestConsumeStartsNoGoroutine(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "Consume(ctx, in, handle) [in: [0 1], one a second, then closed]"
		in := make(chan int)
		go feed(t.Context(), in, []int{0, 1}, time.Second, false)
		var (
			mu     sync.Mutex
			during [][]gotrace.Goroutine // what was running each time handle was called
		)
		stuck := make(chan struct{}) // never closed
		done := make(chan struct{})
		var p katatest.Panic
		go func() {
			defer close(done)
			defer katatest.Recover(&p)
			queue.Consume(t.Context(), in, func(int) {
				gs := startedByQueue()
				mu.Lock()
				during = append(during, gs)
				runaway := len(during) > 2
				mu.Unlock()
				if runaway {
					<-stuck // more numbers than were sent: stop a Consume spinning on the closed channel here
				}
			})
		}()
		time.Sleep(500 * time.Millisecond) // Consume is waiting for its first number
		synctest.Wait()
		waiting := startedByQueue()
		returned := true
		select {
		case <-done:
			if p.Panicked() {
				t.Fatalf("%v%s", p, explainPanic(p))
			}
		case <-time.After(2*time.Second + grace):
			returned = false
		}
		synctest.Wait() // a handle on a goroutine of its own has run by now
		mu.Lock()
		defer mu.Unlock()
		switch {
		case len(during) > 2:
			t.Fatalf("%s called handle more than twice for the 2 numbers sent: it kept receiving after in was closed.\n"+
				"Stop when ok is false (v, ok := <-in), or let `for v := range in` stop for you", call)
		case !returned:
			t.Fatalf("%s had not returned a minute after in was closed: stop when the channel is closed", call)
		}
		if len(during) != 2 {
			t.Fatalf("%s called handle %d times, want 2: once for each number", call, len(during))
		}
		for _, gs := range append([][]gotrace.Goroutine{waiting}, during...) {
			if len(gs) > 0 {
				t.Fatalf("%s was running %d goroutine(s) it had started, want none: it runs on the caller's goroutine and "+
					"starts no other; receive and call handle right in its loop:\n%s", call, len(gs), describe(gs))
			}
		}
	})
}

// TestConsumeCancelAtSend cancels ctx at the very instant a number is sent, many times over:
// whichever wins, every number Consume received (the send went through) must be handled and
// counted, and none other.
func TestConsumeCancelAtSend(t *testing.T) {
	const rounds = 50 // the send and the cancel race: try it many times
	call := "Consume(ctx cancelled at 2s, in, handle) [in: 0 at 1s, 1 at 2s, 2 at 3s, never closed]"
	katatest.Bubble(t, func(t *testing.T) {
		for range rounds {
			ctx, cancel := context.WithCancelCause(t.Context())
			time.AfterFunc(2*time.Second, func() { cancel(errStop) })
			in := make(chan int)
			delivered := make(chan int, 1) // how many sends went through; size one: the feeder never waits on the test
			go func() {
				sent := 0
				for n := range 3 {
					if clock.Sleep(ctx, time.Second) != nil {
						break
					}
					select {
					case in <- n:
						sent++
					case <-ctx.Done():
					}
				}
				delivered <- sent
			}()
			h := newHandler(3)
			var (
				count int
				err   error
			)
			if !returnsWithin(t, 2*time.Second+grace, func() { count, err = queue.Consume(ctx, in, h.handle) }) {
				t.Fatalf("%s had not returned a minute after ctx was cancelled: wait for the next number and for <-ctx.Done() in one select", call)
			}
			got, _ := h.handled()
			sent := <-delivered
			switch {
			case len(got) < sent:
				t.Fatalf("%s received %d numbers (the sends went through) but handled only %v: a number received is the "+
					"consumer's to handle, even if ctx ended at the same instant; do not drop it after the receive", call, sent, got)
			case !slices.Equal(got, numbers(sent)):
				t.Fatalf("%s handled %v, want %v: the numbers it received, in order", call, got, numbers(sent))
			case count != sent || !errors.Is(err, errStop):
				t.Fatalf("%s = %d, %v; want %d and the cancel cause errStop: return how many you handled and context.Cause(ctx)",
					call, count, err, sent)
			}
		}
	})
}
