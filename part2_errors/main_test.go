package errs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
	"github.com/go-async-katas/katas/part2_errors/steps"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// ms is shorthand for a number of milliseconds in the test tables.
func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// probe wraps a step and records, in fake time since the probe was made, when the kata
// started it, on which goroutine, when the step's context ended, when it returned and what it
// returned: enough to tell whether the kata ran it at all, ran it at the same time as the
// other step, cancelled it and waited for it. Make it inside the bubble, just before calling
// the kata.
type probe struct {
	inner    steps.Step
	windDown time.Duration // extra time the step needs to stop once its context has ended
	blind    bool          // does not watch the step's context (see watchBlind)
	start    time.Time
	scene    *scene // the call the step was given to, if the test drew one

	mu        sync.Mutex // the kata may run the step on another goroutine
	runs      int
	started   time.Duration
	goroutine int64 // the goroutine the kata ran the step on
	returned  bool
	ended     time.Duration
	err       error
	panicked  bool
	ctxEnded  time.Duration // when the step's context ended; -1 if it had not when the step returned
}

// watch returns a probe around step.
func watch(step steps.Step) *probe {
	return &probe{inner: step, start: time.Now(), ctxEnded: -1}
}

// watchBlind returns a probe around step that does not watch the step's context, so that it
// adds no synchronisation between the goroutines that run the steps: watching a context
// shared by both goroutines locks the context's mutex, which would order what one goroutine
// does before the other and hide a data race between them from the race detector.
func watchBlind(step steps.Step) *probe {
	p := watch(step)
	p.blind = true
	return p
}

// step returns the step to pass to the kata.
func (p *probe) step() steps.Step {
	return steps.Step{Name: p.inner.Name, Run: p.run}
}

func (p *probe) run(ctx context.Context) (result string, err error) {
	p.mu.Lock()
	p.runs++
	p.started = time.Since(p.start)
	p.goroutine = gotrace.Self().ID
	p.mu.Unlock()
	noteEnd := func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.ctxEnded < 0 {
			p.ctxEnded = time.Since(p.start)
		}
	}
	stop := func() bool { return true }
	if !p.blind {
		stop = context.AfterFunc(ctx, noteEnd)
	}
	defer func() { // deferred, so a panicking step is recorded as returned too
		// The context may have ended at this very instant, its AfterFunc not started yet.
		if !p.blind && (!stop() || ctx.Err() != nil) {
			noteEnd()
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		p.returned, p.ended, p.err = true, time.Since(p.start), err
	}()
	panicked := true
	defer func() {
		if panicked {
			p.mu.Lock()
			p.panicked = true
			p.mu.Unlock()
		}
	}()
	result, err = p.inner.Run(ctx)
	panicked = false
	if p.windDown > 0 && ctx.Err() != nil {
		time.Sleep(p.windDown)
	}
	return result, err
}

// probeReport is what a probe saw, read at one moment.
type probeReport struct {
	runs      int
	started   time.Duration
	goroutine int64
	returned  bool
	ended     time.Duration
	err       error
	panicked  bool
	ctxEnded  time.Duration
}

func (p *probe) report() probeReport {
	p.mu.Lock()
	defer p.mu.Unlock()
	return probeReport{p.runs, p.started, p.goroutine, p.returned, p.ended, p.err, p.panicked, p.ctxEnded}
}

// scene is one call of a kata as the checks see it: the call rebuilt for messages, the
// steps it was given (each watched by a probe), when it returned, and the timeline the
// kata wants. A check about time, order or cancellation that fails draws what the probes
// saw above what the kata wants (internal/timeline).
type scene struct {
	call   string
	want   *timeline.Timeline
	start  time.Time
	probes []*probe
	took   time.Duration
}

// newScene starts the scene of call, whose wanted timeline is want: make it inside the
// bubble, just before the call.
func newScene(call string, want *timeline.Timeline) *scene {
	return &scene{call: call, want: want, start: time.Now()}
}

// watch returns a probe around step, given to the scene's call.
func (sc *scene) watch(step steps.Step) *probe {
	p := watch(step)
	p.start, p.scene = sc.start, sc
	sc.probes = append(sc.probes, p)
	return p
}

// returned notes that the call returned: call it on the line after the call.
func (sc *scene) returned() { sc.took = time.Since(sc.start) }

