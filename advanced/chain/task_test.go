package chain_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/chain"
	"github.com/go-async-katas/katas/advanced/chain/links"
	"github.com/go-async-katas/katas/internal/katatest"
)

var errBoom = errors.New("boom")

func TestStartWait(t *testing.T) {
	tests := []struct {
		name      string
		giveDelay time.Duration
		giveIn    int
		want      int
	}{
		{"seed", time.Second, 0, 1},
		{"slower", 3 * time.Second, 4, 41},
		{"instant", 0, 7, 71},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				var log links.Log
				call := fmt.Sprintf("Start(ctx, a %v step, %d)", tt.giveDelay, tt.giveIn)
				start := time.Now()
				task := chain.Start(t.Context(), link(&log, 1, tt.giveDelay), tt.giveIn)
				katatest.Elapsed(t, start, 0, call+" must return at once: run the step on a new goroutine, don't wait for it")

				got, err := task.Wait()
				if got != tt.want || err != nil {
					t.Errorf("%s, then Wait() = %d, %v; want %d, nil: Wait returns what the step returned", call, got, err, tt.want)
				}
				katatest.Elapsed(t, start, tt.giveDelay, "Wait should return when the step has returned, and not before")
				checkLog(t, call, log.Entries(), []string{
					fmt.Sprintf("task1 got %d", tt.giveIn),
					fmt.Sprintf("task1 returned %d", tt.want),
				})
			})
		})
	}
}

func TestStartWaitError(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var log links.Log
		start := time.Now()
		task := chain.Start(t.Context(), failingLink(&log, 1, 2*time.Second, errBoom), 0)
		got, err := task.Wait()
		if !errors.Is(err, errBoom) {
			t.Errorf("Start(ctx, a step failing with errBoom after 2s, 0), then Wait() = %d, %v; want errBoom: Wait returns the step's error as it is", got, err)
		}
		katatest.Elapsed(t, start, 2*time.Second, "Wait should return when the step has failed, and not before")
	})
}

func TestOnDone(t *testing.T) {
	tests := []struct {
		name          string
		giveCallbacks int
	}{
		{"one callback", 1},
		{"three callbacks", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				var log links.Log
				call := fmt.Sprintf("Start(ctx, a 2s step, 4) with %d callbacks added by OnDone", tt.giveCallbacks)
				want := []string{"task1 got 4", "task1 returned 41"}
				start := time.Now()
				task := chain.Start(t.Context(), link(&log, 1, 2*time.Second), 4)
				for i := range tt.giveCallbacks {
					task.OnDone(func(result int, err error) {
						if i == 0 {
							time.Sleep(time.Second) // a slow first callback: the others wait for it
						}
						log.Add("callback%d got %d, %v", i+1, result, err)
					})
					want = append(want, fmt.Sprintf("callback%d got 41, <nil>", i+1))
				}
				katatest.Elapsed(t, start, 0, "OnDone must not wait: it only arranges for the callback to run later")

				task.Wait()
				katatest.Elapsed(t, start, 3*time.Second,
					"the step takes 2s and the first callback 1s: Wait returns when the step and its callbacks are done.\n"+
						"Are the callbacks run one after another on the task's goroutine, before it signals the end?")
				checkLog(t, call, log.Entries(), want)
			})
		})
	}
}

func TestOnDoneError(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		task := chain.Start(t.Context(), failingLink(&links.Log{}, 1, time.Second, errBoom), 0)
		type outcome struct {
			result int
			err    error
		}
		var got []outcome // written by the callback, read after Wait
		task.OnDone(func(result int, err error) { got = append(got, outcome{result, err}) })
		task.Wait()

		if len(got) != 1 {
			t.Fatalf("a callback of a failing step ran %d times, want exactly once", len(got))
		}
		assert.ErrorIs(t, got[0].err, errBoom, "the callback of a failing step gets the step's error as it is")
	})
}

func TestOnDoneAfterDone(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var log links.Log
		call := "Start(ctx, a 1s step, 4), OnDone(callback1), Wait(), OnDone(callback2)"
		task := chain.Start(t.Context(), link(&log, 1, time.Second), 4)
		task.OnDone(func(result int, err error) { log.Add("callback1 got %d, %v", result, err) })
		task.Wait()

		task.OnDone(func(result int, err error) { log.Add("callback2 got %d, %v", result, err) })
		// No waiting here: a callback added to a finished task runs before OnDone returns.
		if !slices.Contains(log.Entries(), "callback2 got 41, <nil>") {
			t.Fatalf("%s: callback2 had not run when OnDone returned, want it run at once: the step had returned,\n"+
				"so no goroutine is left to run it later. OnDone checks under the lock whether the task is done,\n"+
				"and if so unlocks and calls cb itself", call)
		}
		checkLog(t, call, log.Entries(), []string{
			"task1 got 4",
			"task1 returned 41",
			"callback1 got 41, <nil>",
			"callback2 got 41, <nil>",
		})

		start := time.Now()
		got, err := task.Wait()
		if got != 41 || err != nil {
			t.Errorf("%s, then Wait() again = %d, %v; want 41, nil: a finished task keeps its result", call, got, err)
		}
		katatest.Elapsed(t, start, 0, "Wait on a finished task must return at once")
	})
}

func TestOnDoneConcurrent(t *testing.T) {
	const registrars = 20
	katatest.Bubble(t, func(t *testing.T) {
		task := chain.Start(t.Context(), link(&links.Log{}, 1, time.Second), 0)
		var calls [registrars]atomic.Int32
		var wg sync.WaitGroup
		for i := range registrars {
			// Registrar i adds its callback at i*100ms: half of them while the step runs,
			// one as it returns, the rest after it has returned.
			wg.Go(func() {
				time.Sleep(time.Duration(i) * 100 * time.Millisecond)
				task.OnDone(func(int, error) { calls[i].Add(1) })
			})
		}
		wg.Wait()
		task.Wait()

		for i := range registrars {
			switch n := calls[i].Load(); {
			case n == 0:
				t.Fatalf("the callback added at %v never ran: a callback added while the step is finishing must not be lost.\n"+
					"Decide \"keep it for later\" or \"run it now\" under the same lock that marks the task done", time.Duration(i)*100*time.Millisecond)
			case n > 1:
				t.Fatalf("the callback added at %v ran %d times, want exactly once: hand the waiting callbacks over once, under the lock",
					time.Duration(i)*100*time.Millisecond, n)
			}
		}
	})
}
