package busboard_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
	busboard "github.com/go-async-katas/katas/part3_busboard"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

var errBoom = errors.New("boom")

// slowCall returns a blocking call (one that takes no context) that sleeps d, then returns
// val and err.
func slowCall(d time.Duration, val string, err error) func() (string, error) {
	return func() (string, error) {
		time.Sleep(d)
		return val, err
	}
}

// notedCall is slowCall noting its run in rec as the task "call".
func notedCall(rec *timeline.Recorder, d time.Duration, val string, err error) func() (string, error) {
	return func() (string, error) {
		task := rec.Start("call")
		defer task.End(err)
		time.Sleep(d)
		return val, err
	}
}

// checkBackgroundTook checks that Background returned at want (rec noted when), and if not,
// draws the call and the return above what the kata wants: the call runs to its end
// (callTook) whatever Background does, ending with callErr.
func checkBackgroundTook(t *testing.T, call string, rec *timeline.Recorder, want, callTook time.Duration, callErr error, hint string) {
	t.Helper()
	took := rec.Timeline().ReturnAt
	if took == want {
		return
	}
	wantLine := timeline.Want().Task("call", 0, callTook, timeline.Done).Return(want)
	if callErr != nil {
		wantLine = timeline.Want().Task("call", 0, callTook, timeline.Failed).Return(want)
	}
	t.Errorf("%s took %v of fake time, want %v: %s\n\n%s", call, took, want, hint, rec.Diff(wantLine))
}

func TestBackground(t *testing.T) {
	tests := []struct {
		name        string
		giveCall    time.Duration // how long the blocking call takes
		giveTimeout time.Duration // the context's timeout; 0 for none
		giveErr     error         // what the call returns
		want        string
		wantErr     error
		wantTook    time.Duration
	}{
		{name: "call first", giveCall: time.Second, giveTimeout: 5 * time.Second, want: "boards", wantTook: time.Second},
		{name: "no deadline", giveCall: 3 * time.Second, want: "boards", wantTook: 3 * time.Second},
		{name: "call fails", giveCall: 2 * time.Second, giveTimeout: 5 * time.Second, giveErr: errBoom, want: "boards", wantErr: errBoom, wantTook: 2 * time.Second},
		{name: "timeout first", giveCall: time.Minute, giveTimeout: 2 * time.Second, want: "", wantErr: context.DeadlineExceeded, wantTook: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := gotrace.Take()
			katatest.Bubble(t, func(t *testing.T) {
				ctx := t.Context()
				if tt.giveTimeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.giveTimeout)
					defer cancel()
				}
				call := fmt.Sprintf("Background(ctx with timeout %v, call taking %v)", tt.giveTimeout, tt.giveCall)
				rec := timeline.New()
				got, err := busboard.Background(ctx, notedCall(rec, tt.giveCall, "boards", tt.giveErr))
				rec.Returned()

				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
					t.Errorf("%s error = %v, want %v: %s", call, err, tt.wantErr, backgroundErrHint(tt.wantErr))
				}
				if got != tt.want {
					t.Errorf("%s = %q, want %q: return the call's value when it finishes first, the zero value when ctx ends first", call, got, tt.want)
				}
				took := rec.Timeline().ReturnAt
				hint := "return as soon as the call returns or ctx ends, whichever is first"
				if took == tt.giveCall && tt.giveCall > tt.wantTook {
					hint = "Background waited for the blocking call after ctx had ended: select on ctx.Done() as well as on the call's result"
				}

				time.Sleep(tt.giveCall) // let an abandoned call finish, so its goroutine can exit
				synctest.Wait()
				checkBackgroundTook(t, call, rec, tt.wantTook, tt.giveCall, tt.giveErr, hint)
				checkNoStuckSend(t, before)
			})
		})
	}
}

func backgroundErrHint(want error) string {
	switch {
	case want == nil:
		return "the call succeeded, so Background succeeds"
	case errors.Is(want, context.DeadlineExceeded):
		return "when ctx ends first, return ctx.Err()"
	default:
		return "when the call fails, return its error as it is"
	}
}

// TestBackgroundContextAlreadyDone checks that a call is not started once ctx has ended.
func TestBackgroundContextAlreadyDone(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		var started atomic.Bool
		_, err := busboard.Background(ctx, func() (string, error) {
			started.Store(true)
			return "boards", nil
		})
		synctest.Wait() // let a goroutine Background started, if any, run
		assert.ErrorIs(t, err, context.Canceled, "Background(cancelled ctx, call): return ctx.Err()")
		if started.Load() {
			t.Errorf("Background(cancelled ctx, call) started the call: check ctx.Err() before starting work nobody can wait for")
		}
	})
}

// TestBackgroundNoLeak checks that the goroutine Background starts can finish after
// Background has given up on it.
func TestBackgroundNoLeak(t *testing.T) {
	before := gotrace.Take()
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		release := make(chan struct{})
		var finished atomic.Bool
		_, err := busboard.Background(ctx, func() (string, error) {
			<-release // a blocking call that ignores ctx, like a read from the terminal
			finished.Store(true)
			return "too late", nil
		})
		assert.ErrorIs(t, err, context.DeadlineExceeded, "Background(ctx with timeout 1s, call blocked until released)")

		close(release) // the blocking call returns at last, after Background gave up on it
		synctest.Wait()
		if !finished.Load() {
			t.Errorf("the blocking call never ran: Background must start it on a goroutine")
			return
		}
		checkNoStuckSend(t, before)
	})
}