// picture draws what the probes saw above the timeline the kata wants, after a blank line,
// for the end of a failure message; "" for no scene.
func (sc *scene) picture() string {
	if sc == nil || sc.want == nil {
		return ""
	}
	got := timeline.Timeline{Returned: true, ReturnAt: sc.took}
	for _, p := range sc.probes {
		r := p.report()
		if r.runs == 0 {
			continue
		}
		span := timeline.Span{Name: p.inner.Name, Start: r.started, End: r.ended, Outcome: timeline.Done}
		switch {
		case !r.returned:
			span.End, span.Outcome = time.Since(sc.start), timeline.Running
		case r.panicked:
			span.Outcome = timeline.Failed
		case isCancellation(r.err):
			span.Outcome = timeline.Cancelled
		case r.err != nil:
			span.Outcome = timeline.Failed
		}
		got.Spans = append(got.Spans, span)
	}
	return "\n\n" + timeline.Diff(got, *sc.want, timeline.StyleFromEnv())
}

// gathered is a call of GatherAll or GatherFirst as gather made it: its scene, the probes of
// its two steps, and what it returned.
type gathered struct {
	*scene
	p1, p2 *probe
	r1, r2 string
	err    error
}

// gather calls kata (errs.GatherAll or errs.GatherFirst) with ctx and the steps s1 and s2, in
// the scene of call that wants want, and checks that it started both steps at once and had
// waited for both when it returned.
func gather(t *testing.T, kata func(context.Context, steps.Step, steps.Step) (string, string, error),
	ctx context.Context, call string, want *timeline.Timeline, s1, s2 spec) gathered {
	t.Helper()
	g := gathered{scene: newScene(call, want)}
	g.p1, g.p2 = g.watch(s1.step()), g.watch(s2.step())
	g.r1, g.r2, g.err = kata(ctx, g.p1.step(), g.p2.step())
	g.returned()
	checkStartedTogether(t, call, g.p1, g.p2)
	checkReturned(t, call, g.p1, g.p2)
	return g
}

// checkFinishAsCtxEnds runs the kata named name 50 times on p1 (0.5s) and p2 (p2Delay), which
// ends at the very instant ctx times out, at end: p2 may see its time up or ctx end first,
// and both must be handled. When p2 succeeded, the call returns both results and no error;
// when it stopped with context.DeadlineExceeded, checkFailed checks the call's error, and the
// results are p1's and "".
func checkFinishAsCtxEnds(t *testing.T, name string, p2Delay, end time.Duration,
	kata func(context.Context, steps.Step, steps.Step) (string, string, error), checkFailed func(t *testing.T, call string, err error)) {
	s1, s2 := spec{"p1", steps.P1Delay, true, false}, spec{"p2", p2Delay, true, false}
	call := fmt.Sprintf("%s(%v, %v) with a context that times out at %v, the instant p2 ends", name, s1, s2, end)
	katatest.Bubble(t, func(t *testing.T) {
		for range 50 {
			ctx, cancel := context.WithTimeout(t.Context(), end)
			p1, p2 := watch(s1.step()), watch(s2.step())
			r1, r2, err := kata(ctx, p1.step(), p2.step())
			cancel()

			checkRan(t, call, p1, p2)
			checkReturned(t, call, p1, p2)
			if p2.report().err == nil {
				if err != nil {
					t.Fatalf("%s returned error %q although both steps succeeded (p2 at the very instant ctx ended), want nil: "+
						"when every step succeeded, return their results and no error. ctx.Err() once the steps have returned "+
						"says only that ctx has ended since, not that a step failed", call, err)
				}
				checkResults(t, call+" (both steps succeeded)", r1, r2, "p1 succeeded", "p2 succeeded")
				continue
			}
			checkFailed(t, call+" (p2 stopped as ctx ended)", err)
			checkResults(t, call+" (p2 stopped as ctx ended)", r1, r2, "p1 succeeded", "")
		}
	})
}

// checkTook checks that the call took as long as the kata wants, drawing the scene if not.
func (sc *scene) checkTook(t *testing.T, hint string) {
	t.Helper()
	if sc.took != sc.want.ReturnAt {
		t.Fatalf("%s took %v of fake time, want %v: %s%s", sc.call, sc.took, sc.want.ReturnAt, hint, sc.picture())
	}
}

// pictureOf returns the picture of the scene the probes belong to, if any.
func pictureOf(probes ...*probe) string {
	for _, p := range probes {
		if p.scene != nil {
			return p.scene.picture()
		}
	}
	return ""
}

