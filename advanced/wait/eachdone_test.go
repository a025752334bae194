package wait_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/wait"
	"github.com/go-async-katas/katas/advanced/wait/task"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestEachDone(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		tests := []struct {
			name string
			give []job
		}{
			{"seed", seedJobs},
			{"slowest last", []job{{name: "x", d: time.Second}, {name: "y", d: 2 * time.Second}, {name: "z", d: 5 * time.Second}}},
			// Handled in the order of the list, f would come at 2s, before the slowest ends.
			{"list order", []job{{name: "m", d: 2 * time.Second}, {name: "f", d: time.Second}, {name: "s", d: 3 * time.Second}}},
			// x and y finish at the same instant: Wait may hand them back together or one at a
			// time; either way each is handled at 1s.
			{"two at once", []job{{name: "x", d: time.Second}, {name: "y", d: time.Second}, {name: "z", d: 2 * time.Second}}},
			{"one", []job{{name: "only", d: time.Second}}},
			// Ten tasks finish at 1s: however Wait groups them, every one must be handled then.
			{"ten at once", tenAtOnce("t", time.Second)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					call := fmt.Sprintf("EachDone(%s)", describe(tt.give))
					tasks, names := startAll(t.Context(), tt.give)
					handled := newClock()
					caller := gotrace.Self().ID
					var elsewhere atomic.Bool
					err := wait.EachDone(t.Context(), tasks, func(tk *task.Task[string]) {
						if gotrace.Self().ID != caller {
							elsewhere.Store(true)
						}
						handled.mark(names[tk])
					})

					assert.NoError(t, err, "%s: every task finishes, so EachDone returns nil", call)
					if elsewhere.Load() {
						t.Errorf("%s called handle on a goroutine other than its caller's, want the caller's: "+
							"call handle(t) right in the loop, one task at a time, not with go handle(t)", call)
					}
					took := time.Since(handled.start)
					draw := func(time.Duration, time.Duration) string { return eachDoneDrawing(tt.give, handled, took) }
					drew := checkHandled(t, call, handled, tt.give, func() string { return draw(took, 0) })
					checkNoneLeftBehind(t, call)
					var slowest time.Duration
					for _, j := range tt.give {
						slowest = max(slowest, j.d)
					}
					if drew { // once per case
						draw = func(time.Duration, time.Duration) string { return "(drawn above)" }
					}
					elapsedDrawn(t, handled.start, slowest, call+" returns once the slowest task is handled", draw)
				})
			})
		}
	})
}

// TestEachDoneAlreadyFinished passes tasks that have all finished before EachDone is called:
// the first Wait hands them all back at once, and every one of them must be handled.
func TestEachDoneAlreadyFinished(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			var tasks []*task.Task[string]
			names := labels{}
			var jobs []job
			for _, name := range []string{"x", "y", "z"} {
				tk, finish := task.New[string]()
				finish(name, nil)
				tasks = append(tasks, tk)
				names[tk] = name
				jobs = append(jobs, job{name: name})
			}
			call := "EachDone(x, y, z, all finished before the call)"
			handled := newClock()
			err := wait.EachDone(t.Context(), tasks, func(tk *task.Task[string]) { handled.mark(names[tk]) })

			assert.NoError(t, err, call)
			checkHandled(t, call, handled, jobs, nil)
		})
	})
}

func TestEachDoneCancelled(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		for _, end := range katatest.Endings(1500*time.Millisecond, errStop) {
			t.Run(end.Name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					parent, stop := end.Start(t.Context())
					defer stop()
					ctx := newSpinCtx(parent)
					call := fmt.Sprintf("EachDone(%s) with %s", describe(seedJobs), end.How)
					tasks, names := startAll(t.Context(), seedJobs)
					handled := newClock()
					err := wait.EachDone(ctx, tasks, func(tk *task.Task[string]) { handled.mark(names[tk]) })
					if !checkSpin(t, call, ctx) {
						return
					}

					katatest.Elapsed(t, handled.start, 1500*time.Millisecond, call+" must return when ctx ends, without waiting for a and b2")
					checkCause(t, call, err, end.Cause)
					if got := handled.seen(); !sameSet(got, []string{"b1"}) {
						t.Errorf("%s handled %s, want [b1]: only b1 finished before ctx ended", call, list(got))
					}
					checkNoneLeftBehind(t, call)
				})
			})
		}
	})
}

