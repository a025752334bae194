package chain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/chain"
	"github.com/go-async-katas/katas/advanced/chain/links"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

var (
	errBoom = errors.New("boom")
	errStop = errors.New("stop") // the cause the tests cancel a context with
)

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

func TestStartPassesContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var log links.Log
		ctx, cancel := context.WithCancelCause(t.Context())
		timer := time.AfterFunc(time.Second, func() { cancel(errStop) })
		defer timer.Stop()
		const call = "Start(ctx cancelled at 1s with a cause, a 3s step that gives up when its ctx ends, 4), then Wait()"
		start := time.Now()
		got, err := chain.Start(ctx, link(&log, 1, 3*time.Second), 4).Wait()
		if !errors.Is(err, errStop) {
			t.Errorf("%s = %d, %v; want the step's error, the cause: run step(ctx, in) with the ctx given to Start", call, got, err)
		}
		katatest.Elapsed(t, start, time.Second, call+": the step stops when Start's ctx ends, if it gets that ctx")
	})
}

func TestWaitManyWaiters(t *testing.T) {
	const waiters = 10
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		task := chain.Start(t.Context(), link(&links.Log{}, 1, time.Second), 4)
		type waited struct {
			result int
			err    error
			after  time.Duration
		}
		got := make([]waited, waiters) // waiter i writes only got[i]
		var wg sync.WaitGroup
		for i := range waiters {
			wg.Go(func() {
				result, err := task.Wait()
				got[i] = waited{result, err, time.Since(start)}
			})
		}
		wg.Wait()
		for _, g := range got {
			if g.result != 41 || g.err != nil || g.after != time.Second {
				t.Errorf("%d goroutines called Wait on a 1s step returning 41; one got %d, %v after %v, want 41, <nil> after 1s.\n"+
					"Every waiter must wake when the task ends: close a channel (a close wakes all receivers, a send wakes one)",
					waiters, g.result, g.err, g.after)
				return
			}
		}
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
	// Registrars add their callbacks while the step runs, at the very instant it returns, and
	// after. Who goes first at that instant differs from round to round, so it is tried many
	// times. A callback lost because "take the waiting callbacks" and "mark the task done" are
	// two steps shows here only when the goroutines really meet in that gap, which is short:
	// the -race check of the done flag and the hints do the rest.
	const rounds = 50
	delays := []time.Duration{500 * time.Millisecond, time.Second, time.Second, time.Second, time.Second, time.Second,
		time.Second, time.Second, time.Second, 1500 * time.Millisecond}
	katatest.Bubble(t, func(t *testing.T) {
		for round := range rounds {
			task := chain.Start(t.Context(), link(&links.Log{}, 1, time.Second), 0)
			calls := make([]atomic.Int32, len(delays))
			var wg sync.WaitGroup
			for i, d := range delays {
				wg.Go(func() {
					time.Sleep(d)
					task.OnDone(func(int, error) { calls[i].Add(1) })
				})
			}
			wg.Wait()
			task.Wait()

			for i, d := range delays {
				switch n := calls[i].Load(); {
				case n == 0:
					t.Fatalf("a 1s step; the callback added at %v never ran (round %d of %d): a callback added while the step\n"+
						"is finishing must not be lost. Decide \"keep it for later\" or \"run it now\" under the same lock that\n"+
						"marks the task done and takes the waiting callbacks, in one step", d, round+1, rounds)
				case n > 1:
					t.Fatalf("a 1s step; the callback added at %v ran %d times, want exactly once (round %d of %d):\n"+
						"hand the waiting callbacks over once, under the lock", d, n, round+1, rounds)
				}
			}
		}
	})
}

// explainReentry is the advice for a child of TestOnDoneFromCallback that hung.
func explainReentry(c katatest.Child) string {
	if hung, _ := gotrace.Hang(strings.Split(c.Output, "\n")); hung == "" && !gotrace.TimedOut(c.Crash) {
		return ""
	}
	return "A callback that calls OnDone on its own task hung. Are the callbacks run while the task's lock is\n" +
		"held? Then OnDone, called from inside one, waits for a lock its own goroutine holds, for ever. Take the\n" +
		"callbacks and mark the task done under the lock, unlock, and only then call them; and in OnDone on a\n" +
		"finished task, read the result under the lock, unlock, and only then call cb."
}

// TestOnDoneFromCallback adds callbacks from inside a callback, and from another goroutine
// while the callbacks are running, and, once the task is done, one that adds another itself.
// All come after the step has returned, so each runs at once, on the goroutine that adds it,
// before OnDone returns. It runs in a child process
// (katatest.Isolated): a Task that holds its lock while running callbacks makes OnDone wait
// for ever on a sync.Mutex, which fake time cannot see, so only the harness's real-time hang
// detector ends it.
func TestOnDoneFromCallback(t *testing.T) {
	katatest.Isolated(t, explainReentry, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			var log links.Log
			const call = "Start(ctx, a 2s step, 4); OnDone(callback1, which adds inner and then takes 1s); OnDone(callback2);\n" +
				"at 2.5s, from another goroutine, OnDone(late)"
			start := time.Now()
			task := chain.Start(t.Context(), link(&log, 1, 2*time.Second), 4)
			task.OnDone(func(result int, err error) {
				log.Add("callback1 got %d, %v", result, err)
				task.OnDone(func(result int, err error) { log.Add("inner got %d, %v", result, err) })
				log.Add("callback1 added inner")
				time.Sleep(time.Second)
			})
			task.OnDone(func(result int, err error) { log.Add("callback2 got %d, %v", result, err) })

			time.Sleep(2500 * time.Millisecond)
			task.OnDone(func(result int, err error) { log.Add("late got %d, %v", result, err) })
			if !slices.Contains(log.Entries(), "late got 41, <nil>") {
				t.Errorf("%s: late had not run when OnDone returned, at 2.5s, want it run at once: the step had returned, so a\n"+
					"callback added now runs on the goroutine that adds it, even while the earlier callbacks are still running.\n"+
					"Mark the task done before running the callbacks it had, not after", call)
			}
			task.Wait()
			want := []string{
				"task1 got 4",
				"task1 returned 41",
				"callback1 got 41, <nil>",
				"inner got 41, <nil>",
				"callback1 added inner",
				"late got 41, <nil>",
				"callback2 got 41, <nil>",
			}
			if got := log.Entries(); !slices.Equal(got, want) {
				t.Errorf("%s recorded the events\n%s\nwant\n%s\ncallback1 and callback2, added before the step returned, run on the task's goroutine one after\n"+
					"another, in the order they were added. A callback added once the step has returned runs at once, on\n"+
					"the goroutine that adds it, before OnDone returns: inner inside callback1, late at 2.5s while callback1\n"+
					"still runs. Each callback runs exactly once", call, listing(got), listing(want))
			}
			katatest.Elapsed(t, start, 3*time.Second, "the step takes 2s and callback1 1s; Wait returns when they are done")

			// Once the task is done, a callback runs at once on the goroutine that adds it, and it
			// may add one more of its own.
			task.OnDone(func(int, error) {
				task.OnDone(func(result int, err error) { log.Add("after's inner got %d, %v", result, err) })
				log.Add("after added its inner")
			})
			got := log.Entries()
			if want := []string{"after's inner got 41, <nil>", "after added its inner"}; len(got) < 2 || !slices.Equal(got[len(got)-2:], want) {
				t.Errorf("after Wait, OnDone(after, which adds after's inner) recorded the events\n%s\nending in\n%s\n"+
					"A callback added to a finished task runs before OnDone returns, and may call OnDone on its task too", listing(got), listing(want))
			}
		})
	})
}