// never is a ctxEnd for a context that does not end during the call.
const never time.Duration = 0

// wantGather returns the timeline a gather of specs wants when its context ends at ctxEnd
// (never for no end): every step from the start; with cancelOnFailure (GatherFirst), the
// steps still running at the first failure are cancelled then, except those that ignore
// their context. A cancelled step takes windDown more to stop. The call returns when the
// last step has.
func wantGather(cancelOnFailure bool, ctxEnd, windDown time.Duration, specs ...spec) *timeline.Timeline {
	stop := ctxEnd
	if cancelOnFailure {
		for _, s := range specs {
			if !s.ok && (s.deaf || stop == never || s.delay < stop) {
				stop = s.delay
			}
		}
	}
	want := timeline.Want()
	var last time.Duration
	for _, s := range specs {
		end, outcome := s.delay, timeline.Done
		switch {
		case stop != never && !s.deaf && stop < s.delay:
			end, outcome = stop+windDown, timeline.Cancelled
		case !s.ok:
			outcome = timeline.Failed
		}
		want.Task(s.name, 0, end, outcome)
		last = max(last, end)
	}
	return want.Return(last)
}

// wantSequence returns the timeline Sequence wants for specs when its context ends at
// ctxEnd (never for no end): each step after the one before has succeeded, the first to
// fail (or to be cancelled) the last.
func wantSequence(ctxEnd time.Duration, specs ...spec) *timeline.Timeline {
	want := timeline.Want()
	var at time.Duration
	for _, s := range specs {
		end, outcome := at+s.delay, timeline.Done
		switch {
		case ctxEnd != never && ctxEnd < end:
			end, outcome = ctxEnd, timeline.Cancelled
		case !s.ok:
			outcome = timeline.Failed
		}
		want.Task(s.name, at, end, outcome)
		at = end
		if outcome != timeline.Done {
			break
		}
	}
	return want.Return(at)
}

// spec describes a step for a test table: one of the seed's steps ("p1" fails with
// steps.ErrPromiseRejected, "p2" with steps.ErrErrorThrown), how long it takes, whether it
// succeeds, and whether it ignores its context (a step that does not stop when cancelled,
// like a call that takes no context).
type spec struct {
	name  string
	delay time.Duration
	ok    bool
	deaf  bool
}

// failure is the error the step of this name fails with.
func failure(name string) error {
	if name == "p1" {
		return steps.ErrPromiseRejected
	}
	return steps.ErrErrorThrown
}

// step returns the step s describes.
func (s spec) step() steps.Step {
	step := steps.New(s.name, s.delay, s.name+" succeeded", failure(s.name), succeedIf(s.ok))
	if s.deaf {
		run := step.Run
		step.Run = func(ctx context.Context) (string, error) { return run(context.WithoutCancel(ctx)) }
	}
	return step
}

// String describes s for the call in a failure message: "p1 fails at 500ms".
func (s spec) String() string {
	desc := fmt.Sprintf("%s at %v", outcome(s.name, s.ok), s.delay)
	if s.deaf {
		desc += " ignoring its ctx"
	}
	return desc
}

// atOnce returns steps p1 and p2 that both end at 500ms, woken by one event, and ignore
// their context (neither can be cancelled before the other ends). Two goroutines woken by
// one close run truly at the same time, with nothing ordering one after the other, so the
// race detector sees whatever they share without a lock.
func atOnce(p1OK, p2OK bool) (p1, p2 steps.Step) {
	gate := make(chan struct{})
	time.AfterFunc(ms(500), func() { close(gate) })
	gated := func(s spec) steps.Step {
		return steps.Step{Name: s.name, Run: func(context.Context) (string, error) {
			<-gate
			if !s.ok {
				return "", failure(s.name)
			}
			return s.name + " succeeded", nil
		}}
	}
	return gated(spec{"p1", ms(500), p1OK, false}), gated(spec{"p2", ms(500), p2OK, false})
}

// outcome describes a step for the call in a failure message: "p1 fails".
func outcome(name string, succeeds bool) string {
	if succeeds {
		return name + " succeeds"
	}
	return name + " fails"
}

// succeedIf returns a func for steps.P1/P2 that reports ok.
func succeedIf(ok bool) func() bool {
	if ok {
		return steps.Succeed
	}
	return steps.Fail
}

// stepFailure is a step and the error it failed with.
type stepFailure struct {
	step string
	err  error
}

