package errs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/katatest"
	errs "github.com/go-async-katas/katas/part2_errors"
	"github.com/go-async-katas/katas/part2_errors/steps"
)

func TestGatherFirst(t *testing.T) {
	tests := []struct {
		name            string
		giveP1OK        bool
		giveP2OK        bool
		want1           string
		want2           string
		wantStep        string // the step whose error comes back; "" for none
		wantErr         error
		wantTook        time.Duration
		wantP2Cancelled bool
	}{
		{"both succeed", true, true, "p1 succeeded", "p2 succeeded", "", nil, time.Second, false},
		{"p1 fails", false, true, "", "", "p1", steps.ErrPromiseRejected, ms(500), true},
		{"p2 fails", true, false, "p1 succeeded", "", "p2", steps.ErrErrorThrown, time.Second, false},
		{"both fail", false, false, "", "", "p1", steps.ErrPromiseRejected, ms(500), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("GatherFirst(%s, %s)", outcome("p1", tt.giveP1OK), outcome("p2", tt.giveP2OK))
				start := time.Now()
				p1 := watch(steps.P1(succeedIf(tt.giveP1OK)))
				p2 := watch(steps.P2(succeedIf(tt.giveP2OK)))
				r1, r2, err := errs.GatherFirst(t.Context(), p1.step(), p2.step())

				if !checkStartedTogether(t, call, p1, p2) ||
					!checkReturned(t, call, p1, p2) ||
					!checkFirstCancels(t, call, p2.report(), tt.wantP2Cancelled) ||
					!checkResults(t, call, r1, r2, tt.want1, tt.want2) {
					return
				}
				if !checkOutcome(t, call, err, tt.wantStep, tt.wantErr) {
					return
				}
				katatest.Elapsed(t, start, tt.wantTook,
					"both steps at once (the slower takes 1s), stopping at the first failure")
			})
		})
	}
}

// checkFirstCancels checks that p2 was cancelled, and returned its context's error, if
// wantCancelled, and ran to its end otherwise.
func checkFirstCancels(t *testing.T, call string, p2 probeReport, wantCancelled bool) bool {
	t.Helper()
	switch {
	case wantCancelled && !isCancellation(p2.err):
		t.Errorf("%s let p2 run to its end (it returned %v at %v) although p1 failed at %v: "+
			"run the steps with a context you cancel on the first failure, so nothing keeps working for a result "+
			"nobody will use. errgroup.WithContext(ctx) returns that context: pass it (not GatherFirst's ctx) "+
			"to each step's Run", call, p2.err, p2.ended, steps.P1Delay)
	case !wantCancelled && isCancellation(p2.err):
		t.Errorf("%s cancelled p2 at %v although no step had failed: cancel the other step only when one fails",
			call, p2.ended)
	default:
		return true
	}
	return false
}

func TestGatherFirstWaitsForCancelledStep(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "GatherFirst(p1 fails, p2 needs 100ms to stop once cancelled)"
		start := time.Now()
		p2 := watchSlowToStop(steps.P2(steps.Succeed), ms(100))
		_, _, err := errs.GatherFirst(t.Context(), steps.P1(steps.Fail), p2.step())

		if !checkStartedTogether(t, call, p2) ||
			!checkReturned(t, call, p2) ||
			!checkFirstCancels(t, call, p2.report(), true) ||
			!checkStepError(t, call, err, "p1", steps.ErrPromiseRejected) {
			return
		}
		katatest.Elapsed(t, start, ms(600),
			"p1 fails at 0.5s, then the cancelled p2 takes 0.1s to stop: cancel it, then wait for it")
	})
}

func TestGatherFirstBothFailAtOnce(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		// Both fail at the same instant, so either failure may be the first one: accept
		// either, but not a cancellation, and not nothing.
		pa := watch(steps.New("a", steps.P1Delay, "a succeeded", steps.ErrPromiseRejected, steps.Fail))
		pb := watch(steps.New("b", steps.P1Delay, "b succeeded", steps.ErrErrorThrown, steps.Fail))
		call := "GatherFirst(a fails at 0.5s, b fails at 0.5s)"
		start := time.Now()
		_, _, err := errs.GatherFirst(t.Context(), pa.step(), pb.step())

		if !checkStartedTogether(t, call, pa, pb) || !checkReturned(t, call, pa, pb) {
			return
		}
		switch {
		case findStepError(err, "a") != nil:
			if !checkStepError(t, call, err, "a", steps.ErrPromiseRejected) {
				return
			}
		case findStepError(err, "b") != nil:
			if !checkStepError(t, call, err, "b", steps.ErrErrorThrown) {
				return
			}
		default:
			t.Errorf("%s returned error %v, want a's or b's error (either may come first) in a *steps.StepError",
				call, err)
			return
		}
		katatest.Elapsed(t, start, steps.P1Delay, "both steps at once, both failing at 0.5s")
	})
}

func TestGatherFirstStopsWhenCancelled(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), ms(700))
		defer cancel()
		call := "GatherFirst(p1 succeeds, p2 succeeds) with a context that ends at 700ms"
		start := time.Now()
		p2 := watch(steps.P2(steps.Succeed))
		r1, r2, err := errs.GatherFirst(ctx, steps.P1(steps.Succeed), p2.step())

		if !checkStartedTogether(t, call, p2) || !checkReturned(t, call, p2) {
			return
		}
		if err == nil && time.Since(start) > ms(700) {
			t.Errorf("%s returned no error after %v: p2 should have stopped when ctx ended. "+
				"Run the steps with a context derived from GatherFirst's ctx", call, time.Since(start))
			return
		}
		if checkStepError(t, call, err, "p2", context.DeadlineExceeded) &&
			checkResults(t, call, r1, r2, "p1 succeeded", "") {
			katatest.Elapsed(t, start, ms(700), "p2 stops as soon as ctx ends")
		}
	})
}
