package ascompleted_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/advanced/ascompleted"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/tasktest"
	"github.com/go-async-katas/katas/internal/timeline"
)

var (
	errBoom = errors.New("boom")
	errLate = errors.New("late failure")
	errLoop = errors.New("the loop body panicked")
	errStop = errors.New("caller stopped")
)

func TestAsCompleted(t *testing.T) {
	tests := []struct {
		name string
		give []tasktest.Spec
		want []outcome
	}{
		{
			"seed",
			[]tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b1", time.Second), tasktest.OK("b2", time.Second)},
			[]outcome{{value: "b1", at: time.Second}, {value: "b2", at: time.Second}, {value: "a", at: 3 * time.Second}},
		},
		{
			"slowest first",
			[]tasktest.Spec{tasktest.OK("z", 3*time.Second), tasktest.OK("y", 2*time.Second), tasktest.OK("x", time.Second)},
			[]outcome{{value: "x", at: time.Second}, {value: "y", at: 2 * time.Second}, {value: "z", at: 3 * time.Second}},
		},
		{
			"fastest first",
			[]tasktest.Spec{tasktest.OK("x", time.Second), tasktest.OK("y", 2*time.Second), tasktest.OK("z", 3*time.Second)},
			[]outcome{{value: "x", at: time.Second}, {value: "y", at: 2 * time.Second}, {value: "z", at: 3 * time.Second}},
		},
		{"one", []tasktest.Spec{tasktest.OK("solo", 2*time.Second)}, []outcome{{value: "solo", at: 2 * time.Second}}},
		{"none", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				var p tasktest.Probe
				call := tasktest.Describe("AsCompleted", tt.give)
				got := collect(t, call, ascompleted.AsCompleted(t.Context(), p.Tasks(tt.give)...))
				checkOutcomes(t, call, got, tt.want)
			})
		})
	}
}

func TestAsCompletedErrors(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		give := []tasktest.Spec{tasktest.Fail(errLate, 3*time.Second), tasktest.OK("x", 2*time.Second), tasktest.Fail(errBoom, time.Second)}
		call := tasktest.Describe("AsCompleted", give)
		got := collect(t, call, ascompleted.AsCompleted(t.Context(), p.Tasks(give)...))
		checkOutcomes(t, call, got, []outcome{
			{err: errBoom, at: time.Second},
			{value: "x", at: 2 * time.Second},
			{err: errLate, at: 3 * time.Second},
		})
	})
}

func TestAsCompletedTwice(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		give := []tasktest.Spec{tasktest.OK("a", 2*time.Second), tasktest.OK("b", time.Second)}
		call := tasktest.Describe("AsCompleted", give)
		seq := ascompleted.AsCompleted(t.Context(), p.Tasks(give)...)
		synctest.Wait() // let anything started run as far as it can
		if n := p.Started(); n > 0 {
			t.Fatalf("%s started %d tasks before any loop ranged over it, want none: start the tasks inside the iterator function,\n"+
				"so that each range loop runs every task again (and an iterator nobody uses starts nothing)", call, n)
		}
		want := []outcome{{value: "b", at: time.Second}, {value: "a", at: 2 * time.Second}}
		for _, loop := range []string{"first", "second"} {
			if !checkOutcomes(t, "the "+loop+" loop over "+call, collect(t, call, seq), want) {
				return
			}
		}
		if n := p.Started(); n != 4 {
			t.Errorf("two loops over %s started %d tasks, want 4: each range loop runs every task again, "+
				"so keep everything a run needs (channel, context, WaitGroup) inside the iterator function", call, n)
		}
	})
}

func TestAsCompletedBreak(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		const rounds = 50 // outcomes that come at one instant arrive in any order: try each case many times
		tests := []struct {
			name          string
			give          []tasktest.Spec
			wantFirst     []outcome // the loop breaks after one of these
			wantCancelled int       // the tasks still running at the break
			wantTies      int       // the tasks that finish at the instant of the break: cancelled or not, either is right
			wantReturn    time.Duration
		}{
			{
				name:          "one finishes first",
				give:          []tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b", time.Second), tasktest.OK("c", 2*time.Second)},
				wantFirst:     []outcome{{value: "b", at: time.Second}},
				wantCancelled: 2, wantTies: 0, wantReturn: time.Second + cleanup,
			},
			{
				name:          "two finish together",
				give:          []tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b", time.Second), tasktest.OK("c", time.Second)},
				wantFirst:     []outcome{{value: "b", at: time.Second}, {value: "c", at: time.Second}},
				wantCancelled: 1, wantTies: 1, wantReturn: time.Second + cleanup,
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					for range rounds {
						var p tasktest.Probe
						call := tasktest.Describe("AsCompleted", tt.give)
						tl := timeline.New()
						seq := ascompleted.AsCompleted(t.Context(), recording(tl, p.Tasks(tt.give), tt.give)...)
						want := breakTimeline(tt.give, time.Second, tt.wantReturn)
						if !checkBreak(t, call, &p, seq, tt.wantFirst, tt.wantCancelled, tt.wantTies, tt.wantReturn, tl, want) {
							return
						}
					}
				})
			})
		}
	})
}

