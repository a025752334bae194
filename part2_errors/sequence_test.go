package errs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	errs "github.com/go-async-katas/katas/part2_errors"
	"github.com/go-async-katas/katas/part2_errors/steps"
)

func TestSequence(t *testing.T) {
	tests := []struct {
		name      string
		giveP1OK  bool
		giveP2OK  bool
		want1     string
		want2     string
		wantStep  string // the step whose error comes back; "" for none
		wantErr   error
		wantP2Ran bool
	}{
		{"both succeed", true, true, "p1 succeeded", "p2 succeeded", "", nil, true},
		{"p1 fails", false, true, "", "", "p1", steps.ErrPromiseRejected, false},
		{"p2 fails", true, false, "p1 succeeded", "", "p2", steps.ErrErrorThrown, true},
		{"both fail", false, false, "", "", "p1", steps.ErrPromiseRejected, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				s1, s2 := spec{"p1", steps.P1Delay, tt.giveP1OK, false}, spec{"p2", steps.P2Delay, tt.giveP2OK, false}
				sc := newScene(fmt.Sprintf("Sequence(%v, %v)", s1, s2), wantSequence(never, s1, s2))
				call := sc.call
				p1, p2 := sc.watch(s1.step()), sc.watch(s2.step())
				r1, r2, err := errs.Sequence(t.Context(), p1.step(), p2.step())
				sc.returned()

				checkRan(t, call, p1)
				checkRanAfterP1(t, call, p2, tt.wantP2Ran)
				checkOnCallersGoroutine(t, call, p1, p2)
				checkResults(t, call, r1, r2, tt.want1, tt.want2)
				checkOutcome(t, call, err, tt.wantStep, tt.wantErr)
				sc.checkTook(t, "one step after the other, stopping at the first failure (p1 takes 0.5s, p2 1s)")
			})
		})
	}
}

// checkRanAfterP1 checks that p2, which the test passed to Sequence, ran after p1 (0.5s)
// if wantRan, and did not run at all otherwise.
func checkRanAfterP1(t *testing.T, call string, p *probe, wantRan bool) {
	t.Helper()
	switch p2 := p.report(); {
	case !wantRan && p2.runs > 0:
		t.Fatalf("%s ran p2 although p1 failed: stop at the first failure and return its error, "+
			"as the seed's main does when await p1() raises%s", call, pictureOf(p))
	case wantRan && p2.runs == 0:
		t.Fatalf("%s never ran p2: once p1 has succeeded, run p2%s", call, pictureOf(p))
	case wantRan && p2.started < steps.P1Delay:
		t.Fatalf("%s started p2 at %v, before p1 had finished (at %v): the steps run one after the other here, "+
			"so call p2.Run only after p1.Run has returned%s", call, p2.started, steps.P1Delay, pictureOf(p))
	case wantRan && p2.runs > 1:
		t.Fatalf("%s ran p2 %d times, want once%s", call, p2.runs, pictureOf(p))
	}
}

// checkOnCallersGoroutine checks that call ran each probed step that ran on the goroutine
// that called it: Sequence's doc says it starts no goroutines.
func checkOnCallersGoroutine(t *testing.T, call string, probes ...*probe) {
	t.Helper()
	me := gotrace.Self().ID
	for _, p := range probes {
		if r := p.report(); r.runs > 0 && r.goroutine != me {
			t.Fatalf("%s ran %s on another goroutine, want on the caller's: Sequence starts no goroutines. "+
				"Call %s.Run(ctx) directly; then a panic in it happens on Sequence's own goroutine, "+
				"the only place a deferred recover() can catch it", call, p.inner.Name, p.inner.Name)
		}
	}
}

