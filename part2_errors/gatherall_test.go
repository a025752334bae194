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

func TestGatherAll(t *testing.T) {
	var (
		p1OK   = spec{"p1", ms(500), true, false}
		p1Fail = spec{"p1", ms(500), false, false}
		p2OK   = spec{"p2", time.Second, true, false}
		p2Fail = spec{"p2", time.Second, false, false}
	)
	tests := []struct {
		name     string
		giveP1   spec
		giveP2   spec
		want1    string
		want2    string
		wantErrs []stepFailure
	}{
		{"both succeed", p1OK, p2OK, "p1 succeeded", "p2 succeeded", nil},
		{"p1 fails", p1Fail, p2OK, "", "p2 succeeded", []stepFailure{{"p1", steps.ErrPromiseRejected}}},
		{"p2 fails", p1OK, p2Fail, "p1 succeeded", "", []stepFailure{{"p2", steps.ErrErrorThrown}}},
		{"both fail", p1Fail, p2Fail, "", "", []stepFailure{{"p1", steps.ErrPromiseRejected}, {"p2", steps.ErrErrorThrown}}},
		// The roles swapped: the second step finishes first.
		{"p2 first", spec{"p1", time.Second, true, false}, spec{"p2", ms(500), true, false}, "p1 succeeded", "p2 succeeded", nil},
		{"p2 fails first", spec{"p1", time.Second, true, false}, spec{"p2", ms(500), false, false},
			"p1 succeeded", "", []stepFailure{{"p2", steps.ErrErrorThrown}}},
		{"both fail, p2 first", spec{"p1", time.Second, false, false}, spec{"p2", ms(500), false, false},
			"", "", []stepFailure{{"p1", steps.ErrPromiseRejected}, {"p2", steps.ErrErrorThrown}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				g := gather(t, errs.GatherAll, t.Context(), fmt.Sprintf("GatherAll(%v, %v)", tt.giveP1, tt.giveP2),
					wantGather(false, never, 0, tt.giveP1, tt.giveP2), tt.giveP1, tt.giveP2)

				checkAllRanToEnd(t, g.call, g.p1, g.p2)
				checkResults(t, g.call, g.r1, g.r2, tt.want1, tt.want2)
				checkAllErrors(t, g.call, g.err, tt.wantErrs)
				g.checkTook(t, "both steps at once, waiting for both: as long as the slower one")
			})
		})
	}
}

// checkAllRanToEnd checks that no probed step's context ended while it ran.
func checkAllRanToEnd(t *testing.T, call string, probes ...*probe) {
	t.Helper()
	for _, p := range probes {
		checkCtxEnded(t, call, p, -1, "GatherAll waits for every step and reports every failure, "+
			"so a failure must not cancel the other step")
	}
}

// checkAllErrors checks that err holds exactly the failures want, each findable with
// errors.Is and errors.As, or is nil when want is empty.
func checkAllErrors(t *testing.T, call string, err error, want []stepFailure) {
	t.Helper()
	if len(want) == 0 {
		checkNoError(t, call, err)
		return
	}
	for _, w := range want {
		missing := fmt.Sprintf("%s failed, but its error is not in the one GatherAll returned. "+
			"Keep both steps' errors and combine them with errors.Join(err1, err2), "+
			"so the caller sees every failure", w.step)
		if msg := stepErrorProblem(call, err, w.step, w.err, missing); msg != "" {
			t.Fatal(msg)
		}
	}
	if hint := nilHint(err); hint != nilHint(nil) {
		t.Fatalf("%s returned error %q, which holds more than the failures: %s", call, err, hint)
	}
	for _, name := range stepNames(err) {
		if !slices.ContainsFunc(want, func(w stepFailure) bool { return w.step == name }) {
			t.Fatalf("%s returned error %q, which has a StepError for %s, but %s succeeded: %s",
				call, err, name, name, nilHint(err))
		}
	}
}