// TestAsCompletedBreakStubborn breaks a loop whose first task ignores its context: the
// iterator must still wait for it.
func TestAsCompletedBreakStubborn(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			var p tasktest.Probe
			stubborn := tasktest.Stubborn(tasktest.Fail(errLate, 3*time.Second))
			give := []tasktest.Spec{tasktest.OK("b", time.Second), tasktest.OK("c", 2*time.Second)}
			tl := timeline.New()
			probed := recording(tl, p.Tasks(give), give)
			call := `AsCompleted(fails "late failure" after 3s and ignores its context, b after 1s, c after 2s)`
			seq := ascompleted.AsCompleted(t.Context(), timeline.Wrap(tl, "ignores ctx", stubborn), probed[0], probed[1])
			want := timeline.Want().Task("ignores ctx", 0, 3*time.Second, timeline.Failed)
			want.Spans = append(want.Spans, breakTimeline(give, time.Second, 3*time.Second).Spans...)
			checkBreak(t, call, &p, seq, []outcome{{value: "b", at: time.Second}}, 1, 0, 3*time.Second, tl, want.Return(3*time.Second))
		})
	})
}

// checkBreak calls seq the way a range loop that breaks at its first outcome does, and checks
// that the first outcome is one of wantFirst, that yield is not called again, that wantCancelled
// tasks of p saw their context end (and up to ties more, which finished at the instant of the
// break), and that seq returned wantReturn after it started, with no task of p still running. When the cancelling or the waiting went wrong, it draws what tl
// recorded above want. It reports whether all was well.
func checkBreak(t *testing.T, call string, p *tasktest.Probe, seq func(yield func(string, error) bool),
	wantFirst []outcome, wantCancelled, ties int, wantReturn time.Duration, tl *timeline.Recorder, want *timeline.Timeline) bool {
	t.Helper()
	synctest.Wait() // let anything started run as far as it can
	if n := p.Started(); n > 0 {
		t.Errorf("%s started %d tasks before any loop ranged over it, want none: "+
			"start the tasks inside the iterator function, so an iterator nobody uses runs and leaks nothing", call, n)
		return false
	}

	rec := &yieldLog{start: time.Now()}
	seq(rec.yieldOnce) // what `for v, err := range seq { ...; break }` does
	tl.Returned()
	took := time.Since(rec.start)
	got, extra := rec.calls()
	drawing := "\n\n" + tl.Diff(want)

	switch {
	case len(got) == 0:
		t.Errorf("%s yielded nothing, want %s: yield each task's result and error to the loop", call, oneOf(wantFirst))
	case !slices.Contains(wantFirst, got[0]):
		t.Errorf("%s first yielded %v, want %s: the first task to finish, as soon as it finishes", call, got[0], oneOf(wantFirst))
	case extra > 0:
		t.Errorf("%s called yield %d more times after it returned false, want none: "+
			"false means the loop is over (break); return at once, even when more outcomes are already waiting. "+
			"In a range loop Go would panic:\n"+
			"\"range function continued iteration after function for loop body returned false\"", call, extra)
	case p.Running() > 0:
		t.Errorf("after the loop over %s broke at 1s, the iterator returned with tasks still running (%d), want none: "+
			"cancel their context and wait for them (wg.Wait) before returning%s", call, p.Running(), drawing)
	case p.Cancelled() < wantCancelled:
		t.Errorf("after the loop over %s broke at 1s, %d of the %d unfinished tasks that watch their context saw it end, want %d: "+
			"give the tasks a context derived from ctx and cancel it when yield returns false, "+
			"instead of letting them run to the end%s", call, p.Cancelled(), wantCancelled, wantCancelled, drawing)
	case p.Cancelled() > wantCancelled+ties:
		t.Errorf("after the loop over %s broke at 1s, %d tasks saw their context end, want at most %d: "+
			"cancel the tasks' context only when the loop stops%s", call, p.Cancelled(), wantCancelled+ties, drawing)
	case took != wantReturn:
		t.Errorf("after the loop over %s broke at 1s, the iterator returned at %v, want %v: "+
			"cancel the unfinished tasks and return as soon as every task has returned "+
			"(a cancelled task tidies up for %v; one that ignores its context runs to its end)%s", call, took, wantReturn, cleanup, drawing)
	default:
		return true
	}
	return false
}

