package wait_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/wait"
	"github.com/go-async-katas/katas/advanced/wait/task"
	"github.com/go-async-katas/katas/internal/katatest"
)

var (
	errFailed = errors.New("task failed")
	errStop   = errors.New("stopped by the caller")
)

// The seed's three tasks, with b2 made slower than b1 so that no two finish at once.
var seedJobs = []job{{name: "a", d: 3 * time.Second}, {name: "b1", d: time.Second}, {name: "b2", d: 2 * time.Second}}

func TestWait(t *testing.T) { katatest.Isolated(t, explainCrash, testWait) }

// testWait is TestWait, run in a child process.
func testWait(t *testing.T) {
	withError := []job{{name: "a", d: 3 * time.Second}, {name: "b1", d: time.Second}, {name: "e", d: 2 * time.Second, err: errFailed}}
	tests := []struct {
		name        string
		give        []job
		giveUntil   task.Until
		giveTimeout time.Duration // 0: no timeout
		giveCancel  time.Duration // 0: not cancelled; else ctx is cancelled then, with cause errStop
		wantDone    []string
		wantPending []string
		wantTook    time.Duration
		hint        string
	}{
		{"all", seedJobs, task.AllCompleted, 0, 0, []string{"a", "b1", "b2"}, nil, 3 * time.Second,
			"AllCompleted waits for the slowest task"},
		{"first", seedJobs, task.FirstCompleted, 0, 0, []string{"b1"}, []string{"a", "b2"}, time.Second,
			"FirstCompleted returns as soon as one task has finished"},
		{"first error", withError, task.FirstError, 0, 0, []string{"b1", "e"}, []string{"a"}, 2 * time.Second,
			"FirstError returns when a task fails (e, at 2s), not at the first task to finish"},
		{"no error", seedJobs, task.FirstError, 0, 0, []string{"a", "b1", "b2"}, nil, 3 * time.Second,
			"when no task fails, FirstError waits for all of them"},
		{"timeout", seedJobs, task.AllCompleted, 1500 * time.Millisecond, 0, []string{"b1"}, []string{"a", "b2"}, 1500 * time.Millisecond,
			"when ctx ends, Wait returns what is done so far"},
		{"timeout first", seedJobs, task.FirstCompleted, 500 * time.Millisecond, 0, nil, []string{"a", "b1", "b2"}, 500 * time.Millisecond,
			"when ctx ends before any task finishes, done is empty"},
		{"cancelled", seedJobs, task.AllCompleted, 0, 1500 * time.Millisecond, []string{"b1"}, []string{"a", "b2"}, 1500 * time.Millisecond,
			"when ctx is cancelled, Wait returns what is done so far: watch <-ctx.Done(), which closes however ctx ends, not only at its deadline"},
		{"cancelled first error", withError, task.FirstError, 0, 1500 * time.Millisecond, []string{"b1"}, []string{"a", "e"}, 1500 * time.Millisecond,
			"when ctx is cancelled, Wait returns what is done so far, whatever it waits for"},
		{"no tasks", nil, task.AllCompleted, 0, 0, nil, nil, 0,
			"with no tasks there is nothing to wait for"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx := t.Context()
				call := fmt.Sprintf("Wait(%s; %v)", describe(tt.give), tt.giveUntil)
				if tt.giveTimeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.giveTimeout)
					defer cancel()
					call = fmt.Sprintf("Wait(%s; %v; timeout %v)", describe(tt.give), tt.giveUntil, tt.giveTimeout)
				}
				if tt.giveCancel > 0 {
					var cancel context.CancelCauseFunc
					ctx, cancel = context.WithCancelCause(ctx)
					time.AfterFunc(tt.giveCancel, func() { cancel(errStop) })
					call = fmt.Sprintf("Wait(%s; %v; ctx cancelled at %v)", describe(tt.give), tt.giveUntil, tt.giveCancel)
				}

				tasks, names := startAll(t.Context(), tt.give)
				start := time.Now()
				done, pending := wait.Wait(ctx, tasks, tt.giveUntil)
				elapsedDrawn(t, start, tt.wantTook, tt.hint, waitDrawing(tt.give, tt.giveTimeout, tt.giveCancel))
				checkSplit(t, call, names.of(tasks), names.of(done), names.of(pending), tt.wantDone, tt.wantPending, tt.hint)
				checkNoneLeftBehind(t, call)
			})
		})
	}
}

// TestWaitHandMade waits for tasks finished by hand: some before Wait is called, the others
// never. Wait must see every task that is already done, and must not leave a goroutine
// behind watching a task that never finishes.
func TestWaitHandMade(t *testing.T) { katatest.Isolated(t, explainCrash, testWaitHandMade) }