// TestEachDoneCtxAlreadyEnded calls EachDone with a ctx that has already ended, on tasks of
// which two have finished and one, y, is still running: it returns ctx's cause at once, and
// never handles y. Whether it handles x and z is up to it: the doc allows both.
func TestEachDoneCtxAlreadyEnded(t *testing.T) {
	endings := []struct {
		name, how string
		end       func(context.Context) (context.Context, func())
		wantCause error
	}{
		{"deadline passed", "a ctx whose deadline has passed", func(parent context.Context) (context.Context, func()) {
			return context.WithDeadline(parent, time.Now().Add(-time.Second))
		}, context.DeadlineExceeded},
		{"cancelled with a cause", "a ctx cancelled with a cause", func(parent context.Context) (context.Context, func()) {
			ctx, cancel := context.WithCancelCause(parent)
			cancel(errStop)
			return ctx, func() {}
		}, errStop},
	}
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		for _, end := range endings {
			t.Run(end.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					parent, stop := end.end(t.Context())
					defer stop()
					ctx := newSpinCtx(parent)
					running, names := startAll(t.Context(), []job{{name: "y", d: time.Second}})
					var tasks []*task.Task[string]
					for _, name := range []string{"x", "y", "z"} {
						if name == "y" {
							tasks = append(tasks, running[0])
							continue
						}
						tk, finish := task.New[string]()
						finish(name, nil)
						tasks = append(tasks, tk)
						names[tk] = name
					}
					call := fmt.Sprintf("EachDone(x, y, z, where x and z have finished and y takes 1s more; %s before the call)", end.how)
					handled := newClock()
					err := wait.EachDone(ctx, tasks, func(tk *task.Task[string]) { handled.mark(names[tk]) })
					if !checkSpin(t, call, ctx) {
						return
					}

					katatest.Elapsed(t, handled.start, 0, call+" must return at once: ctx has ended, and y is still running")
					checkCause(t, call, err, end.wantCause)
					got := handled.seen()
					if slices.Contains(got, "y") {
						t.Errorf("%s handled %s, want y left unhandled: it was still running, and ctx had ended.\n"+
							"When ctx ends, return at once: wait for no task", call, list(got))
					} else if !sameSet(got, slices.Compact(slices.Sorted(slices.Values(got)))) {
						t.Errorf("%s handled %s, want each task handled at most once", call, list(got))
					}
					checkNoneLeftBehind(t, call)
				})
			})
		}
	})
}

// TestEachDoneCtxEndsInLastHandle ends ctx while handle runs for the last task: by the time
// EachDone looks at ctx, every task has been handled, so it returns nil.
func TestEachDoneCtxEndsInLastHandle(t *testing.T) {
	const handleTakes = 500 * time.Millisecond
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		for _, end := range katatest.Endings(3200*time.Millisecond, errStop) {
			t.Run(end.Name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					parent, stop := end.Start(t.Context())
					defer stop()
					ctx := newSpinCtx(parent)
					call := fmt.Sprintf("EachDone(%s; a handle that takes %v) with %s, while a is being handled",
						describe(seedJobs), handleTakes, end.How)
					tasks, names := startAll(t.Context(), seedJobs)
					handled := newClock()
					err := wait.EachDone(ctx, tasks, func(tk *task.Task[string]) {
						handled.mark(names[tk])
						time.Sleep(handleTakes)
					})
					if !checkSpin(t, call, ctx) {
						return
					}

					if err != nil {
						t.Errorf("%s returned %v, want nil: every task had been handled, so ctx ending afterwards changes nothing.\n"+
							"Return ctx's cause only when it leaves tasks unhandled (some still pending)", call, err)
					}
					checkHandled(t, call, handled, seedJobs, nil)
					katatest.Elapsed(t, handled.start, 3*time.Second+handleTakes, call+" returns once a, the last, is handled")
					checkNoneLeftBehind(t, call)
				})
			})
		}
	})
}