// recording returns tasks, built from specs, each noted in tl under its spec's value.
func recording(tl *timeline.Recorder, tasks []func(context.Context) (string, error), specs []tasktest.Spec) []func(context.Context) (string, error) {
	for i, s := range specs {
		tasks[i] = timeline.Wrap(tl, s.Value, tasks[i])
	}
	return tasks
}

// breakTimeline is what the iterator should do with tasks built from specs when the loop
// breaks at breakAt: the tasks done by then are done, the others cancelled and tidied up
// (cleanup), and it returns at returnAt.
func breakTimeline(specs []tasktest.Spec, breakAt, returnAt time.Duration) *timeline.Timeline {
	want := timeline.Want()
	for _, s := range specs {
		if s.Delay <= breakAt {
			want.Done(s.Value, 0, s.Delay)
		} else {
			want.Task(s.Value, 0, breakAt+cleanup, timeline.Cancelled)
		}
	}
	return want.Return(returnAt)
}

// oneOf describes the outcomes a check accepts: "b at 1s" or "b at 1s or c at 1s".
func oneOf(outcomes []outcome) string {
	parts := make([]string, len(outcomes))
	for i, o := range outcomes {
		parts[i] = o.String()
	}
	return strings.Join(parts, " or ")
}

func TestAsCompletedBreakThenRangeAgain(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			var p tasktest.Probe
			give := []tasktest.Spec{tasktest.OK("a", 2*time.Second), tasktest.OK("b", time.Second)}
			call := tasktest.Describe("AsCompleted", give)
			seq := ascompleted.AsCompleted(t.Context(), p.Tasks(give)...)
			for range seq {
				break
			}
			want := []outcome{{value: "b", at: time.Second}, {value: "a", at: 2 * time.Second}}
			got := collect(t, call, seq)
			if !checkOutcomes(t, "a second loop over "+call+", after a first loop broke at its first outcome,", got, want) {
				if slices.ContainsFunc(got, func(o outcome) bool { return errors.Is(o.err, context.Canceled) }) {
					t.Errorf("the second loop's tasks found their context already cancelled: the first loop's break cancelled a context " +
						"that every loop shares. Derive the tasks' context inside the iterator function, so each loop gets its own")
				}
			}
		})
	})
}

func TestAsCompletedManyTasks(t *testing.T) {
	const n = 1000 // more than any machine's cores: a pool of runtime.GOMAXPROCS workers fails here too
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		give := tasktest.Many(n, time.Second)
		call := fmt.Sprintf("AsCompleted(%d tasks of 1s each)", n)
		got := collect(t, call, ascompleted.AsCompleted(t.Context(), p.Tasks(give)...))

		seen := make(map[string]bool, n)
		for _, o := range got {
			switch {
			case o.err != nil:
				t.Fatalf("a loop over %s got error %q, want none: no task fails", call, o.err)
			case o.at != time.Second:
				t.Fatalf("a loop over %s got %v, want every outcome at 1s, all tasks at once. "+
					"Does something limit how many run at the same time (a pool of runtime.GOMAXPROCS or NumCPU workers, "+
					"a semaphore)? Start one goroutine per task", call, o)
			case seen[o.value]:
				t.Fatalf("a loop over %s got %v twice, want each task's outcome once", call, o)
			}
			seen[o.value] = true
		}
		if len(got) != n {
			t.Errorf("a loop over %s got %d outcomes, want %d: one per task", call, len(got), n)
		}
	})
}

