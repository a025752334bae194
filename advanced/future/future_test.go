package future_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/advanced/future"
	"github.com/go-async-katas/katas/advanced/future/state"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestFutureNewIsPending(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		f := future.New[int]()
		if f.Done() == nil {
			t.Errorf("New[int]().Done() = nil, want a channel: a nil channel is never closed, so nobody could wait for the future.\n" +
				"Make the channel in New and close it when the future completes")
		} else if first, second := f.Done(), f.Done(); first != second {
			t.Errorf("Done() returned a different channel on a second call, want the same one every time: make it once, in New")
		}
		if isDone(f) {
			t.Errorf("New[int]() is done already, want pending until SetResult, SetError or Cancel")
		}
		if v, err := f.Result(); !errors.Is(err, state.ErrNotDone) {
			t.Errorf("New[int]().Result() = %s, want (0, state.ErrNotDone): a pending future has no outcome yet.\n"+
				"Say so with an error instead of handing back a zero value that looks like a result (Python raises InvalidStateError)",
				outcome(v, err))
		}
	})
}

func TestFutureSetResult(t *testing.T) {
	tests := []struct {
		name string
		give int
	}{
		{"seed value", 10},
		{"zero", 0},
		{"negative", -3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.New[int]()
				pending := f.Done()
				if err := f.SetResult(tt.give); err != nil {
					t.Fatalf("SetResult(%d) on a new future = %v, want <nil>", tt.give, err)
				}
				if !isDone(f) {
					t.Errorf("after SetResult(%d), Done() is not closed: close the done channel when the outcome is set", tt.give)
				} else if f.Done() != pending {
					t.Errorf("after SetResult(%d), Done() returned another channel than before, want the same one on every call:\n"+
						"a goroutine that took Done() earlier waits on that one. Close the channel made in New; do not hand out a new one", tt.give)
				}
				if v, err := f.Result(); v != tt.give || err != nil {
					t.Errorf("after SetResult(%d), Result() = %s, want (%d, <nil>)", tt.give, outcome(v, err), tt.give)
				}
				if v, err := f.Await(t.Context()); v != tt.give || err != nil {
					t.Errorf("after SetResult(%d), Await(ctx) = %s, want (%d, <nil>)", tt.give, outcome(v, err), tt.give)
				}
			})
		})
	}
}

func TestFutureSetError(t *testing.T) {
	tests := []struct {
		name string
		give error
	}{
		{"sentinel", errBoom},
		{"wrapped", fmt.Errorf("load config: %w", errBoom)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.New[int]()
				if err := f.SetError(tt.give); err != nil {
					t.Fatalf("SetError(%q) on a new future = %v, want <nil>", tt.give, err)
				}
				if !isDone(f) {
					t.Errorf("after SetError(%q), Done() is not closed: a failure completes the future too", tt.give)
				}
				if v, err := f.Result(); v != 0 || !errors.Is(err, errBoom) {
					t.Errorf("after SetError(%q), Result() = %s, want (0, the error that was set): keep the error itself, not a copy of its text",
						tt.give, outcome(v, err))
				}
				if v, err := f.Await(t.Context()); v != 0 || !errors.Is(err, errBoom) {
					t.Errorf("after SetError(%q), Await(ctx) = %s, want (0, the error that was set)", tt.give, outcome(v, err))
				}
			})
		})
	}
}

func TestFutureCancel(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		f := future.New[int]()
		if !f.Cancel() {
			t.Errorf("Cancel() on a pending future = false, want true: it was pending, so cancelling it took effect")
		}
		if !isDone(f) {
			t.Errorf("after Cancel(), Done() is not closed: cancelling completes the future, and must wake its waiters")
		}
		if v, err := f.Result(); !errors.Is(err, state.ErrCancelled) {
			t.Errorf("after Cancel(), Result() = %s, want (0, state.ErrCancelled)", outcome(v, err))
		}
		if v, err := f.Await(t.Context()); !errors.Is(err, state.ErrCancelled) {
			t.Errorf("after Cancel(), Await(ctx) = %s, want (0, state.ErrCancelled)", outcome(v, err))
		}
	})
}