// checkResults checks the two results of call.
func checkResults(t *testing.T, call, r1, r2, want1, want2 string) {
	t.Helper()
	if r1 != want1 || r2 != want2 {
		t.Fatalf("%s returned results %q, %q; want %q, %q: the result of each step that succeeded, "+
			"\"\" for one that failed or did not finish, each in its own place whichever finished first",
			call, r1, r2, want1, want2)
	}
}

// checkNoError checks that call, whose steps all succeeded, returned no error.
func checkNoError(t *testing.T, call string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s returned error %q, want nil: no step failed. %s", call, err, nilHint(err))
	}
}

// nilHint explains an error that should have been nil, or that names a step that succeeded.
func nilHint(err error) string {
	var hint string
	walk(err, func(e error) bool {
		se, ok := e.(*steps.StepError)
		switch {
		case ok && se == nil:
			hint = "It holds a nil *steps.StepError: a nil pointer stored in an error is not a nil error. " +
				"Keep your error variables of type error, and set them only when a step fails"
		case ok && se.Err == nil:
			hint = fmt.Sprintf("It holds a StepError for %s with a nil Err: wrap a step's error only when it is not nil", se.Step)
		default:
			return true
		}
		return false
	})
	if hint == "" {
		hint = "Return an error only when a step failed"
	}
	return hint
}

// checkOutcome checks err against a table row: no error when wantErr is nil, and otherwise
// wantStep's failure with wantErr (checkStepError).
func checkOutcome(t *testing.T, call string, err error, wantStep string, wantErr error) {
	t.Helper()
	if wantErr == nil {
		checkNoError(t, call, err)
		return
	}
	checkStepError(t, call, err, wantStep, wantErr)
}

// checkStepError checks that err says step wantStep failed with wantErr: errors.As finds a
// *steps.StepError for it (looking through joined errors too) and errors.Is finds wantErr.
func checkStepError(t *testing.T, call string, err error, wantStep string, wantErr error) {
	t.Helper()
	if msg := stepErrorProblem(call, err, wantStep, wantErr, ""); msg != "" {
		t.Fatal(msg)
	}
}

// checkOneStepError checks that err is the failure of one of want: either may have come
// first, as when both steps failed at the same instant, or both stopped when ctx ended.
func checkOneStepError(t *testing.T, call string, err error, want ...stepFailure) {
	t.Helper()
	var names []string
	for _, w := range want {
		if findStepError(err, w.step) != nil {
			checkStepError(t, call, err, w.step, w.err)
			return
		}
		names = append(names, fmt.Sprintf("%s's (%v)", w.step, w.err))
	}
	t.Fatalf("%s returned error %v, want %s error (either may come first) in a *steps.StepError naming the step",
		call, err, strings.Join(names, " or "))
}

// stepErrorProblem says how err fails to say step wantStep failed with wantErr, or returns
// "" when it does; missing is the hint when wantErr is nowhere in err ("" for the usual one).
func stepErrorProblem(call string, err error, wantStep string, wantErr error, missing string) string {
	if err == nil {
		return fmt.Sprintf("%s returned a nil error, want %s's error (%v): a failed step's error must reach the caller",
			call, wantStep, wantErr)
	}
	if text := err.Error(); strings.Contains(text, "%!") {
		return fmt.Sprintf("%s returned error %q, whose text holds a fmt mistake (%%!): a %%w or %%v given a nil "+
			"error, or a verb without its value. errors.Join(err1, err2) leaves out a nil error and keeps each other one",
			call, text)
	}
	if !errors.Is(err, wantErr) {
		return fmt.Sprintf("%s returned error %q; errors.Is(err, %s) = false, want true: %s",
			call, err, sentinelName(wantErr), identityHint(err, wantErr, missing))
	}
	stepErr := findStepError(err, wantStep)
	if stepErr == nil {
		var other *steps.StepError
		if errors.As(err, &other) {
			return fmt.Sprintf("%s returned error %q, a StepError for step %q; want one for %q: "+
				"take the name from the step that failed (step.Name), not from its error or its place in the list",
				call, err, other.Step, wantStep)
		}
		return fmt.Sprintf("%s returned error %q; errors.As(err, *steps.StepError) = false, want a StepError for step %q: "+
			"wrap the step's error in &steps.StepError{Step: step.Name, Err: err} so the caller can tell which step failed",
			call, err, wantStep)
	}
	if !errors.Is(stepErr.Err, wantErr) {
		return fmt.Sprintf("%s returned error %q; the StepError for %q holds %q, want %v: put the step's own error in StepError.Err",
			call, err, wantStep, stepErr.Err, wantErr)
	}
	return ""
}

