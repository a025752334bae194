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
	var (
		p1OK   = spec{"p1", ms(500), true, false}
		p1Fail = spec{"p1", ms(500), false, false}
		p2OK   = spec{"p2", time.Second, true, false}
		p2Fail = spec{"p2", time.Second, false, false}
	)
	tests := []struct {
		name       string
		giveP1     spec
		giveP2     spec
		want1      string
		want2      string
		wantStep   string // the step whose error comes back; "" for none
		wantErr    error
		wantCancel string // the step whose context GatherFirst ends at the first failure; "" for none
	}{
		{"both succeed", p1OK, p2OK, "p1 succeeded", "p2 succeeded", "", nil, ""},
		{"p1 fails", p1Fail, p2OK, "", "", "p1", steps.ErrPromiseRejected, "p2"},
		{"p2 fails", p1OK, p2Fail, "p1 succeeded", "", "p2", steps.ErrErrorThrown, ""},
		{"both fail", p1Fail, p2Fail, "", "", "p1", steps.ErrPromiseRejected, "p2"},
		// The roles swapped: the second step fails first.
		{"p2 fails first", spec{"p1", time.Second, true, false}, spec{"p2", ms(500), false, false},
			"", "", "p2", steps.ErrErrorThrown, "p1"},
		{"both fail, p2 first", spec{"p1", time.Second, false, false}, spec{"p2", ms(500), false, false},
			"", "", "p2", steps.ErrErrorThrown, "p1"},
		// p1 ignores its ctx, so it fails late however early it is cancelled: the first
		// failure in time is still p2's, although p1 comes first in the list.
		{"p1 deaf, fails last", spec{"p1", time.Second, false, true}, spec{"p2", ms(500), false, false},
			"", "", "p2", steps.ErrErrorThrown, "p1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				g := gather(t, errs.GatherFirst, t.Context(), fmt.Sprintf("GatherFirst(%v, %v)", tt.giveP1, tt.giveP2),
					wantGather(true, never, 0, tt.giveP1, tt.giveP2), tt.giveP1, tt.giveP2)
				call := g.call

				first := min(tt.giveP1.delay, tt.giveP2.delay)
				for _, p := range []*probe{g.p1, g.p2} {
					if p.inner.Name == tt.wantCancel {
						checkCtxEnded(t, call, p, first, fmt.Sprintf("%s failed at %v: run the steps with a context you cancel "+
							"on the first failure, so nothing keeps working for a result nobody will use. "+
							"errgroup.WithContext(ctx) returns that context: pass it (not GatherFirst's ctx) to each step's Run",
							tt.wantStep, first))
					} else {
						checkCtxEnded(t, call, p, -1, "no other step had failed yet: cancel the other step only when one fails")
					}
				}
				checkResults(t, call, g.r1, g.r2, tt.want1, tt.want2)
				checkOutcome(t, call, g.err, tt.wantStep, tt.wantErr)
				g.checkTook(t, "both steps at once, stopping at the first failure, then waiting for the other step to return")
			})
		})
	}
}

func TestGatherFirstWaitsForCancelledStep(t *testing.T) {
	tests := []struct {
		name     string
		giveFast spec // fails at 0.5s
		giveSlow spec // succeeds at 1s, unless cancelled; it then takes 100ms to stop
		swapped  bool // the slow step comes first in the argument list
	}{
		{"p1 fails", spec{"p1", ms(500), false, false}, spec{"p2", time.Second, true, false}, false},
		{"p2 fails", spec{"p2", ms(500), false, false}, spec{"p1", time.Second, true, false}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				first, second := tt.giveFast, tt.giveSlow
				if tt.swapped {
					first, second = second, first
				}
				sc := newScene(fmt.Sprintf("GatherFirst(%v, %v), %s needing 100ms to stop once cancelled",
					first, second, tt.giveSlow.name), wantGather(true, never, ms(100), first, second))
				call := sc.call
				a, b := sc.watch(first.step()), sc.watch(second.step())
				slow := b
				if tt.swapped {
					slow = a
				}
				slow.windDown = ms(100)
				_, _, err := errs.GatherFirst(t.Context(), a.step(), b.step())
				sc.returned()

				checkStartedTogether(t, call, a, b)
				checkReturned(t, call, a, b)
				checkCtxEnded(t, call, slow, ms(500), tt.giveFast.name+" failed at 500ms: cancel the other step on the first failure")
				checkStepError(t, call, err, tt.giveFast.name, failure(tt.giveFast.name))
				sc.checkTook(t, fmt.Sprintf(
					"%s fails at 0.5s, then the cancelled %s takes 0.1s to stop: cancel it, then wait for it",
					tt.giveFast.name, tt.giveSlow.name))
			})
		})
	}
}