func TestFutureSetOnce(t *testing.T) {
	tests := []struct {
		name       string
		giveFirst  string
		giveSecond string
		wantValue  int
		wantErr    error
	}{
		{"result then result", "SetResult(1)", "SetResult(2)", 1, nil},
		{"result then error", "SetResult(1)", "SetError(errBoom)", 1, nil},
		{"error then result", "SetError(errBoom)", "SetResult(2)", 0, errBoom},
		{"result then cancel", "SetResult(1)", "Cancel()", 1, nil},
		{"cancel then result", "Cancel()", "SetResult(2)", 0, state.ErrCancelled},
		{"cancel then cancel", "Cancel()", "Cancel()", 0, state.ErrCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.New[int]()
				if err := apply(f, tt.giveFirst); err != nil {
					t.Fatalf("%s on a new future = %v, want %s", tt.giveFirst, err, accepted(tt.giveFirst))
				}
				if err := apply(f, tt.giveSecond); !errors.Is(err, state.ErrAlreadyDone) {
					t.Errorf("%s after %s = %v, want state.ErrAlreadyDone (Cancel: false): a future is completed once.\n"+
						"Check whether it is done already, and refuse, in the same locked step that sets it",
						tt.giveSecond, tt.giveFirst, err)
				}
				v, err := f.Result()
				if v != tt.wantValue || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
					t.Errorf("after %s then %s, Result() = %s, want %s: the first outcome stays, the second call changes nothing",
						tt.giveFirst, tt.giveSecond, outcome(v, err), outcome(tt.wantValue, tt.wantErr))
				}
			})
		})
	}
}

func TestFutureAwaitWaits(t *testing.T) {
	tests := []struct {
		name      string
		giveDelay time.Duration
		giveCall  string
		wantValue int
		wantErr   error
	}{
		{"result after 1s", time.Second, "SetResult(1)", 1, nil},
		{"result after 3s", 3 * time.Second, "SetResult(2)", 2, nil},
		{"error after 2s", 2 * time.Second, "SetError(errBoom)", 0, errBoom},
		{"cancel after 1s", time.Second, "Cancel()", 0, state.ErrCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.New[int]()
				var wg sync.WaitGroup
				wg.Go(func() {
					time.Sleep(tt.giveDelay)
					_ = apply(f, tt.giveCall)
				})
				defer wg.Wait()

				call := fmt.Sprintf("Await(ctx) on a future that gets %s after %v", tt.giveCall, tt.giveDelay)
				start := time.Now()
				v, err := f.Await(t.Context())
				if v != tt.wantValue || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
					t.Errorf("%s = %s, want %s", call, outcome(v, err), outcome(tt.wantValue, tt.wantErr))
				}
				awaitElapsed(t, start, tt.giveCall, tt.giveDelay,
					call+": Await must block until the future is done — wait for its Done channel, do not just read the result")
			})
		})
	}
}

func TestFutureAwaitGivesUpWhenContextEnds(t *testing.T) {
	tests := []struct {
		name        string
		giveTimeout time.Duration
	}{
		{"1s", time.Second},
		{"5s", 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.New[int]()
				ctx, cancel := context.WithTimeout(t.Context(), tt.giveTimeout)
				defer cancel()

				call := fmt.Sprintf("Await(ctx with a %v timeout) on a future nobody sets", tt.giveTimeout)
				start := time.Now()
				v, err := f.Await(ctx)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("%s = %s, want (0, context.DeadlineExceeded): when ctx ends first, return ctx.Err()", call, outcome(v, err))
				}
				awaitElapsed(t, start, "timeout", tt.giveTimeout, call+": wait for the Done channel or ctx.Done(), whichever comes first")
				if _, err := f.Result(); !errors.Is(err, state.ErrNotDone) {
					t.Errorf("after %s, Result() = %v, want state.ErrNotDone: giving up waiting must not complete or cancel the future", call, err)
				}
			})
		})
	}
}

func TestFutureAwaitCancelledContext(t *testing.T) {
	tests := []struct {
		name      string
		giveCause error // what the ctx is cancelled with (context.WithCancelCause); nil: none
	}{
		{"cancelled", nil},
		{"cancelled with a cause", errStop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.New[int]()
				ctx, cancel := context.WithCancelCause(t.Context())
				stop := time.AfterFunc(2*time.Second, func() { cancel(tt.giveCause) })
				defer stop.Stop()

				call := "Await(ctx cancelled after 2s) on a future nobody sets"
				if tt.giveCause != nil {
					call = fmt.Sprintf("Await(ctx cancelled after 2s with the cause %q) on a future nobody sets", tt.giveCause)
				}
				start := time.Now()
				v, err := f.Await(ctx)
				if !errors.Is(err, context.Canceled) {
					hint := "when ctx ends first, return ctx.Err()"
					if tt.giveCause != nil && errors.Is(err, tt.giveCause) {
						hint = "return ctx.Err(), not the cause (callers who want it ask context.Cause)"
					}
					t.Errorf("%s = %s, want (0, context.Canceled): %s", call, outcome(v, err), hint)
				}
				awaitElapsed(t, start, "cancel", 2*time.Second, "Await must return as soon as ctx is cancelled: select on ctx.Done() too")
			})
		})
	}
}

