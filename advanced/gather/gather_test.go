package gather_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/gather"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/tasktest"
)

var (
	errBoom  = errors.New("boom")
	errEarly = errors.New("early failure")
	errLate  = errors.New("late failure")
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
				start := time.Now()
				got, err := gather.Gather(t.Context(), p.Tasks(tt.give)...)

				if err != nil {
					t.Errorf("%s returned error %v, want nil: no task failed", call, err)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("%s = %#v, want %#v: %s", call, got, tt.want, orderHint(got, tt.want))
				}
				checkTookSlowest(t, call, start, tt.give)
			})
		})
	}
}

func TestGatherFirstError(t *testing.T) {
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
			"earliest failure wins",
			[]tasktest.Spec{tasktest.Fail(errLate, 2*time.Second), tasktest.Fail(errEarly, time.Second)},
			errEarly, time.Second + cleanup,
		},
		{
			"two fail at once",
			[]tasktest.Spec{tasktest.Fail(errBoom, time.Second), tasktest.OK("a", 2*time.Second), tasktest.Fail(errBoom, time.Second)},
			errBoom, time.Second + cleanup,
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
				start := time.Now()
				got, err := gather.Gather(t.Context(), p.Tasks(tt.give)...)

				checkErr(t, call, err, tt.wantErr)
				if got != nil {
					t.Errorf("%s = %#v, want nil results: when a task fails, Gather returns nil and the error", call, got)
				}
				katatest.Elapsed(t, start, tt.wantTook, errTookHint(call, time.Since(start), tt.wantTook))
			})
		})
	}
}

func TestGatherCancelsTheRest(t *testing.T) {
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
			t.Errorf("%s returned while %d tasks were still running, want none: "+
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
}

func TestGatherParentContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		give := []tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b", time.Second)}
		call := tasktest.Describe("Gather", give) + " with a context that times out after 2s"
		start := time.Now()
		got, err := gather.Gather(ctx, p.Tasks(give)...)

		checkErr(t, call, err, context.DeadlineExceeded)
		if got != nil {
			t.Errorf("%s = %#v, want nil results: the slow task failed when the caller's context ended", call, got)
		}
		katatest.Elapsed(t, start, 2*time.Second+cleanup,
			"the caller's context ends at 2s, then the slow task tidies up for "+cleanup.String()+
				"; do the tasks get a context derived from the caller's, and do you wait for them?")
	})
}

// checkErr checks that the call returned want, or an error wrapping it.
func checkErr(t *testing.T, call string, err, want error) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s returned no error, want error %q: a failed task's error must reach the caller", call, want)
	case errors.Is(err, want):
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

// checkTookSlowest checks that the call, started at start, took as long as the slowest task.
func checkTookSlowest(t *testing.T, call string, start time.Time, specs []tasktest.Spec) {
	t.Helper()
	took := time.Since(start)
	var slowest, total time.Duration
	for _, s := range specs {
		slowest, total = max(slowest, s.Delay), total+s.Delay
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
	katatest.Elapsed(t, start, slowest, hint)
}

// errTookHint explains a wrong elapsed time for a call in which a task failed.
func errTookHint(call string, took, want time.Duration) string {
	switch {
	case took < want:
		return call + " returned too early: after the first failure, cancel the other tasks and wait until they have " +
			"returned (they need " + cleanup.String() + " to tidy up)"
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