// TestGatherFirstBothFailAtOnce has both steps fail at the same instant, again and again:
// either failure may come first, and the race detector sees a first-error slot that both
// goroutines write without a lock.
func TestGatherFirstBothFailAtOnce(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "GatherFirst(p1 fails at 500ms, p2 fails at 500ms)"
		for range 50 {
			start := time.Now()
			s1, s2 := atOnce(false, false)
			p1, p2 := watchBlind(s1), watchBlind(s2)
			r1, r2, err := errs.GatherFirst(t.Context(), p1.step(), p2.step())

			checkStartedTogether(t, call, p1, p2)
			checkReturned(t, call, p1, p2)
			checkOneStepError(t, call, err,
				stepFailure{"p1", steps.ErrPromiseRejected}, stepFailure{"p2", steps.ErrErrorThrown})
			checkResults(t, call, r1, r2, "", "")
			katatest.Elapsed(t, start, ms(500), "both steps at once, both failing at 0.5s")
		}
	})
}

// TestGatherFirstStopsWhenCancelled ends GatherFirst's ctx at 700ms, after p1 succeeded and
// while p2 runs, in each way a context ends.
func TestGatherFirstStopsWhenCancelled(t *testing.T) {
	for _, end := range endings {
		t.Run(end.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				s1, s2 := spec{"p1", ms(500), true, false}, spec{"p2", time.Second, true, false}
				g := gather(t, errs.GatherFirst, end.ctx(t), fmt.Sprintf("GatherFirst(%v, %v) with a context that ends at 700ms (%s)", s1, s2, end.name),
					wantGather(true, ms(700), 0, s1, s2), s1, s2)

				checkStoppedAt700(t, g.scene, g.p2, g.r1, g.r2, g.err, end.wantErr,
					"run the steps with GatherFirst's ctx or a context derived from it")
			})
		})
	}
}

// TestGatherFirstCancelledWhileBothRun cancels GatherFirst's ctx while both steps run: both
// stop, and the error is the first to stop, whichever that was, in its StepError.
func TestGatherFirstCancelledWhileBothRun(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "GatherFirst(p1 succeeds, p2 succeeds) with a context cancelled at 300ms"
		for range 20 {
			s1, s2 := spec{"p1", ms(500), true, false}, spec{"p2", time.Second, true, false}
			g := gather(t, errs.GatherFirst, cancelAt(t.Context(), ms(300)), call, wantGather(true, ms(300), 0, s1, s2), s1, s2)

			for _, p := range []*probe{g.p1, g.p2} {
				checkCtxEnded(t, call, p, ms(300), "ctx was cancelled at 300ms: pass GatherFirst's ctx (or a context derived from it) to each step's Run")
			}
			checkOneStepError(t, call, g.err, stepFailure{"p1", context.Canceled}, stepFailure{"p2", context.Canceled})
			checkResults(t, call, g.r1, g.r2, "", "")
			g.checkTook(t, "both steps stop as soon as ctx ends")
		}
	})
}

// TestGatherFirstFinishAsCtxEnds has p2 end at the very instant GatherFirst's ctx times out,
// again and again: p2's success is a success, and p2 stopped by ctx is the failure.
func TestGatherFirstFinishAsCtxEnds(t *testing.T) {
	checkFinishAsCtxEnds(t, "GatherFirst", time.Second, time.Second, errs.GatherFirst, func(t *testing.T, call string, err error) {
		checkStepError(t, call, err, "p2", context.DeadlineExceeded)
	})
}