func TestFutureAwaitDoneWinsOverEndedContext(t *testing.T) {
	const calls = 100
	tests := []struct {
		name      string
		giveCall  string
		wantValue int
		wantErr   error
	}{
		{"set", "SetResult(1)", 1, nil},
		{"failed", "SetError(errBoom)", 0, errBoom},
		{"cancelled", "Cancel()", 0, state.ErrCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.New[int]()
				_ = apply(f, tt.giveCall)
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				// A select with several ready cases picks one at random: one call could be lucky.
				for n := range calls {
					v, err := f.Await(ctx)
					if v != tt.wantValue || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
						t.Errorf("after %s, Await(ctx already cancelled) = %s on call %d of %d, want %s: the future is done,\n"+
							"so its outcome wins over the ended ctx. A select picks at random among its ready cases:\n"+
							"check Done first without blocking (a select with a default case), then wait for either",
							tt.giveCall, outcome(v, err), n+1, calls, outcome(tt.wantValue, tt.wantErr))
						return
					}
				}
			})
		})
	}
}

func TestFutureManyWaiters(t *testing.T) {
	const waiters = 100
	type awaited struct {
		value int
		err   error
		after time.Duration
	}
	tests := []struct {
		name     string
		giveCall string
		want     awaited
	}{
		{"set", "SetResult(1)", awaited{1, nil, time.Second}},
		{"cancelled", "Cancel()", awaited{0, state.ErrCancelled, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.New[int]()
				ctx, cancel := context.WithTimeout(t.Context(), time.Hour) // so a waiter nobody wakes still returns
				defer cancel()

				start := time.Now()
				got := make([]awaited, waiters) // waiter i writes only got[i]
				var wg sync.WaitGroup
				for i := range waiters {
					wg.Go(func() {
						v, err := f.Await(ctx)
						got[i] = awaited{v, err, time.Since(start)}
					})
				}
				time.Sleep(time.Second)
				if err := apply(f, tt.giveCall); err != nil {
					t.Errorf("%s with %d goroutines waiting = %v, want %s", tt.giveCall, waiters, err, accepted(tt.giveCall))
				}
				wg.Wait()

				woken := 0
				for _, g := range got {
					if g.value == tt.want.value && errors.Is(g.err, tt.want.err) && g.after == tt.want.after {
						woken++
					}
				}
				if woken != waiters {
					var wrong awaited
					for _, g := range got {
						if g.value != tt.want.value || !errors.Is(g.err, tt.want.err) || g.after != tt.want.after {
							wrong = g
							break
						}
					}
					hint := "Every waiter must wake when the future completes: close the Done channel (a close wakes all receivers, a send wakes one)"
					if wrong.after < tt.want.after {
						hint = "Await returned before the future was completed: it must wait for the Done channel"
					}
					t.Errorf("%d goroutines called Await, then %s after 1s: %d of them got %s after 1s; one got %s after %v.\n%s",
						waiters, tt.giveCall, woken, outcome(tt.want.value, tt.want.err), outcome(wrong.value, wrong.err), wrong.after, hint)
				}
			})
		})
	}
}

func TestFutureRacingSetters(t *testing.T) {
	// Goroutines released at the same moment only sometimes overlap, so the race is run many
	// times, with a value large enough (see bulky) that storing it takes a while. A Future
	// whose completers skip the mutex fails 20 runs of 20, with -race and without (it used to
	// get through one run in twenty with a 4 KiB value). The racers mix the three ways to
	// complete a future, so each of them must take part in the same locked step.
	const rounds = 1000
	racers := []string{"SetResult(1)", "SetError(errBoom)", "Cancel()", "SetResult(2)", "Cancel()", "SetError(errBoom)", "SetResult(1)", "Cancel()"}
	katatest.Bubble(t, func(t *testing.T) {
		for range rounds {
			raceCompleters(t, racers)
			if t.Failed() {
				return
			}
		}
	})
}

// bulky is a value that takes a while to copy into a Future: 62.5 KiB, as large as it can be
// while a channel may still carry it with an error beside it (Go refuses channel elements of
// 64 KiB or more, and a Future that keeps its outcome in a channel is a right answer too).
type bulky [8000]int

