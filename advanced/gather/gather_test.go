package gather_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/gather"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/tasktest"
	"github.com/go-async-katas/katas/internal/timeline"
)

var (
	errBoom  = errors.New("boom")
	errEarly = errors.New("early failure")
	errLate  = errors.New("late failure")
	errA     = errors.New("a failed")
	errB     = errors.New("b failed")
	errStop  = errors.New("caller stopped")
)

func TestGather(t *testing.T) {
	tests := []struct {
		name string
		give []tasktest.Spec
		want []string
	}{
		{
			"seed",
			[]tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b1", time.Second), tasktest.OK("b2", time.Second)},
			[]string{"a", "b1", "b2"},
		},
		{
			"fastest first",
			[]tasktest.Spec{tasktest.OK("x", time.Second), tasktest.OK("y", 2*time.Second), tasktest.OK("z", 3*time.Second)},
			[]string{"x", "y", "z"},
		},
		{
			"slowest first",
			[]tasktest.Spec{tasktest.OK("z", 3*time.Second), tasktest.OK("y", 2*time.Second), tasktest.OK("x", time.Second)},
			[]string{"z", "y", "x"},
		},
		{"one", []tasktest.Spec{tasktest.OK("solo", 2*time.Second)}, []string{"solo"}},
		{"none", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				var p tasktest.Probe
				call := tasktest.Describe("Gather", tt.give)
				rec := timeline.New()
				got, err := gather.Gather(t.Context(), recording(rec, &p, tt.give)...)
				rec.Returned()
				time.Sleep(time.Minute) // let any task left behind run out, so the drawing shows it

				if err != nil {
					t.Errorf("%s returned error %v, want nil: no task failed", call, err)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("%s = %#v, want %#v: %s", call, got, tt.want, orderHint(got, tt.want))
				}
				checkTookSlowest(t, call, rec, tt.give)
			})
		})
	}
}

func TestGatherManyTasks(t *testing.T) {
	const n = 1000 // more than any machine's cores: a pool of runtime.GOMAXPROCS workers fails here too
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		give := tasktest.Many(n, time.Second)
		call := fmt.Sprintf("Gather(%d tasks of 1s each)", n)
		start := time.Now()
		got, err := gather.Gather(t.Context(), p.Tasks(give)...)

		if err != nil {
			t.Errorf("%s returned error %v, want nil: no task failed", call, err)
		}
		if len(got) != n {
			t.Errorf("%s returned %d results, want %d: one per task", call, len(got), n)
		} else {
			for i, s := range give {
				if got[i] != s.Value {
					t.Errorf("%s: result %d is %q, want %q: put each result at its task's index", call, i, got[i], s.Value)
					break
				}
			}
		}
		katatest.Elapsed(t, start, time.Second, call+" should take 1s, all tasks at once. "+
			"Does something limit how many run at the same time (a pool of runtime.GOMAXPROCS or NumCPU workers, "+
			"a semaphore)? Gather starts one goroutine per task")
	})
}

func TestGatherFirstError(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		tests := []struct {
			name     string
			give     []tasktest.Spec
			wantErr  error
			wantTook time.Duration
		}{
			{
				"one fails",
				[]tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.Fail(errBoom, time.Second), tasktest.OK("b", 2*time.Second)},
				errBoom, time.Second + cleanup,
			},
			{
				"later listed first",
				[]tasktest.Spec{tasktest.Fail(errLate, 2*time.Second), tasktest.Fail(errEarly, time.Second)},
				errEarly, time.Second + cleanup,
			},
			{
				"earlier listed first",
				[]tasktest.Spec{tasktest.Fail(errEarly, time.Second), tasktest.Fail(errLate, 2*time.Second)},
				errEarly, time.Second + cleanup,
			},
			{
				"fails last",
				[]tasktest.Spec{tasktest.OK("a", time.Second), tasktest.OK("b", time.Second), tasktest.Fail(errBoom, 2*time.Second)},
				errBoom, 2 * time.Second,
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					var p tasktest.Probe
					call := tasktest.Describe("Gather", tt.give)
					rec := timeline.New()
					got, err := gather.Gather(t.Context(), recording(rec, &p, tt.give)...)
					rec.Returned()
					time.Sleep(time.Minute) // let any task left behind run out, so the drawing shows it

					checkErr(t, call, err, tt.wantErr)
					if got != nil {
						t.Errorf("%s = %#v, want nil results: when a task fails, Gather returns nil and the error", call, got)
					}
					if took := rec.Timeline().ReturnAt; took != tt.wantTook {
						t.Errorf("took %v of fake time, want %v: %s\n\n%s", took, tt.wantTook, errTookHint(call, took, tt.wantTook), rec.Diff(wantTimeline(tt.give)))
					}
				})
			})
		}
	})
}