// identityHint explains why errors.Is did not find want in err; missing is the hint when
// want's text is not in err either ("" for the usual one).
func identityHint(err, want error, missing string) string {
	if strings.Contains(err.Error(), want.Error()) {
		return fmt.Sprintf("the text says %q, but the error value is gone: it was turned into text "+
			"(%%v, err.Error(), errors.New) instead of wrapped. Same text is not the same error: "+
			"wrap with %%w, or keep it in StepError.Err, so errors.Is can find it", want)
	}
	if missing != "" {
		return missing
	}
	if errors.Is(err, errCause) {
		return "this is the cause given to cancel, which context.Cause(ctx) returns: the step stopped with ctx.Err(), " +
			"and that error (in its StepError) is the one to return. context.Cause is the reason the context ended, " +
			"not the error the step returned"
	}
	var other *steps.StepError
	if errors.As(err, &other) && other.Err != nil && !isCancellation(other.Err) {
		return fmt.Sprintf("this is %s's own failure, but the failure that came first in time was another step's: "+
			"return the first failure to happen, whatever the steps' places in the argument list", other.Step)
	}
	if errors.Is(err, context.Canceled) {
		return "this is the cancellation of the other step, not the failure that caused it: return the first failure " +
			"(the first in time, whatever its place in the argument list)"
	}
	return "return the step's own error, wrapped (with %w or in a StepError), not a new one"
}

// sentinelName names a want error for messages.
func sentinelName(err error) string {
	switch err {
	case steps.ErrPromiseRejected:
		return "steps.ErrPromiseRejected"
	case steps.ErrErrorThrown:
		return "steps.ErrErrorThrown"
	case context.Canceled:
		return "context.Canceled"
	case context.DeadlineExceeded:
		return "context.DeadlineExceeded"
	}
	return fmt.Sprintf("%#v", err)
}

// findStepError returns the *steps.StepError for step in err's tree (following both
// Unwrap() error and Unwrap() []error, as errors.As does), or nil.
func findStepError(err error, step string) *steps.StepError {
	var found *steps.StepError
	walk(err, func(e error) bool {
		if se, ok := e.(*steps.StepError); ok && se != nil && se.Step == step {
			found = se
			return false
		}
		return true
	})
	return found
}

// stepNames returns the names of every *steps.StepError in err's tree, outermost first.
func stepNames(err error) []string {
	var names []string
	walk(err, func(e error) bool {
		if se, ok := e.(*steps.StepError); ok && se != nil {
			names = append(names, se.Step)
		}
		return true
	})
	return names
}

// walk calls visit for err and every error it wraps, depth first, until visit returns false.
func walk(err error, visit func(error) bool) bool {
	if err == nil {
		return true
	}
	if !visit(err) {
		return false
	}
	if se, ok := err.(*steps.StepError); ok && se == nil {
		return true // a nil pointer: nothing to unwrap
	}
	switch e := err.(type) {
	case interface{ Unwrap() error }:
		return walk(e.Unwrap(), visit)
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			if !walk(inner, visit) {
				return false
			}
		}
	}
	return true
}

// checkStartedTogether checks that call ran each probed step once, all of them at the start.
func checkStartedTogether(t *testing.T, call string, probes ...*probe) {
	t.Helper()
	for _, p := range probes {
		r := p.report()
		if r.runs == 0 {
			// Perhaps a goroutine the call started has not run yet: let every goroutine of the
			// bubble run until it waits, then look again.
			synctest.Wait()
			if p.report().runs > 0 {
				t.Fatalf("%s returned before %s had started: it started only after the call had returned, "+
					"so nothing waited for it. Count each step before it starts: wg.Go(f), or wg.Add(1) before "+
					"the go statement; an Add inside the goroutine may run after Wait has already seen nothing "+
					"to wait for%s", call, p.inner.Name, pictureOf(p))
			}
		}
		switch {
		case r.runs == 0:
			t.Fatalf("%s never ran %s: start both steps at once, before waiting for either%s", call, p.inner.Name, pictureOf(p))
		case r.runs > 1:
			t.Fatalf("%s ran %s %d times, want once%s", call, p.inner.Name, r.runs, pictureOf(p))
		case r.started != 0:
			t.Fatalf("%s started %s at %v, want at once (0s): the steps ran one after the other. "+
				"Start both (go ..., wg.Go, g.Go) before waiting for either%s", call, p.inner.Name, r.started, pictureOf(p))
		}
	}
}