func TestSequenceCatchesPanics(t *testing.T) {
	// A Sequence that runs a step on a goroutine of its own cannot recover its panic, and the
	// panic would end the test binary: run this test in a child process of its own.
	katatest.Isolated(t, explainSequenceCrash, func(t *testing.T) {
		tests := []struct {
			name      string
			giveP1    steps.Step
			giveP2    steps.Step
			giveCall  string
			want1     string
			wantStep  string
			wantPanic any
			wantTook  time.Duration
			wantP2Ran bool
		}{
			{
				"p1 panics", steps.Panicking("p1", steps.P1Delay, "boom"), steps.P2(steps.Succeed),
				`Sequence(p1 panics with "boom", p2 succeeds)`, "", "p1", "boom", ms(500), false,
			},
			{
				"p2 panics", steps.P1(steps.Succeed), steps.Panicking("p2", steps.P2Delay, steps.ErrErrorThrown),
				"Sequence(p1 succeeds, p2 panics with steps.ErrErrorThrown)", "p1 succeeded", "p2", steps.ErrErrorThrown, ms(1500), true,
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					start := time.Now()
					p1, p2 := watch(tt.giveP1), watch(tt.giveP2)
					r1, r2, panicked, err := sequenceCatching(t.Context(), p1.step(), p2.step())

					checkRan(t, tt.giveCall, p1)
					if panicked != nil {
						t.Fatalf("%s panicked (%v) instead of returning an error: catch everything. In Sequence, "+
							"defer a function that calls recover() and turns the panic into "+
							"&steps.StepError{Step: step.Name, Err: &steps.PanicError{Value: r}}", tt.giveCall, panicked)
					}
					if err == nil {
						t.Fatalf("%s returned a nil error: the panic was swallowed. A recovered panic is a failure: "+
							"return it as &steps.StepError{Step: step.Name, Err: &steps.PanicError{Value: r}}. "+
							"The deferred function can change what its function returns only through named results "+
							"(func run(...) (result string, err error)): setting a local variable after recover() is lost", tt.giveCall)
					}
					var panicErr *steps.PanicError
					if !errors.As(err, &panicErr) {
						t.Fatalf("%s returned error %q; errors.As(err, *steps.PanicError) = false, want true: "+
							"turn the recovered value r into &steps.PanicError{Value: r}, so callers can tell a panic from a failure",
							tt.giveCall, err)
					}
					if panicErr.Value != tt.wantPanic {
						t.Fatalf("%s returned a PanicError with Value %#v, want %#v: keep the value recover() returned",
							tt.giveCall, panicErr.Value, tt.wantPanic)
					}
					if findStepError(err, tt.wantStep) == nil {
						t.Fatalf("%s returned error %q, which has no StepError for %q: wrap the PanicError in "+
							"&steps.StepError{Step: step.Name, Err: ...} too, so the caller knows which step panicked",
							tt.giveCall, err, tt.wantStep)
					}
					checkRanAfterP1(t, tt.giveCall, p2, tt.wantP2Ran)
					checkResults(t, tt.giveCall, r1, r2, tt.want1, "")
					katatest.Elapsed(t, start, tt.wantTook, "one step after the other, stopping at the first failure")
				})
			})
		}
	})
}

// explainSequenceCrash names the likely cause when Sequence crashed the test binary.
func explainSequenceCrash(c katatest.Child) string {
	if strings.Contains(c.Crash, "panic: ") {
		return "A step's panic escaped Sequence on a goroutine other than the test's: Sequence starts no goroutines. " +
			"Run each step on Sequence's own goroutine, and recover the panic in a deferred function there"
	}
	return ""
}

// sequenceCatching calls Sequence and recovers a panic that escapes it.
func sequenceCatching(ctx context.Context, p1, p2 steps.Step) (r1, r2 string, panicked any, err error) {
	defer func() { panicked = recover() }()
	r1, r2, err = errs.Sequence(ctx, p1, p2)
	return r1, r2, nil, err
}

func TestSequenceNamesTheStep(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		// Steps with other names, and a second step that fails with the first one's error:
		// only the step itself can say which step failed.
		load := steps.New("load", steps.P1Delay, "loaded", steps.ErrErrorThrown, steps.Succeed)
		save := steps.New("save", steps.P2Delay, "saved", steps.ErrPromiseRejected, steps.Fail)
		call := "Sequence(load succeeds, save fails with steps.ErrPromiseRejected)"
		start := time.Now()
		p1, p2 := watch(load), watch(save)
		r1, r2, err := errs.Sequence(t.Context(), p1.step(), p2.step())

		checkRan(t, call, p1, p2)
		checkStepError(t, call, err, "save", steps.ErrPromiseRejected)
		checkResults(t, call, r1, r2, "loaded", "")
		katatest.Elapsed(t, start, ms(1500), "one step after the other: 0.5s + 1s")
	})
}

