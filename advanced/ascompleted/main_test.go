package ascompleted_test

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/tasktest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// cleanup is how long a test task (tasktest.Probe) takes to tidy up after its context ends:
// an iterator that returns before its cancelled tasks have finished returns cleanup too early.
const cleanup = tasktest.DefaultCleanup

// outcome is one pair the iterator yielded, and how long after the loop started it came.
type outcome struct {
	value string
	err   error
	at    time.Duration
}

func (o outcome) String() string {
	if o.err != nil {
		return fmt.Sprintf("error %q at %v", o.err, o.at)
	}
	return fmt.Sprintf("%s at %v", o.value, o.at)
}

// collect ranges over seq and records every pair it yields, with its fake time. call names
// the iterator in failure messages. The loop body must run on the goroutine that ranges over
// seq: when it runs on another, collect stops the loop and fails the test, which saves the
// test from a data race on what it records.
func collect(t *testing.T, call string, seq func(yield func(string, error) bool)) []outcome {
	t.Helper()
	var (
		got       []outcome
		elsewhere bool
	)
	ranging := gotrace.Self().ID
	start := time.Now()
	for v, err := range seq {
		if gotrace.Self().ID != ranging {
			elsewhere = true
			break
		}
		got = append(got, outcome{v, err, time.Since(start)})
	}
	if elsewhere {
		t.Fatalf("the body of a loop over %s ran on a goroutine other than the one ranging over it.\n%s", call, elsewhereHint)
	}
	return got
}

// elsewhereHint explains what to do about an iterator that runs its loop body (calls yield)
// from its tasks' goroutines.
const elsewhereHint = "Call yield only from the iterator function itself, never from the goroutines running the tasks:\n" +
	"send each outcome on a channel and let the iterator receive and yield it. Otherwise the loop body runs on a task's\n" +
	"goroutine, and a panic in it ends the whole program instead of leaving the loop"

// collectWithin is collect for a loop that may never end: it ranges over seq on a new
// goroutine and waits up to limit of fake time for the loop to end. It returns the pairs
// yielded so far and whether the loop ended in time; when it did not, the loop's goroutine
// stays blocked, and the bubble reports it after the test's own message.
func collectWithin(t *testing.T, call string, seq func(yield func(string, error) bool), limit time.Duration) (got []outcome, ended bool) {
	t.Helper()
	var (
		mu        sync.Mutex
		elsewhere atomic.Bool
	)
	done := make(chan struct{})
	start := time.Now()
	var p katatest.Panic
	go func() {
		defer close(done)
		defer katatest.Recover(&p) // a panic of the iterator on this goroutine fails the test, not the binary
		ranging := gotrace.Self().ID
		for v, err := range seq {
			if gotrace.Self().ID != ranging {
				elsewhere.Store(true)
				break
			}
			mu.Lock()
			got = append(got, outcome{v, err, time.Since(start)})
			mu.Unlock()
		}
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-done:
		ended = true
		if p.Panicked() {
			t.Fatalf("a loop over %s: %v", call, p)
		}
	case <-timer.C:
	}
	if elsewhere.Load() {
		t.Fatalf("the body of a loop over %s ran on a goroutine other than the one ranging over it.\n%s", call, elsewhereHint)
	}
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(got), ended
}

// checkOutcomes checks that call yielded the want outcomes. Outcomes at the same instant may
// come in any order. It reports whether they were.
func checkOutcomes(t *testing.T, call string, got, want []outcome) bool {
	t.Helper()
	byTime := func(a, b outcome) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.value, b.value), cmp.Compare(errText(a.err), errText(b.err)))
	}
	sortedGot := slices.SortedFunc(slices.Values(got), byTime)
	sortedWant := slices.SortedFunc(slices.Values(want), byTime)
	same := func(a, b outcome) bool { return a.value == b.value && a.at == b.at && sameErr(a.err, b.err) }
	if slices.EqualFunc(sortedGot, sortedWant, same) {
		return true
	}

	var hint string
	sameIgnoringTime := slices.EqualFunc(
		slices.SortedFunc(slices.Values(got), ignoreTime(byTime)), slices.SortedFunc(slices.Values(want), ignoreTime(byTime)),
		func(a, b outcome) bool { return a.value == b.value && sameErr(a.err, b.err) })
	switch {
	case len(got) == 0:
		hint = "the loop body never ran: yield each task's result and error to the loop"
	case sameIgnoringTime && len(want) > 1 && got[len(got)-1].at > sortedWant[len(want)-1].at:
		hint = fmt.Sprintf("the right outcomes, but the last came at %v, after the slowest task had finished (%v).\n"+
			"Did the tasks run one after another? Start all of them (go, or wg.Go) before waiting for any",
			got[len(got)-1].at, sortedWant[len(want)-1].at)
	case sameIgnoringTime:
		hint = "the right outcomes, but some came later than their task finished.\n" +
			"Are you waiting for the tasks in the order they were given? A slow task then holds back every one after it\n" +
			"(head-of-line blocking): receive outcomes from a channel, in the order they arrive"
	case len(got) != len(want):
		hint = "one outcome per task, as soon as it finishes"
	default:
		hint = "each task's own result and error, as it returned them (errors.Is must find the error), as soon as it finishes"
	}
	t.Errorf("%s yielded\n\t%s\nwant (outcomes at the same instant in any order)\n\t%s\n%s",
		call, list(got), list(want), hint)
	return false
}

func ignoreTime(f func(a, b outcome) int) func(a, b outcome) int {
	return func(a, b outcome) int { a.at, b.at = 0, 0; return f(a, b) }
}

func sameErr(got, want error) bool {
	if want == nil {
		return got == nil
	}
	return errors.Is(got, want)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func list(outcomes []outcome) string {
	if len(outcomes) == 0 {
		return "(nothing)"
	}
	parts := make([]string, len(outcomes))
	for i, o := range outcomes {
		parts[i] = o.String()
	}
	return strings.Join(parts, "\n\t")
}

// yieldLog is a yield function for calling an iterator by hand: it accepts one pair, then
// asks the iterator to stop, and counts the calls that come after that. It is safe for
// concurrent use, so an iterator that wrongly yields from several goroutines is reported, not
// a data race.
type yieldLog struct {
	start time.Time
	mu    sync.Mutex
	got   []outcome
	extra int // calls after yield returned false
}

func (l *yieldLog) yieldOnce(v string, err error) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.got) > 0 {
		l.extra++
		return false
	}
	l.got = append(l.got, outcome{v, err, time.Since(l.start)})
	return false
}

// calls returns the pairs accepted and how many calls came after yield returned false.
func (l *yieldLog) calls() ([]outcome, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.got), l.extra
}

// explainCrash is the advice for a test run in a child process (katatest.Isolated) that
// crashed. Those tests end a loop early, while tasks are still running: a channel closed by
// the iterator on the way out then makes the tasks that still send on it panic, on goroutines
// the test cannot recover, which would otherwise end the whole test binary.
//
// Other crashes get the harness's own explanation (gotrace.CrashHint).
func explainCrash(c katatest.Child) string {
	if !strings.Contains(c.Crash, "send on closed channel") {
		return ""
	}
	return "A task sent its outcome on a channel that the iterator had already closed, as the loop ended early.\n" +
		"Closing does not stop the senders. Close a channel only from its sending side, after every sender is done\n" +
		"(wg.Wait(), then close), or do not close it at all: the iterator knows how many outcomes to receive, and a\n" +
		"channel nobody uses any more is left to the garbage collector, closed or not"
}