// checkReturned checks that each probed step had returned by the time call returned.
func checkReturned(t *testing.T, call string, probes ...*probe) {
	t.Helper()
	for _, p := range probes {
		if r := p.report(); r.runs > 0 && !r.returned {
			t.Fatalf("%s returned while %s was still running: wait for every step you started "+
				"(wg.Wait, g.Wait, or receive from each) before returning, even one you cancelled. "+
				"Nothing may be left running%s", call, p.inner.Name, pictureOf(p))
		}
	}
}

// checkStoppedAt700 checks the end of a call (the scene sc) whose ctx ended at 700ms, after
// p1 had succeeded and while p2 ran: p2's context ended then, the error is p2's StepError
// holding wantErr (the ending's ctx.Err()), the results are p1's and "", and the call returned
// at once. pass says how the step gets the context.
func checkStoppedAt700(t *testing.T, sc *scene, p2 *probe, r1, r2 string, err, wantErr error, pass string) {
	t.Helper()
	checkCtxEnded(t, sc.call, p2, ms(700), "ctx ended at 700ms, while p2 ran: "+pass)
	checkStepError(t, sc.call, err, "p2", wantErr)
	checkResults(t, sc.call, r1, r2, "p1 succeeded", "")
	sc.checkTook(t, "p2 stops as soon as ctx ends; "+pass)
}

// checkCtxEnded checks when the context call ran p's step with ended: at want, or not
// while the step ran when want < 0. why says what should have ended it.
func checkCtxEnded(t *testing.T, call string, p *probe, want time.Duration, why string) {
	t.Helper()
	switch r := p.report(); {
	case r.ctxEnded == want:
	case want < 0:
		t.Fatalf("%s ended the context of %s at %v, while it was still running, although %s%s",
			call, p.inner.Name, r.ctxEnded, why, pictureOf(p))
	case r.ctxEnded < 0:
		t.Fatalf("%s never ended the context of %s (it returned %v at %v), want it ended at %v: %s%s",
			call, p.inner.Name, r.err, r.ended, want, why, pictureOf(p))
	default:
		t.Fatalf("%s ended the context of %s at %v, want at %v: %s%s", call, p.inner.Name, r.ctxEnded, want, why, pictureOf(p))
	}
}

// isCancellation reports whether err says a context ended.
func isCancellation(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// checkRan checks that call ran each probed step.
func checkRan(t *testing.T, call string, probes ...*probe) {
	t.Helper()
	for _, p := range probes {
		if p.report().runs == 0 {
			t.Fatalf("%s never ran %s: call its Run method with the context you were given%s", call, p.inner.Name, pictureOf(p))
		}
	}
}

// errCause is the cause the tests cancel a context with: it is not ctx.Err().
var errCause = errors.New("the user pressed Ctrl-C")

// cancelAt returns a child of parent that is cancelled with errCause after d, as
// context.WithCancelCause does for a user who gives up: ctx.Err() is then context.Canceled,
// context.Cause(ctx) is errCause.
func cancelAt(parent context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithCancelCause(parent)
	time.AfterFunc(d, func() { cancel(errCause) })
	return ctx
}

// parentCancelledAt returns a context with a far deadline whose parent is cancelled after d:
// the context ends because its parent did, not because of its own deadline.
func parentCancelledAt(t *testing.T, d time.Duration) context.Context {
	parent, cancel := context.WithCancel(t.Context())
	time.AfterFunc(d, cancel)
	ctx, stop := context.WithTimeout(parent, time.Hour)
	t.Cleanup(stop)
	return ctx
}

// endings are the ways the cancellation tests end a context at 700ms, and the error a step
// stopped by it returns.
var endings = []struct {
	name    string
	ctx     func(t *testing.T) context.Context
	wantErr error
}{
	{"deadline", func(t *testing.T) context.Context {
		ctx, cancel := context.WithTimeout(t.Context(), ms(700))
		t.Cleanup(cancel)
		return ctx
	}, context.DeadlineExceeded},
	{"cancel with cause", func(t *testing.T) context.Context { return cancelAt(t.Context(), ms(700)) }, context.Canceled},
	{"parent cancelled", func(t *testing.T) context.Context { return parentCancelledAt(t, ms(700)) }, context.Canceled},
}