// TestSequenceStopsWhenCancelled ends Sequence's ctx at 700ms, while p2 runs, in each way a
// context ends: its deadline, a cancel with a cause, its parent's cancel.
func TestSequenceStopsWhenCancelled(t *testing.T) {
	for _, end := range endings {
		t.Run(end.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx := end.ctx(t)
				s1, s2 := spec{"p1", steps.P1Delay, true, false}, spec{"p2", steps.P2Delay, true, false}
				sc := newScene(fmt.Sprintf("Sequence(%v, %v) with a context that ends at 700ms (%s)", s1, s2, end.name),
					wantSequence(ms(700), s1, s2))
				p1, p2 := sc.watch(s1.step()), sc.watch(s2.step())
				r1, r2, err := errs.Sequence(ctx, p1.step(), p2.step())
				sc.returned()

				checkRan(t, sc.call, p1, p2)
				checkStoppedAt700(t, sc, p2, r1, r2, err, end.wantErr, "pass Sequence's ctx to each step's Run")
			})
		})
	}
}

// TestSequenceCancelledDuringP1 cancels Sequence's ctx while p1 runs: p1 stops, and p2,
// which could only fail the same way, is not started.
func TestSequenceCancelledDuringP1(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ctx := cancelAt(t.Context(), ms(200))
		s1, s2 := spec{"p1", steps.P1Delay, true, false}, spec{"p2", steps.P2Delay, true, false}
		sc := newScene(fmt.Sprintf("Sequence(%v, %v) with a context cancelled at 200ms", s1, s2), wantSequence(ms(200), s1, s2))
		call := sc.call
		p1, p2 := sc.watch(s1.step()), sc.watch(s2.step())
		r1, r2, err := errs.Sequence(ctx, p1.step(), p2.step())
		sc.returned()

		checkRan(t, call, p1)
		checkCtxEnded(t, call, p1, ms(200), "ctx was cancelled at 200ms, while p1 ran: pass Sequence's ctx to each step's Run")
		checkRanAfterP1(t, call, p2, false)
		checkStepError(t, call, err, "p1", context.Canceled)
		checkResults(t, call, r1, r2, "", "")
		sc.checkTook(t, "p1 stops as soon as ctx ends, and its error ends Sequence")
	})
}

// TestSequenceFinishAsCtxEnds has p2 end at the very instant Sequence's ctx times out, again
// and again: p2's success is a success, and p2 stopped by ctx is p2's failure.
func TestSequenceFinishAsCtxEnds(t *testing.T) {
	checkFinishAsCtxEnds(t, "Sequence", time.Second, ms(1500), errs.Sequence, func(t *testing.T, call string, err error) {
		checkStepError(t, call, err, "p2", context.DeadlineExceeded)
	})
}

// TestSequenceCtxEndsAsP1Ends has Sequence's ctx time out at the very instant p1 succeeds,
// again and again. Either p1 sees the end first (p1's failure), or p1's success is kept and p2
// fails (or is not started) because ctx has ended: each way, the error is a *steps.StepError
// naming the step, and r1 is p1's result when p1 succeeded.
func TestSequenceCtxEndsAsP1Ends(t *testing.T) {
	s1, s2 := spec{"p1", steps.P1Delay, true, false}, spec{"p2", time.Second, true, false}
	call := fmt.Sprintf("Sequence(%v, %v) with a context that times out at %v, the instant p1 ends", s1, s2, steps.P1Delay)
	katatest.Bubble(t, func(t *testing.T) {
		for range 50 {
			ctx, cancel := context.WithTimeout(t.Context(), steps.P1Delay)
			p1, p2 := watch(s1.step()), watch(s2.step())
			r1, r2, err := errs.Sequence(ctx, p1.step(), p2.step())
			cancel()

			checkReturned(t, call, p1, p2)
			if p1.report().err != nil {
				checkStepError(t, call+" (p1 stopped as ctx ended)", err, "p1", context.DeadlineExceeded)
				checkResults(t, call+" (p1 stopped as ctx ended)", r1, r2, "", "")
				continue
			}
			// p1 succeeded: ctx ended before p2 could, so the failure is p2's, and r1 is kept.
			checkStepError(t, call+" (p1 succeeded as ctx ended, so p2 fails with ctx's error)", err, "p2", context.DeadlineExceeded)
			checkResults(t, call+" (p1 succeeded as ctx ended)", r1, r2, "p1 succeeded", "")
		}
	})
}
