package ascompleted_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/advanced/ascompleted"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/tasktest"
)

var (
	errBoom = errors.New("boom")
	errLate = errors.New("late failure")
	errLoop = errors.New("the loop body panicked")
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
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		give := []tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b", time.Second), tasktest.OK("c", 2*time.Second)}
		call := tasktest.Describe("AsCompleted", give)
		seq := ascompleted.AsCompleted(t.Context(), p.Tasks(give)...)
		synctest.Wait() // let anything started run as far as it can
		if n := p.Started(); n > 0 {
			t.Errorf("%s started %d tasks before any loop ranged over it, want none: "+
				"start the tasks inside the iterator function, so an iterator nobody uses runs and leaks nothing", call, n)
		}

		rec := &yieldLog{start: time.Now()}
		seq(rec.yieldOnce) // what `for v, err := range seq { ...; break }` does
		took := time.Since(rec.start)
		got, extra := rec.calls()

		if len(got) == 0 {
			t.Fatalf("%s yielded nothing, want b at 1s: yield each task's result and error to the loop", call)
		}
		if want := (outcome{value: "b", at: time.Second}); got[0] != want {
			t.Fatalf("%s first yielded %v, want %v: the first task to finish, as soon as it finishes", call, got[0], want)
		}
		if extra > 0 {
			t.Errorf("%s called yield %d more times after it returned false, want none: "+
				"false means the loop is over (break); return at once. In a range loop Go would panic:\n"+
				"\"range function continued iteration after function for loop body returned false\"", call, extra)
		}
		switch n := p.Running(); {
		case n > 0:
			t.Errorf("after the loop broke at 1s, %d tasks were still running when the iterator returned, want none: "+
				"cancel their context and wait for them (wg.Wait) before returning", n)
		case p.Cancelled() != 2:
			t.Errorf("after the loop broke at 1s, %d of the 2 unfinished tasks saw their context end, want 2: "+
				"give the tasks a context derived from ctx and cancel it when yield returns false, "+
				"instead of letting them run to the end", p.Cancelled())
		case took != time.Second+cleanup:
			t.Errorf("after the loop broke at 1s, the iterator returned at %v, want %v: "+
				"cancel the unfinished tasks and return as soon as they have tidied up (%v)", took, time.Second+cleanup, cleanup)
		}
	})
}

func TestAsCompletedPanicInLoop(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		give := []tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.OK("b", time.Second)}
		call := tasktest.Describe("AsCompleted", give)
		var ran, elsewhere bool
		ranging := goroutineID()
		recovered := func() (r any) {
			defer func() { r = recover() }()
			for range ascompleted.AsCompleted(t.Context(), p.Tasks(give)...) {
				ran = true
				if goroutineID() != ranging {
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
			t.Errorf("the body of a loop over %s panicked, and %d tasks were still running after the panic left the loop, want none: "+
				"cancel and wait in a defer, so it runs however the loop ends", call, n)
		}
	})
}

func TestAsCompletedParentContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		give := []tasktest.Spec{tasktest.OK("x", time.Second), tasktest.OK("y", 3*time.Second), tasktest.OK("z", 5*time.Second)}
		call := tasktest.Describe("AsCompleted", give) + " with a context that times out after 2s"
		got, ended := collectWithin(t, call, ascompleted.AsCompleted(ctx, p.Tasks(give)...), 5*time.Second+time.Minute)
		if !ended {
			t.Fatalf("the loop over %s yielded\n\t%s\nand had not ended a minute after its slowest task: the outcomes of the tasks stopped\n"+
				"by the caller's context never came. Did the tasks drop their outcome when ctx ended (a select on ctx.Done()\n"+
				"beside the send)? The loop is still waiting for it: give the channel room for every outcome, or select on a\n"+
				"stop channel that is closed only when the loop stops", call, list(got))
		}
		checkOutcomes(t, call, got, []outcome{
			{value: "x", at: time.Second},
			{err: context.DeadlineExceeded, at: 2*time.Second + cleanup},
			{err: context.DeadlineExceeded, at: 2*time.Second + cleanup},
		})
	})
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