func TestAsCompletedPanicInLoop(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			var p tasktest.Probe
			give := []tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b", time.Second)}
			call := tasktest.Describe("AsCompleted", give)
			var ran, elsewhere bool
			ranging := gotrace.Self().ID
			recovered := func() (r any) {
				defer func() { r = recover() }()
				for range ascompleted.AsCompleted(t.Context(), p.Tasks(give)...) {
					ran = true
					if gotrace.Self().ID != ranging {
						// A panic here would end the whole test binary: report it instead.
						elsewhere = true
						break
					}
					panic(errLoop)
				}
				return nil
			}()

			if elsewhere {
				t.Fatalf("the body of a loop over %s ran on a goroutine other than the one ranging over it.\n%s", call, elsewhereHint)
			}
			if !ran {
				t.Fatalf("the body of a loop over %s panics at its first outcome, but it never ran: "+
					"yield each task's result and error to the loop", call)
			}
			if err, _ := recovered.(error); !errors.Is(err, errLoop) {
				t.Errorf("the loop over %s ended with panic %v, want the loop body's own panic %q to come through", call, recovered, errLoop)
			}
			if n := p.Running(); n > 0 {
				t.Errorf("the body of a loop over %s panicked, and tasks were still running (%d) after the panic left the loop, want none: "+
					"cancel and wait in a defer, so it runs however the loop ends", call, n)
			}
		})
	})
}

func TestAsCompletedParentContext(t *testing.T) {
	// The outcomes of the tasks stopped by the caller's context all come at one instant:
	// the scenario is repeated so that code which drops some of them is caught every run.
	const rounds = 20
	for _, end := range katatest.Endings(2*time.Second, errStop) {
		t.Run(end.Name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				for range rounds {
					var p tasktest.Probe
					ctx, stop := end.Start(t.Context())
					give := []tasktest.Spec{tasktest.OK("x", time.Second), tasktest.OK("y", 3*time.Second), tasktest.OK("z", 5*time.Second)}
					call := tasktest.Describe("AsCompleted", give) + " with " + end.How
					got, ended := collectWithin(t, call, ascompleted.AsCompleted(ctx, p.Tasks(give)...), 5*time.Second+time.Minute)
					stop()
					if !ended {
						t.Fatalf("the loop over %s yielded\n\t%s\nand had not ended a minute after its slowest task: the outcomes of the tasks stopped\n"+
							"by the caller's context never came. Did the tasks drop their outcome when ctx ended (a select on ctx.Done()\n"+
							"beside the send)? The loop is still waiting for it: give the channel room for every outcome, or select on a\n"+
							"stop channel that is closed only when the loop stops", call, list(got))
					}
					want := []outcome{
						{value: "x", at: time.Second},
						{err: end.Err, at: 2*time.Second + cleanup},
						{err: end.Err, at: 2*time.Second + cleanup},
					}
					if len(got) < len(want) && !slices.ContainsFunc(got, func(o outcome) bool { return o.err != nil }) {
						t.Errorf("the loop over %s yielded\n\t%s\nand then ended, want also the errors of y and z, which the caller's ctx\n"+
							"stopped at 2s (they return %v after %v of tidying up).\n"+
							"When the caller's ctx ends, keep handing over the tasks' outcomes (their errors): do not leave the loop.\n"+
							"It ends once every task's outcome has been handed over, or when yield returns false",
							call, list(got), end.Err, cleanup)
						return
					}
					if !checkOutcomes(t, call, got, want) {
						return
					}
					for _, cause := range p.Causes() {
						if !errors.Is(cause, end.Cause) {
							t.Errorf("a task run by a loop over %s saw context.Cause(ctx) = %v, want %v: give the tasks a context derived "+
								"from the caller's (context.WithCancel(ctx)), so they see why it ended", call, cause, end.Cause)
							return
						}
					}
				}
			})
		})
	}
}

// benchTasks is how many tasks each benchmark iteration runs.
const benchTasks = 100

// BenchmarkAsCompleted measures AsCompleted's cost per task, for a loop that takes every
// outcome. Compare it with BenchmarkAsCompletedBaseline:
//
//	go test ./advanced/ascompleted -run '^$' -bench AsCompleted
func BenchmarkAsCompleted(b *testing.B) {
	tasks := tasktest.Instant(benchTasks)
	for b.Loop() {
		for _, err := range ascompleted.AsCompleted(b.Context(), tasks...) {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/task")
}

// BenchmarkAsCompletedBaseline is the same work written by hand: one goroutine per task
// sending its outcome on a channel, received in arrival order, with no iterator, no
// cancellation and no way to stop early.
func BenchmarkAsCompletedBaseline(b *testing.B) {
	tasks := tasktest.Instant(benchTasks)
	type outcome struct {
		v   int
		err error
	}
	for b.Loop() {
		ch := make(chan outcome)
		for _, task := range tasks {
			go func() {
				v, err := task(b.Context())
				ch <- outcome{v, err}
			}()
		}
		for range tasks {
			if o := <-ch; o.err != nil {
				b.Fatal(o.err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchTasks), "ns/task")
}