// TestGatherAllBothFailAtOnce has both steps fail, or finish, at the same instant, again and
// again: two goroutines writing one shared error or result without a lock is a data race the
// race detector reports only when it sees it happen.
func TestGatherAllBothFailAtOnce(t *testing.T) {
	tests := []struct {
		name     string
		giveOK   bool
		want1    string
		want2    string
		wantErrs []stepFailure
	}{
		{"both fail", false, "", "", []stepFailure{{"p1", steps.ErrPromiseRejected}, {"p2", steps.ErrErrorThrown}}},
		{"both succeed", true, "p1 succeeded", "p2 succeeded", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("GatherAll(%s at 500ms, %s at 500ms)", outcome("p1", tt.giveOK), outcome("p2", tt.giveOK))
				for range 50 {
					start := time.Now()
					s1, s2 := atOnce(tt.giveOK, tt.giveOK)
					p1, p2 := watchBlind(s1), watchBlind(s2)
					r1, r2, err := errs.GatherAll(t.Context(), p1.step(), p2.step())

					checkStartedTogether(t, call, p1, p2)
					checkReturned(t, call, p1, p2)
					checkResults(t, call, r1, r2, tt.want1, tt.want2)
					checkAllErrors(t, call, err, tt.wantErrs)
					katatest.Elapsed(t, start, ms(500), "both steps at once, both ending at 0.5s")
				}
			})
		})
	}
}

// TestGatherAllStopsWhenCancelled ends GatherAll's ctx at 700ms, after p1 failed and while
// p2 runs, in each way a context ends: p2 stops, and its error joins p1's.
func TestGatherAllStopsWhenCancelled(t *testing.T) {
	for _, end := range endings {
		t.Run(end.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				s1, s2 := spec{"p1", ms(500), false, false}, spec{"p2", time.Second, true, false}
				g := gather(t, errs.GatherAll, end.ctx(t), fmt.Sprintf("GatherAll(%v, %v) with a context that ends at 700ms (%s)", s1, s2, end.name),
					wantGather(false, ms(700), 0, s1, s2), s1, s2)
				call, p2 := g.call, g.p2

				checkCtxEnded(t, call, p2, ms(700), "GatherAll's ctx ended at 700ms: pass GatherAll's ctx to each step's Run, "+
					"and don't cancel a step because the other one failed")
				if rep := p2.report(); !isCancellation(rep.err) || rep.ended != ms(700) {
					t.Fatalf("%s: p2 returned %v at %v, want it stopped by ctx at 700ms: pass GatherAll's ctx "+
						"to each step's Run, and don't cancel a step because the other one failed%s", call, rep.err, rep.ended, g.picture())
				}
				checkAllErrors(t, call, g.err, []stepFailure{{"p1", steps.ErrPromiseRejected}, {"p2", end.wantErr}})
				checkResults(t, call, g.r1, g.r2, "", "")
				g.checkTook(t, "p2 stops as soon as ctx ends")
			})
		})
	}
}

// TestGatherAllCancelledWhileBothRun cancels GatherAll's ctx while both steps run: both
// stop, and both cancellations come back, each in its StepError.
func TestGatherAllCancelledWhileBothRun(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		s1, s2 := spec{"p1", ms(500), true, false}, spec{"p2", time.Second, true, false}
		g := gather(t, errs.GatherAll, cancelAt(t.Context(), ms(300)),
			fmt.Sprintf("GatherAll(%v, %v) with a context cancelled at 300ms", s1, s2), wantGather(false, ms(300), 0, s1, s2), s1, s2)

		for _, p := range []*probe{g.p1, g.p2} {
			checkCtxEnded(t, g.call, p, ms(300), "ctx was cancelled at 300ms: pass GatherAll's ctx (or a context derived from it) to each step's Run")
		}
		checkAllErrors(t, g.call, g.err, []stepFailure{{"p1", context.Canceled}, {"p2", context.Canceled}})
		checkResults(t, g.call, g.r1, g.r2, "", "")
		g.checkTook(t, "both steps stop as soon as ctx ends")
	})
}

// TestGatherAllFinishAsCtxEnds has p2 end at the very instant GatherAll's ctx times out,
// again and again: p2's success is a success, and p2 stopped by ctx is the one failure.
func TestGatherAllFinishAsCtxEnds(t *testing.T) {
	checkFinishAsCtxEnds(t, "GatherAll", time.Second, time.Second, errs.GatherAll, func(t *testing.T, call string, err error) {
		checkAllErrors(t, call, err, []stepFailure{{"p2", context.DeadlineExceeded}})
	})
}