// raceCompleters starts one goroutine per call in calls, all completing one new future at the
// same moment, and checks that exactly one of them took effect and that the future's outcome
// is that one's.
func raceCompleters(t *testing.T, calls []string) {
	t.Helper()
	f := future.New[bulky]()
	errs := make([]error, len(calls)) // racer i writes only errs[i]
	panics := make([]any, len(calls)) // and panics[i]
	ready := make(chan struct{})      // closed to let every racer go at the same moment
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			<-ready
			switch call {
			case "SetResult(1)":
				errs[i] = f.SetResult(bulky{1})
			case "SetResult(2)":
				errs[i] = f.SetResult(bulky{2})
			case "SetError(errBoom)":
				errs[i] = f.SetError(errBoom)
			case "Cancel()":
				if !f.Cancel() {
					errs[i] = errCancelFalse
				}
			}
		})
	}
	synctest.Wait() // every racer is blocked on ready
	close(ready)
	wg.Wait()

	racing := fmt.Sprintf("%d goroutines calling %v on one future at once", len(calls), calls)
	winner, wins := -1, 0
	for i, err := range errs {
		switch {
		case panics[i] != nil:
			t.Errorf("%s: %s panicked: %v.\n"+
				"Two of them saw the future pending, and both completed it and closed Done (closing a closed channel panics).\n"+
				"\"Is it done?\" and \"complete it\" must be one step, the same for all three: hold the mutex across both",
				racing, calls[i], panics[i])
			return
		case err == nil:
			winner, wins = i, wins+1
		case !errors.Is(err, state.ErrAlreadyDone):
			t.Errorf("%s: %s = %v, want <nil> or state.ErrAlreadyDone", racing, calls[i], err)
			return
		}
	}
	if wins != 1 {
		t.Errorf("%s: %d of them took effect, want exactly 1.\n"+
			"\"Is it done?\" and \"complete it\" must be one step, the same for all three: hold the mutex across both", racing, wins)
		return
	}
	v, err := f.Result()
	var want bool
	switch calls[winner] {
	case "SetResult(1)":
		want = v[0] == 1 && err == nil
	case "SetResult(2)":
		want = v[0] == 2 && err == nil
	case "SetError(errBoom)":
		want = errors.Is(err, errBoom)
	case "Cancel()":
		want = errors.Is(err, state.ErrCancelled)
	}
	if !want {
		t.Errorf("%s: %s was the one that took effect, but then Result() = %s: the outcome must be the winner's,\n"+
			"stored in the same locked step that decided it won", racing, calls[winner], outcome(v[0], err))
	}
}

func TestFutureResultWhileCompleting(t *testing.T) {
	// Result may be called at any time, from any goroutine, also while another goroutine
	// completes the future: `go test -race` sees a "done" flag read without the lock.
	const pollers, rounds = 4, 200
	katatest.Bubble(t, func(t *testing.T) {
		for range rounds {
			f := future.New[int]()
			var wg sync.WaitGroup
			var reported atomic.Bool // one message per round, not one per poller
			for range pollers {
				wg.Go(func() {
					for {
						v, err := f.Result()
						if errors.Is(err, state.ErrNotDone) {
							time.Sleep(time.Millisecond)
							continue
						}
						if (v != 1 || err != nil) && reported.CompareAndSwap(false, true) {
							t.Errorf("Result(), polled while another goroutine called SetResult(1), = %s, want (0, state.ErrNotDone) before and (1, <nil>) after:\n"+
								"Result must never see the future half set. Check Done's channel (a select with a default case), which is\n"+
								"closed only after the outcome is stored, or read everything under the lock", outcome(v, err))
						}
						return
					}
				})
			}
			time.Sleep(time.Millisecond)
			_ = f.SetResult(1)
			wg.Wait()
			if t.Failed() {
				return
			}
		}
	})
}

func TestFutureAwaitAsContextEnds(t *testing.T) {
	// The future is set at the very instant ctx's deadline passes, with several goroutines
	// waiting, many times over. Each Await may return either outcome, but never a mix of the
	// two, and never something that is neither.
	const rounds, waiters = 500, 8
	type awaited struct {
		value int
		err   error
	}
	katatest.Bubble(t, func(t *testing.T) {
		for round := range rounds {
			f := future.New[int]()
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			timer := time.AfterFunc(time.Second, func() { _ = f.SetResult(1) })
			got := make([]awaited, waiters) // waiter i writes only got[i]
			var wg sync.WaitGroup
			for i := range waiters {
				wg.Go(func() {
					v, err := f.Await(ctx)
					got[i] = awaited{v, err}
				})
			}
			wg.Wait()
			cancel()
			timer.Stop()
			for _, g := range got {
				if (g.value != 1 || g.err != nil) && (g.value != 0 || !errors.Is(g.err, context.DeadlineExceeded)) {
					t.Errorf("Await(ctx with a 1s timeout) on a future set to 1 at that same instant = %s (round %d of %d),\n"+
						"want (1, <nil>) or (0, context.DeadlineExceeded): return the future's outcome, or ctx.Err() alone",
						outcome(g.value, g.err), round+1, rounds)
					return
				}
			}
			time.Sleep(time.Millisecond) // the setter has finished before the next round
		}
	})
}