// testWaitHandMade is TestWaitHandMade, run in a child process.
func testWaitHandMade(t *testing.T) {
	tests := []struct {
		name         string
		giveFinished []string // finished before Wait is called; the others never finish
		giveUntil    task.Until
		giveTimeout  time.Duration
		wantDone     []string
		wantPending  []string
		wantTook     time.Duration
		hint         string
	}{
		{"one done", []string{"y"}, task.FirstCompleted, 0, []string{"y"}, []string{"x", "z"}, 0,
			"y is already done, so FirstCompleted is met at once"},
		{"all done", []string{"x", "y", "z"}, task.FirstCompleted, 0, []string{"x", "y", "z"}, nil, 0,
			"done holds every task that has finished by the time Wait returns, not just the first one you heard of"},
		{"none finish", nil, task.AllCompleted, time.Second, nil, []string{"x", "y", "z"}, time.Second,
			"nothing finishes, so Wait returns when ctx ends"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx := t.Context()
				if tt.giveTimeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.giveTimeout)
					defer cancel()
				}
				var tasks []*task.Task[string]
				names := labels{}
				for _, name := range []string{"x", "y", "z"} {
					tk, finish := task.New[string]()
					if slices.Contains(tt.giveFinished, name) {
						finish(name, nil)
					}
					tasks = append(tasks, tk)
					names[tk] = name
				}
				call := fmt.Sprintf("Wait(x, y, z with %v already done and the others never; %v)", list(tt.giveFinished), tt.giveUntil)
				if tt.giveTimeout > 0 {
					call = fmt.Sprintf("Wait(x, y, z, none of which ever finishes; %v; timeout %v)", tt.giveUntil, tt.giveTimeout)
				}

				start := time.Now()
				done, pending := wait.Wait(ctx, tasks, tt.giveUntil)
				katatest.Elapsed(t, start, tt.wantTook, tt.hint)
				checkSplit(t, call, names.of(tasks), names.of(done), names.of(pending), tt.wantDone, tt.wantPending, tt.hint)
				checkNoneLeftBehind(t, call)
			})
		})
	}
}

// checkSplit checks Wait's done and pending lists and explains the first thing wrong.
func checkSplit(t *testing.T, call string, all, done, pending, wantDone, wantPending []string, hint string) {
	t.Helper()
	if slices.Equal(done, wantDone) && slices.Equal(pending, wantPending) {
		return
	}
	got := fmt.Sprintf("%s = done %s, pending %s; want done %s, pending %s", call, list(done), list(pending), list(wantDone), list(wantPending))
	switch {
	case !sameSet(append(slices.Clone(done), pending...), all):
		t.Errorf("%s:\nevery task must be in done or in pending, exactly once", got)
	case sameSet(done, wantDone) && sameSet(pending, wantPending):
		t.Errorf("%s:\nthe right tasks in the wrong order: keep done and pending in the order of tasks", got)
	default:
		t.Errorf("%s:\n%s", got, hint)
	}
}

// TestWaitConcurrent calls Wait from two goroutines at once, on the same tasks and with
// different conditions: each call must see the tasks as if it were alone.
func TestWaitConcurrent(t *testing.T) { katatest.Isolated(t, explainCrash, testWaitConcurrent) }

// testWaitConcurrent is TestWaitConcurrent, run in a child process.
func testWaitConcurrent(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		tasks, names := startAll(t.Context(), seedJobs)
		type split struct {
			done, pending []string
			took          time.Duration
		}
		results := make(chan split, 1) // room for the other goroutine's answer: it never waits on the test
		start := time.Now()
		go func() {
			done, pending := wait.Wait(t.Context(), tasks, task.AllCompleted)
			results <- split{names.of(done), names.of(pending), time.Since(start)}
		}()
		done, pending := wait.Wait(t.Context(), tasks, task.FirstCompleted)
		first := split{names.of(done), names.of(pending), time.Since(start)}
		all := <-results

		call := fmt.Sprintf("Wait(%s; FirstCompleted) and, at the same time on another goroutine, Wait(the same tasks; AllCompleted)", describe(seedJobs))
		if first.took != time.Second || all.took != 3*time.Second {
			t.Errorf("%s returned at %v and %v, want 1s and 3s: each call waits for its own condition; "+
				"keep everything a call needs (channels, counters) in the call, not in package variables", call, first.took, all.took)
		}
		checkSplit(t, call+", the first", names.of(tasks), first.done, first.pending, []string{"b1"}, []string{"a", "b2"}, "FirstCompleted returns at b1")
		checkSplit(t, call+", the second", names.of(tasks), all.done, all.pending, []string{"a", "b1", "b2"}, nil, "AllCompleted waits for every task")
		checkNoneLeftBehind(t, call)
	})
}

// TestWaitExitsItsGoroutines calls Wait on tasks most of which never finish, so any watcher
// it starts is still waiting when the condition is met: it must have exited by the time Wait
// returns, not a moment later. It runs on one CPU (GOMAXPROCS 1): a watcher told to stop can
// then run only once the test's goroutine blocks, so one Wait that does not wait for its
// watchers leaves them there to be counted, every round. On more CPUs they often exit on
// another one before the count, and the mistake slips through.
func TestWaitExitsItsGoroutines(t *testing.T) {
	katatest.Isolated(t, explainCrash, testWaitExitsItsGoroutines)
}

// testWaitExitsItsGoroutines is TestWaitExitsItsGoroutines, run in a child process.
func testWaitExitsItsGoroutines(t *testing.T) {
	checkExitsItsGoroutines(t, "Wait(20 tasks, of which only the 8th has finished and the others never will; FirstCompleted)",
		"Wait's doc: any goroutine it starts has exited when it returns",
		func(t *testing.T, tasks []*task.Task[string]) (int, string) {
			done, pending := wait.Wait(t.Context(), tasks, task.FirstCompleted)
			still := ofWait() // no synctest.Wait: what is there at the moment Wait returned
			if len(done) != 1 || done[0] != tasks[7] || len(pending) != len(tasks)-1 {
				return still, fmt.Sprintf("= %d done, %d pending; want the 8th task done and the other %d pending", len(done), len(pending), len(tasks)-1)
			}
			return still, ""
		})
}