// TestGatherStubbornTask gives Gather a first task that ignores its context: it fails late,
// after the second task has failed, so "first" in the list and first in time differ.
func TestGatherStubbornTask(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			var p tasktest.Probe
			probed := p.Tasks([]tasktest.Spec{tasktest.Fail(errEarly, time.Second), tasktest.OK("b", 5*time.Second)})
			stubborn := tasktest.Stubborn(tasktest.Fail(errLate, 3*time.Second))
			call := `Gather(fails "late failure" after 3s and ignores its context, fails "early failure" after 1s, b after 5s)`
			start := time.Now()
			got, err := gather.Gather(t.Context(), stubborn, probed[0], probed[1])

			checkErr(t, call, err, errEarly)
			if got != nil {
				t.Errorf("%s = %#v, want nil results: when a task fails, Gather returns nil and the error", call, got)
			}
			if n := p.Cancelled(); n != 1 {
				t.Errorf("%s cancelled %d of the tasks still running at 1s that watch their context, want 1 (b): "+
					"cancel the others when the first task fails, not when the first task in the list returns", call, n)
			}
			katatest.Elapsed(t, start, 3*time.Second, call+" should return at 3s, when its last task has returned: "+
				"the first task does not stop when cancelled, and Gather waits for every task it started; "+
				"returned earlier: wait for every task (wg.Wait); returned later: cancel the others on the first failure")
		})
	})
}

// TestGatherFailTogether has two tasks fail at the same instant, many times over: either
// error may come back, but only one, and it must be the cause the cancelled task sees.
func TestGatherFailTogether(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		const rounds = 100 // the two failures race each other: enough rounds that -race sees it every run
		call := `Gather(a after 2s, fails "a failed" after 1s, fails "b failed" after 1s)`
		katatest.Bubble(t, func(t *testing.T) {
			for range rounds {
				var p tasktest.Probe
				// Both failing tasks wait for the same gate, closed at 1s, so neither of them
				// has run before the other in the eyes of the race detector.
				gate := make(chan struct{})
				time.AfterFunc(time.Second, func() { close(gate) })
				failing := func(err error) func(context.Context) (string, error) {
					return func(context.Context) (string, error) { <-gate; return "", err }
				}
				start := time.Now()
				got, err := gather.Gather(t.Context(), p.Tasks([]tasktest.Spec{tasktest.OK("a", 2*time.Second)})[0], failing(errA), failing(errB))

				switch {
				case err == nil:
					t.Errorf("%s returned no error, want %q or %q: a failed task's error must reach the caller", call, errA, errB)
					return
				case errors.Is(err, errA) && errors.Is(err, errB):
					t.Errorf("%s returned %v, want one of the two errors alone: both tasks failed at 1s, "+
						"keep whichever comes first and drop the other (sync.Once, or a mutex around the first-error check)", call, err)
					return
				case !errors.Is(err, errA) && !errors.Is(err, errB):
					t.Errorf("%s returned %v, want %q or %q (both failed at 1s, either may be first): "+
						"keep the first error itself and drop the ones that come after it, a cancelled task's included", call, err, errA, errB)
					return
				}
				if got != nil {
					t.Errorf("%s = %#v, want nil results: when a task fails, Gather returns nil and the error", call, got)
					return
				}
				if causes := p.Causes(); len(causes) != 1 || !errors.Is(err, causes[0]) {
					t.Errorf("%s returned %v, but the cancelled task saw context.Cause = %v: both tasks failed at 1s; "+
						"the error kept as the first and the cause given to cancel must be the same one, "+
						"decided in one step (once.Do(func() { first = err; cancel(err) }))", call, err, causes)
					return
				}
				if !katatest.Elapsed(t, start, time.Second+cleanup, errTookHint(call, time.Since(start), time.Second+cleanup)) {
					return
				}
			}
		})
	})
}

func TestGatherCancelsTheRest(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			var p tasktest.Probe
			give := []tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.Fail(errBoom, time.Second), tasktest.OK("b", 2*time.Second)}
			call := tasktest.Describe("Gather", give)
			_, err := gather.Gather(t.Context(), p.Tasks(give)...)
			if err == nil {
				t.Fatalf("%s returned no error, want error %q: a failed task's error must reach the caller", call, errBoom)
			}

			if n := p.Running(); n > 0 {
				// The tasks still running may not have seen their context end yet: counting
				// the cancelled ones now would blame the cancelling for the missing wait.
				t.Errorf("%s returned while tasks were still running (%d), want none: "+
					"after cancelling the others, wait for every goroutine (wg.Wait) before returning", call, n)
			} else if n := p.Cancelled(); n != 2 {
				t.Errorf("%s cancelled %d of the 2 tasks still running when one failed, want 2: "+
					"give the tasks a context derived from ctx (context.WithCancelCause) and cancel it on the first error", call, n)
			}
			for _, cause := range p.Causes() {
				if !errors.Is(cause, errBoom) {
					t.Errorf("a task cancelled by %s saw context.Cause(ctx) = %v, want %v: "+
						"cancel with the first error as the cause, cancel(err), so the others can tell why they were stopped", call, cause, errBoom)
					break
				}
			}
		})
	})
}