// checkNoStuckSend fails t if a goroutine Background started (and not there before) is
// blocked sending its result: the call returned after Background had given up on it.
func checkNoStuckSend(t *testing.T, before gotrace.Snapshot) {
	t.Helper()
	// The bubble lists the stuck goroutine when the test ends: no traceback here.
	if stuck := blockedSince(before, "Background", "chan send"); len(stuck) > 0 {
		t.Errorf("goroutine leak: the goroutine Background started is still blocked sending its result,\n" +
			"but Background has returned and nobody will ever receive it. Give the channel room for one\n" +
			"result (make(chan result, 1)) so that send never blocks.")
	}
}

// TestBackgroundBlockingLookup runs the half-built, context-free lookup through Background:
// the prompt can give up on it, even though nothing can cancel it.
func TestBackgroundBlockingLookup(t *testing.T) {
	before := gotrace.Take()
	katatest.Bubble(t, func(t *testing.T) {
		s, mt := newServices()
		mt.RegisterResponder("GET", urlLocate, ok(bodyHaymarket, 3*time.Second))
		mt.RegisterResponder("GET", urlStops, ok(bodyStops, time.Second))
		mt.RegisterResponder("GET", urlArrivalsP, ok(bodyArrivalsP, time.Second))
		mt.RegisterResponder("GET", urlArrivalsL, ok(bodyArrivalsL, time.Second))
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()

		start := time.Now()
		boards, err := busboard.Background(ctx, func() ([]api.Board, error) { return s.BoardsSequential("SW1Y 4QU") })
		assert.ErrorIs(t, err, context.DeadlineExceeded, "Background(ctx with timeout 2s, BoardsSequential taking 6s)")
		assert.Nil(t, boards)
		katatest.Elapsed(t, start, 2*time.Second, "Background must give up when ctx ends, not wait for the blocking lookup")

		time.Sleep(5 * time.Second) // the abandoned lookup finishes in the background
		synctest.Wait()
		checkNoStuckSend(t, before)
	})
}

// TestBackgroundContextEnds ends ctx in each way a context ends while the blocking call
// runs: Background returns ctx.Err() (not the cause given to cancel) at that moment.
func TestBackgroundContextEnds(t *testing.T) {
	for _, end := range endings {
		t.Run(end, func(t *testing.T) {
			before := gotrace.Take()
			katatest.Bubble(t, func(t *testing.T) {
				ctx, wantErr := endingAt(t, end, 2*time.Second)
				call := fmt.Sprintf("Background(ctx ending at 2s (%s), call taking 1m)", end)
				rec := timeline.New()
				got, err := busboard.Background(ctx, notedCall(rec, time.Minute, "boards", nil))
				rec.Returned()

				checkCtxErr(t, call, "Background", err, wantErr, backgroundErrHint(wantErr))
				if got != "" {
					t.Errorf("%s = %q, want \"\": when ctx ends first, return the zero value", call, got)
				}

				time.Sleep(time.Minute) // let the abandoned call finish, so its goroutine can exit
				synctest.Wait()
				checkBackgroundTook(t, call, rec, 2*time.Second, time.Minute, nil,
					"return as soon as ctx ends: select on ctx.Done() as well as on the call's result")
				checkNoStuckSend(t, before)
			})
		})
	}
}

// TestBackgroundDeadlinePassed checks that a call is not started once ctx's deadline has
// passed.
func TestBackgroundDeadlinePassed(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		time.Sleep(2 * time.Second)
		var started atomic.Bool
		got, err := busboard.Background(ctx, func() (string, error) {
			started.Store(true)
			return "boards", nil
		})
		synctest.Wait() // let a goroutine Background started, if any, run
		call := "Background(ctx whose deadline passed 1s ago, call)"
		if !errors.Is(err, context.DeadlineExceeded) || got != "" {
			t.Errorf("%s = %q, %v; want \"\", context.DeadlineExceeded: return ctx.Err() at once", call, got, err)
		}
		if started.Load() {
			t.Errorf("%s started the call: check ctx.Err() before starting work nobody can wait for", call)
		}
	})
}

// TestBackgroundCallEndsAsCtxEnds has the call return at the very instant ctx's deadline
// passes, again and again: either may win, but Background returns the call's results or
// ctx's error, never a mix, and the goroutine it started never stays blocked.
func TestBackgroundCallEndsAsCtxEnds(t *testing.T) {
	before := gotrace.Take()
	katatest.Bubble(t, func(t *testing.T) {
		call := "Background(ctx with timeout 2s, call returning \"boards\" at 2s)"
		for range 50 {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			got, err := busboard.Background(ctx, slowCall(2*time.Second, "boards", nil))
			cancel()
			switch {
			case err == nil && got == "boards":
			case errors.Is(err, context.DeadlineExceeded) && got == "":
			default:
				t.Fatalf("%s = %q, %v; want \"boards\", nil (the call won) or \"\", context.DeadlineExceeded (ctx won): "+
					"return the results of whichever came first, all of them from one side", call, got, err)
			}
			synctest.Wait()
			checkNoStuckSend(t, before)
		}
	})
}

// TestBackgroundConcurrent runs several Backgrounds at once, as the doc allows: each gets
// its own call's result.
func TestBackgroundConcurrent(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		const n = 5
		got := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := time.Now()
		for i := range n {
			// The later-started calls finish first.
			wg.Go(func() {
				got[i], errs[i] = busboard.Background(t.Context(), slowCall(time.Duration(n-i)*time.Second, fmt.Sprint("call ", i), nil))
			})
		}
		wg.Wait()
		for i := range n {
			if want := fmt.Sprint("call ", i); got[i] != want || errs[i] != nil {
				t.Errorf("Background(ctx, call %d) among %d running at once = %q, %v; want %q, nil: "+
					"each Background has its own goroutine and its own channel (made inside Background, "+
					"not shared at package level)", i, n, got[i], errs[i], want)
			}
		}
		katatest.Elapsed(t, start, n*time.Second, "the calls run at once: as long as the slowest")
	})
}
