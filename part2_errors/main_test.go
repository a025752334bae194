package errs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/part2_errors/steps"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// ms is shorthand for a number of milliseconds in the test tables.
func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// probe wraps a step and records, in fake time since the probe was made, when the kata
// started it, when it returned and what it returned: enough to tell whether the kata ran
// it at all, ran it at the same time as the other step, cancelled it and waited for it.
// Make it inside the bubble, just before calling the kata.
type probe struct {
	inner    steps.Step
	windDown time.Duration // extra time the step needs to stop once its context has ended
	start    time.Time

	mu       sync.Mutex // the kata may run the step on another goroutine
	runs     int
	started  time.Duration
	returned bool
	ended    time.Duration
	err      error
}

// watch returns a probe around step.
func watch(step steps.Step) *probe {
	return &probe{inner: step, start: time.Now()}
}

// watchSlowToStop returns a probe around step that, once its context has ended, takes
// windDown more to clean up before it returns.
func watchSlowToStop(step steps.Step, windDown time.Duration) *probe {
	p := watch(step)
	p.windDown = windDown
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
	p.mu.Unlock()
	defer func() { // deferred, so a panicking step is recorded as returned too
		p.mu.Lock()
		defer p.mu.Unlock()
		p.returned, p.ended, p.err = true, time.Since(p.start), err
	}()
	result, err = p.inner.Run(ctx)
	if ctx.Err() != nil && p.windDown > 0 {
		time.Sleep(p.windDown)
	}
	return result, err
}

// probeReport is what a probe saw, read at one moment.
type probeReport struct {
	runs     int
	started  time.Duration
	returned bool
	ended    time.Duration
	err      error
}

func (p *probe) report() probeReport {
	p.mu.Lock()
	defer p.mu.Unlock()
	return probeReport{p.runs, p.started, p.returned, p.ended, p.err}
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

// checkResults checks the two results of call.
func checkResults(t *testing.T, call, r1, r2, want1, want2 string) bool {
	t.Helper()
	if r1 == want1 && r2 == want2 {
		return true
	}
	t.Errorf("%s returned results %q, %q; want %q, %q: the result of each step that succeeded, \"\" for one that failed or did not finish",
		call, r1, r2, want1, want2)
	return false
}

// checkNoError checks that call, whose steps all succeeded, returned no error.
func checkNoError(t *testing.T, call string, err error) bool {
	t.Helper()
	if err != nil {
		t.Errorf("%s returned error %q, want nil: no step failed. %s", call, err, nilHint(err))
		return false
	}
	return true
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
func checkOutcome(t *testing.T, call string, err error, wantStep string, wantErr error) bool {
	t.Helper()
	if wantErr == nil {
		return checkNoError(t, call, err)
	}
	return checkStepError(t, call, err, wantStep, wantErr)
}

// checkStepError checks that err says step wantStep failed with wantErr: errors.As finds a
// *steps.StepError for it (looking through joined errors too) and errors.Is finds wantErr.
func checkStepError(t *testing.T, call string, err error, wantStep string, wantErr error) bool {
	t.Helper()
	return checkStepErrorHint(t, call, err, wantStep, wantErr, "")
}

// checkStepErrorHint is checkStepError with the hint to give when wantErr is nowhere in err.
func checkStepErrorHint(t *testing.T, call string, err error, wantStep string, wantErr error, missing string) bool {
	t.Helper()
	if err == nil {
		t.Errorf("%s returned a nil error, want %s's error (%v): a failed step's error must reach the caller",
			call, wantStep, wantErr)
		return false
	}
	if !errors.Is(err, wantErr) {
		t.Errorf("%s returned error %q; errors.Is(err, %s) = false, want true: %s",
			call, err, sentinelName(wantErr), identityHint(err, wantErr, missing))
		return false
	}
	stepErr := findStepError(err, wantStep)
	if stepErr == nil {
		var other *steps.StepError
		if errors.As(err, &other) {
			t.Errorf("%s returned error %q, a StepError for step %q; want one for %q: "+
				"take the name from the step that failed (step.Name), not from its error",
				call, err, other.Step, wantStep)
			return false
		}
		t.Errorf("%s returned error %q; errors.As(err, *steps.StepError) = false, want a StepError for step %q: "+
			"wrap the step's error in &steps.StepError{Step: step.Name, Err: err} so the caller can tell which step failed",
			call, err, wantStep)
		return false
	}
	if !errors.Is(stepErr.Err, wantErr) {
		t.Errorf("%s returned error %q; the StepError for %q holds %q, want %v: put the step's own error in StepError.Err",
			call, err, wantStep, stepErr.Err, wantErr)
		return false
	}
	return true
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
	if errors.Is(err, context.Canceled) {
		return "this is the cancellation of the other step, not the failure that caused it: return the first failure"
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
func checkStartedTogether(t *testing.T, call string, probes ...*probe) bool {
	t.Helper()
	for _, p := range probes {
		r := p.report()
		switch {
		case r.runs == 0:
			t.Errorf("%s never ran %s: start both steps at once, before waiting for either", call, p.inner.Name)
		case r.runs > 1:
			t.Errorf("%s ran %s %d times, want once", call, p.inner.Name, r.runs)
		case r.started != 0:
			t.Errorf("%s started %s at %v, want at once (0s): the steps ran one after the other. "+
				"Start both (go ..., wg.Go, g.Go) before waiting for either", call, p.inner.Name, r.started)
		default:
			continue
		}
		return false
	}
	return true
}

// checkReturned checks that each probed step had returned by the time call returned.
func checkReturned(t *testing.T, call string, probes ...*probe) bool {
	t.Helper()
	for _, p := range probes {
		if r := p.report(); r.runs > 0 && !r.returned {
			t.Errorf("%s returned while %s was still running: wait for every step you started "+
				"(wg.Wait, g.Wait, or receive from each) before returning, even one you cancelled. "+
				"Nothing may be left running", call, p.inner.Name)
			return false
		}
	}
	return true
}

// isCancellation reports whether err says a context ended.
func isCancellation(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// checkRan checks that call ran each probed step.
func checkRan(t *testing.T, call string, probes ...*probe) bool {
	t.Helper()
	for _, p := range probes {
		if p.report().runs == 0 {
			t.Errorf("%s never ran %s: call its Run method with the context you were given", call, p.inner.Name)
			return false
		}
	}
	return true
}