func TestGatherParentContext(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		for _, end := range katatest.Endings(2*time.Second, errStop) {
			t.Run(end.Name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					var p tasktest.Probe
					ctx, stop := end.Start(t.Context())
					defer stop()
					give := []tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b", time.Second), tasktest.OK("c", 4*time.Second)}
					call := tasktest.Describe("Gather", give) + " with " + end.How
					start := time.Now()
					got, err := gather.Gather(ctx, p.Tasks(give)...)

					switch {
					case errors.Is(err, end.Cause) && !errors.Is(err, end.Err):
						t.Errorf("%s returned %v, want %v: that is the context's cause; the tasks that saw the context end "+
							"returned %v, and Gather returns the first task error itself", call, err, end.Err, end.Err)
					default:
						checkErr(t, call, err, end.Err)
					}
					if got != nil {
						t.Errorf("%s = %#v, want nil results: the slow tasks failed when the caller's context ended", call, got)
					}
					for _, cause := range p.Causes() {
						if !errors.Is(cause, end.Cause) {
							t.Errorf("a task run by %s saw context.Cause(ctx) = %v, want %v: give the tasks a context derived "+
								"from the caller's (context.WithCancelCause(ctx)), so they see why it ended", call, cause, end.Cause)
							break
						}
					}
					katatest.Elapsed(t, start, 2*time.Second+cleanup,
						"the caller's context ends at 2s, then the slow tasks tidy up for "+cleanup.String()+
							"; do the tasks get a context derived from the caller's, and do you wait for them?")
				})
			})
		}
	})
}

// TestGatherEndsTheTasksContext checks that the context Gather gives its tasks has ended
// by the time it returns, even when every task succeeded.
func TestGatherEndsTheTasksContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var (
			mu   sync.Mutex
			ctxs []context.Context
		)
		keep := func(d time.Duration) func(context.Context) (string, error) {
			return func(ctx context.Context) (string, error) {
				mu.Lock()
				ctxs = append(ctxs, ctx)
				mu.Unlock()
				time.Sleep(d)
				return "ok", nil
			}
		}
		call := "Gather(ok after 1s, ok after 2s)"
		if _, err := gather.Gather(t.Context(), keep(time.Second), keep(2*time.Second)); err != nil {
			t.Fatalf("%s returned error %v, want nil: no task failed", call, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(ctxs) != 2 {
			t.Fatalf("%s ran %d tasks, want 2", call, len(ctxs))
		}
		for _, ctx := range ctxs {
			if ctx.Err() == nil {
				t.Errorf("%s returned, but the context its tasks got had not ended, want it ended: "+
					"cancel the context you derived when Gather returns (defer cancel(nil)), or whatever a task left "+
					"watching it (a context.AfterFunc, a goroutine of its own) goes on for ever", call)
				return
			}
		}
	})
}

// TestGatherFinishAsCtxEnds has the slowest task finish at the very instant the caller's
// context times out, many times over: when the task wins, every task succeeded and Gather
// returns their results; when the deadline wins, that task fails and so does Gather.
func TestGatherFinishAsCtxEnds(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		const rounds = 50 // the finish and the deadline race: try it many times
		give := []tasktest.Spec{tasktest.OK("a", time.Second), tasktest.OK("b", 2*time.Second)}
		call := tasktest.Describe("Gather", give) + " with a context that times out after 2s"
		katatest.Bubble(t, func(t *testing.T) {
			for range rounds {
				var p tasktest.Probe
				ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
				got, err := gather.Gather(ctx, p.Tasks(give)...)
				cancel()
				switch failed := p.Cancelled() > 0; {
				case !failed && err != nil:
					t.Fatalf("%s returned %v, but every task succeeded (b finished at 2s, as the deadline came): "+
						"the tasks' errors decide, not ctx; return the results when no task failed, "+
						"instead of checking ctx.Err() after the wait", call, err)
				case !failed && !slices.Equal(got, []string{"a", "b"}):
					t.Fatalf("%s = %#v, want [a b]: every task succeeded", call, got)
				case failed:
					checkErr(t, call, err, context.DeadlineExceeded)
					if t.Failed() {
						return
					}
				}
			}
		})
	})
}

