package errs_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/katatest"
	errs "github.com/go-async-katas/katas/part2_errors"
	"github.com/go-async-katas/katas/part2_errors/steps"
)

// stepFailure is one failure GatherAll must report.
type stepFailure struct {
	step string
	err  error
}

func TestGatherAll(t *testing.T) {
	tests := []struct {
		name     string
		giveP1OK bool
		giveP2OK bool
		want1    string
		want2    string
		wantErrs []stepFailure
	}{
		{"both succeed", true, true, "p1 succeeded", "p2 succeeded", nil},
		{"p1 fails", false, true, "", "p2 succeeded", []stepFailure{{"p1", steps.ErrPromiseRejected}}},
		{"p2 fails", true, false, "p1 succeeded", "", []stepFailure{{"p2", steps.ErrErrorThrown}}},
		{"both fail", false, false, "", "", []stepFailure{{"p1", steps.ErrPromiseRejected}, {"p2", steps.ErrErrorThrown}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("GatherAll(%s, %s)", outcome("p1", tt.giveP1OK), outcome("p2", tt.giveP2OK))
				start := time.Now()
				p1 := watch(steps.P1(succeedIf(tt.giveP1OK)))
				p2 := watch(steps.P2(succeedIf(tt.giveP2OK)))
				r1, r2, err := errs.GatherAll(t.Context(), p1.step(), p2.step())

				if !checkStartedTogether(t, call, p1, p2) ||
					!checkReturned(t, call, p1, p2) ||
					!checkAllRanToEnd(t, call, p2.report()) ||
					!checkResults(t, call, r1, r2, tt.want1, tt.want2) ||
					!checkAllErrors(t, call, err, tt.wantErrs) {
					return
				}
				katatest.Elapsed(t, start, time.Second,
					"both steps at once, waiting for both: as long as the slower one (p2, 1s)")
			})
		})
	}
}

// checkAllRanToEnd checks that p2 was not cancelled.
func checkAllRanToEnd(t *testing.T, call string, p2 probeReport) bool {
	t.Helper()
	if isCancellation(p2.err) {
		t.Errorf("%s cancelled p2 at %v: GatherAll waits for every step and reports every failure, "+
			"so a failure must not cancel the other step", call, p2.ended)
		return false
	}
	return true
}

// checkAllErrors checks that err holds exactly the failures want, each findable with
// errors.Is and errors.As, or is nil when want is empty.
func checkAllErrors(t *testing.T, call string, err error, want []stepFailure) bool {
	t.Helper()
	if len(want) == 0 {
		return checkNoError(t, call, err)
	}
	for _, w := range want {
		missing := fmt.Sprintf("%s failed, but its error is not in the one GatherAll returned. "+
			"Keep both steps' errors and combine them with errors.Join(err1, err2), "+
			"so the caller sees every failure", w.step)
		if !checkStepErrorHint(t, call, err, w.step, w.err, missing) {
			return false
		}
	}
	if hint := nilHint(err); hint != nilHint(nil) {
		t.Errorf("%s returned error %q, which holds more than the failures: %s", call, err, hint)
		return false
	}
	for _, name := range stepNames(err) {
		if !slices.ContainsFunc(want, func(w stepFailure) bool { return w.step == name }) {
			t.Errorf("%s returned error %q, which has a StepError for %s, but %s succeeded: %s",
				call, err, name, name, nilHint(err))
			return false
		}
	}
	return true
}

func TestGatherAllStopsWhenCancelled(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), ms(700))
		defer cancel()
		call := "GatherAll(p1 fails, p2 succeeds) with a context that ends at 700ms"
		start := time.Now()
		p2 := watch(steps.P2(steps.Succeed))
		r1, r2, err := errs.GatherAll(ctx, steps.P1(steps.Fail), p2.step())

		if !checkStartedTogether(t, call, p2) || !checkReturned(t, call, p2) {
			return
		}
		if rep := p2.report(); !isCancellation(rep.err) || rep.ended != ms(700) {
			t.Errorf("%s: p2 returned %v at %v, want it stopped by ctx at 700ms: pass GatherAll's ctx "+
				"to each step's Run, and don't cancel a step because the other one failed", call, rep.err, rep.ended)
			return
		}
		if checkAllErrors(t, call, err, []stepFailure{{"p1", steps.ErrPromiseRejected}, {"p2", context.DeadlineExceeded}}) &&
			checkResults(t, call, r1, r2, "", "") {
			katatest.Elapsed(t, start, ms(700), "p2 stops as soon as ctx ends")
		}
	})
}
