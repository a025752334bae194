// Package tasktest holds test tasks for the katas that run many tasks at once (gather,
// ascompleted): specs that say what each task returns and when, a Probe that builds the tasks
// and counts what happened to them, and instant tasks for benchmarks.
//
// A Probe is safe for concurrent use: its tasks may run on many goroutines at once while the
// test reads its counters. Specs are plain values. Everything that waits does so on timers and
// contexts, so tasks are meant to run inside a katatest.Bubble, in fake time.
package tasktest

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
)

// DefaultCleanup is how long a Probe's task takes to tidy up after its context ends, unless
// the Probe says otherwise: code that returns before its cancelled tasks have finished
// returns this much too early.
const DefaultCleanup = 500 * time.Millisecond

// Spec describes one test task: after Delay it returns Value, or fails with Err when Err is
// not nil.
type Spec struct {
	Value string
	Delay time.Duration
	Err   error
}

// OK returns a task spec that produces value after delay.
func OK(value string, delay time.Duration) Spec { return Spec{Value: value, Delay: delay} }

// Fail returns a task spec that fails with err after delay.
func Fail(err error, delay time.Duration) Spec { return Spec{Delay: delay, Err: err} }

// Many returns n specs that each produce their index, as a string, after delay: more tasks
// than any machine has cores, for code that must run them all at once.
func Many(n int, delay time.Duration) []Spec {
	specs := make([]Spec, n)
	for i := range specs {
		specs[i] = OK(strconv.Itoa(i), delay)
	}
	return specs
}

// String describes the spec for a failure message: `a after 3s`, `fails "boom" after 1s`.
func (s Spec) String() string {
	if s.Err != nil {
		return fmt.Sprintf("fails %q after %v", s.Err, s.Delay)
	}
	return fmt.Sprintf("%s after %v", s.Value, s.Delay)
}

// Describe rebuilds a call of fn with tasks built from specs, for a failure message:
// "Gather(a after 3s, b1 after 1s)".
func Describe(fn string, specs []Spec) string {
	parts := make([]string, len(specs))
	for i, s := range specs {
		parts[i] = s.String()
	}
	return fn + "(" + strings.Join(parts, ", ") + ")"
}

// Probe builds test tasks and records what happened to them. The zero value is ready to use.
// It is safe for concurrent use; set Cleanup before building tasks, not while they run.
type Probe struct {
	// Cleanup is how long a task tidies up after its context ends; zero means DefaultCleanup.
	Cleanup time.Duration

	started   atomic.Int32 // tasks started
	running   atomic.Int32 // tasks started and not yet returned
	cancelled atomic.Int32 // tasks that saw their context end before their work was done

	mu     sync.Mutex
	causes []error // context.Cause of each cancelled task's context
}

// Tasks returns one task per spec. A task waits for its delay or for its context to end,
// whichever comes first (clock.Sleep): a task given a context that has already ended does not
// start its work. When the context ends first, it records context.Cause, spends the probe's
// cleanup time tidying up and returns the context's error.
func (p *Probe) Tasks(specs []Spec) []func(context.Context) (string, error) {
	cleanup := cmp.Or(p.Cleanup, DefaultCleanup)
	tasks := make([]func(context.Context) (string, error), len(specs))
	for i, s := range specs {
		tasks[i] = func(ctx context.Context) (string, error) {
			p.started.Add(1)
			p.running.Add(1)
			defer p.running.Add(-1)
			if err := clock.Sleep(ctx, s.Delay); err == nil {
				return s.Value, s.Err
			}
			p.cancelled.Add(1)
			p.mu.Lock()
			p.causes = append(p.causes, context.Cause(ctx))
			p.mu.Unlock()
			time.Sleep(cleanup) // the context has ended: tidying up is not cut short
			return "", ctx.Err()
		}
	}
	return tasks
}

// Stubborn returns a task that ignores its context: it waits the spec's delay whatever
// happens to its context, then returns the spec's value and error. Code that waits for every
// task it started waits for this one to its end; the Probe does not see it.
func Stubborn(s Spec) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		time.Sleep(s.Delay) // does not look at its context
		return s.Value, s.Err
	}
}

// Started returns how many tasks have started.
func (p *Probe) Started() int { return int(p.started.Load()) }

// Running returns how many tasks have started and not yet returned.
func (p *Probe) Running() int { return int(p.running.Load()) }

// Cancelled returns how many tasks saw their context end before their work was done.
func (p *Probe) Cancelled() int { return int(p.cancelled.Load()) }

// Causes returns the context.Cause each cancelled task saw, in the order they saw it. The
// slice is the caller's own.
func (p *Probe) Causes() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.causes...)
}

// Instant returns n tasks that return their index at once, for benchmarks: what is left to
// measure is the cost of running them and handing over their results.
func Instant(n int) []func(context.Context) (int, error) {
	tasks := make([]func(context.Context) (int, error), n)
	for i := range tasks {
		tasks[i] = func(context.Context) (int, error) { return i, nil }
	}
	return tasks
}