// checkErr checks that the call returned want, or an error wrapping it, and no error that
// came after it.
func checkErr(t *testing.T, call string, err, want error) {
	t.Helper()
	later := []error{errBoom, errEarly, errLate, errA, errB, context.Canceled, context.DeadlineExceeded}
	switch {
	case err == nil:
		t.Errorf("%s returned no error, want error %q: a failed task's error must reach the caller", call, want)
	case errors.Is(err, want):
		for _, other := range later {
			if other != want && errors.Is(err, other) {
				t.Errorf("%s returned %v, want error %q alone: it also holds %q. Return the first error itself; "+
					"the errors that come after it (cancelled tasks' included) are dropped, not joined", call, err, want, other)
				return
			}
		}
	case errors.Is(err, errLate) && errors.Is(want, errEarly):
		t.Errorf("%s returned %v, want error %q: that task failed later, even though it comes first in the list; "+
			"\"first\" means first in time: keep the error of the first task to fail, as it happens, and cancel the others then", call, err, want)
	case errors.Is(err, context.Canceled) && !errors.Is(want, context.Canceled):
		t.Errorf("%s returned %v, want error %q: that is the error of a task you cancelled, not the first failure; "+
			"keep the first error and ignore the ones that come after it", call, err, want)
	default:
		t.Errorf("%s returned %v (%T), want error %q: return the first task error itself (or wrap it with %%w), "+
			"so errors.Is finds it; did an error that came later win, or was it rebuilt from its text?", call, err, err, want)
	}
}

// checkTookSlowest checks that the call, recorded by rec, took as long as the slowest task,
// and draws what it did when it did not.
func checkTookSlowest(t *testing.T, call string, rec *timeline.Recorder, specs []tasktest.Spec) {
	t.Helper()
	took := rec.Timeline().ReturnAt
	var slowest, total time.Duration
	for _, s := range specs {
		slowest, total = max(slowest, s.Delay), total+s.Delay
	}
	if took == slowest {
		return
	}
	hint := call + " should take as long as its slowest task. "
	switch {
	case took < slowest:
		hint += "It returned before the slowest task finished: wait for every task before returning."
	case took == total && len(specs) > 1:
		hint += "The tasks ran one after another: start all of them (go, or wg.Go) before waiting for any."
	default:
		hint += "Something waited longer than the slowest task."
	}
	t.Errorf("took %v of fake time, want %v: %s\n\n%s", took, slowest, hint, rec.Diff(wantTimeline(specs)))
}

// errTookHint explains a wrong elapsed time for a call in which a task failed.
func errTookHint(call string, took, want time.Duration) string {
	switch {
	case took < want:
		return call + " returned too early: after the first failure, cancel the other tasks and wait until every one " +
			"has returned (a cancelled task needs " + cleanup.String() + " to tidy up)"
	default:
		return call + " returned too late: on the first failure, cancel the other tasks' context " +
			"instead of waiting for them to finish their work"
	}
}

// orderHint explains a wrong result slice.
func orderHint(got, want []string) string {
	switch {
	case len(got) == len(want) && slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))):
		return "the right results in the wrong order.\n" +
			"These look like the order the tasks finished in; Gather promises the order of its arguments: put each result at its task's index"
	default:
		return "one result per task, in the order of the tasks"
	}
}

// benchTasks is how many tasks each benchmark iteration runs.
const benchTasks = 100

// BenchmarkGather measures Gather's cost per task. Compare it with BenchmarkGatherBaseline:
//
//	go test ./advanced/gather -run '^$' -bench Gather
func BenchmarkGather(b *testing.B) {
	tasks := tasktest.Instant(benchTasks)
	for b.Loop() {
		if _, err := gather.Gather(b.Context(), tasks...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/task")
}

// BenchmarkGatherBaseline is the same work written by hand: one goroutine per task sending
// its index and result on a channel, no cancellation and no first-error bookkeeping.
func BenchmarkGatherBaseline(b *testing.B) {
	tasks := tasktest.Instant(benchTasks)
	type indexed struct {
		i   int
		v   int
		err error
	}
	for b.Loop() {
		ch := make(chan indexed)
		for i, task := range tasks {
			go func() {
				v, err := task(b.Context())
				ch <- indexed{i, v, err}
			}()
		}
		results := make([]int, len(tasks))
		for range tasks {
			r := <-ch
			if r.err != nil {
				b.Fatal(r.err)
			}
			results[r.i] = r.v
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/task")
}