// TestEachDoneExitsItsGoroutines ends ctx while EachDone waits for tasks that never finish,
// so any goroutine it started to watch them is still waiting when it returns: it must have
// exited by then, not a moment later. Like TestWaitExitsItsGoroutines, it runs on one CPU
// (GOMAXPROCS 1), where a goroutine told to stop can run only once the test's goroutine
// blocks, so one that EachDone did not wait for is still there to be counted.
func TestEachDoneExitsItsGoroutines(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		checkExitsItsGoroutines(t, "EachDone(20 tasks, of which only the 8th has finished and the others never will) with a ctx cancelled at 1s with a cause",
			"Build on your Wait, which does. EachDone's doc: any goroutine it starts has exited when it returns",
			func(t *testing.T, tasks []*task.Task[string]) (int, string) {
				ctx, cancel := context.WithCancelCause(t.Context())
				time.AfterFunc(time.Second, func() { cancel(errStop) })
				var handled []*task.Task[string]
				err := wait.EachDone(ctx, tasks, func(tk *task.Task[string]) { handled = append(handled, tk) })
				still := ofWait() // no synctest.Wait: what is there at the moment EachDone returned
				if len(handled) != 1 || handled[0] != tasks[7] || !errors.Is(err, errStop) {
					return still, fmt.Sprintf("handled %d task(s) and returned %v; want the 8th task handled, and errStop", len(handled), err)
				}
				return still, ""
			})
	})
}

// tenAtOnce returns ten jobs named prefix0 to prefix9 that all take d.
func tenAtOnce(prefix string, d time.Duration) []job {
	jobs := make([]job, 10)
	for i := range jobs {
		jobs[i] = job{name: fmt.Sprintf("%s%d", prefix, i), d: d}
	}
	return jobs
}

// checkHandled checks that every job was handled exactly once, when it finished. A handle at
// the wrong time ends its message with draw() (nil: no drawing); it reports whether it drew.
func checkHandled(t *testing.T, call string, handled *clock, jobs []job, draw func() string) (drew bool) {
	t.Helper()
	var want []string
	for _, j := range jobs {
		want = append(want, j.name)
	}
	got := handled.seen()
	if !sameSet(got, want) {
		t.Errorf("%s handled %s, want each of %s exactly once.\n"+
			"Did you drop work? When Wait hands back several done tasks at once, handle every one of them, "+
			"and keep going until nothing is pending", call, list(got), list(want))
		return false
	}
	byTime := func(a, b job) int { return cmp.Compare(a.d, b.d) }
	slowest := slices.MaxFunc(jobs, byTime).d
	inListOrder := slices.Equal(got, want) && !slices.IsSortedFunc(jobs, byTime)
	for _, j := range jobs {
		at, _ := handled.when(j.name)
		if at == j.d {
			continue
		}
		listOrder := fmt.Sprintf("one after another in the order of the list (%s, first in it, takes %v).\n"+
			"Ask Wait for the first task done out of all those still pending, again and again", jobs[0].name, jobs[0].d)
		var how string
		switch {
		case inListOrder && at == slowest:
			how = "not after waiting for all of them, nor " + listOrder
		case inListOrder:
			how = "not " + listOrder
		case at == slowest:
			how = "not after waiting for all of them"
		default:
			how = "not later"
		}
		drawing := ""
		if draw != nil {
			drawing = "\n\n" + draw()
		}
		t.Errorf("%s handled %s at %v, want %v (when it finished): handle each task as soon as it finishes, %s%s",
			call, j.name, at, j.d, how, drawing)
		return draw != nil
	}
	return false
}
