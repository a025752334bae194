package supervise_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/supervise"
	"github.com/go-async-katas/katas/advanced/supervise/failure"
	"github.com/go-async-katas/katas/internal/clock"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

// report is one handler call, and when it happened.
type report struct {
	err error
	at  time.Duration
}

// recordReports returns a handler that appends each call to *got, with the fake time since
// start. It takes no lock on purpose: the Supervisor promises that handler calls never
// overlap, and `go test -race` holds it to that.
func recordReports(got *[]report, start time.Time) func(error) {
	return func(err error) {
		// A data race reported on this line is the Supervisor's: two handler calls overlapped
		// (guard the call with a mutex), or one ran after Wait returned (count each task with
		// the WaitGroup before its goroutine starts, and call the handler inside that goroutine).
		*got = append(*got, report{err, time.Since(start)})
	}
}

// describeReports turns handler calls into "name failed at 10ms" lines, sorted.
func describeReports(reports []report) []string {
	lines := make([]string, 0, len(reports))
	for _, r := range reports {
		var te *failure.TaskError
		if !errors.As(r.err, &te) {
			lines = append(lines, fmt.Sprintf("%v (not a *failure.TaskError) at %v", r.err, r.at))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s failed at %v", te.Name, r.at))
	}
	slices.Sort(lines)
	return lines
}

// outcomeOf is how a task returning err ends, for a timeline.
func outcomeOf(err error) timeline.Outcome {
	if err != nil {
		return timeline.Failed
	}
	return timeline.Done
}

// task is one row of work for a Supervisor: it runs for after, then returns err.
type task struct {
	name  string
	after time.Duration
	err   error
}

func TestSupervisorReportsFailures(t *testing.T) {
	tests := []struct {
		name     string
		give     []task
		want     []string
		wantTook time.Duration
	}{
		{"seed", []task{{"shorter", 10 * time.Millisecond, errBoom}, {"longer", time.Second, nil}},
			[]string{"shorter failed at 10ms"}, time.Second},
		{"all succeed", []task{{"a", time.Second, nil}, {"b", 2 * time.Second, nil}},
			[]string{}, 2 * time.Second},
		{"two fail", []task{{"a", time.Second, errBoom}, {"b", 2 * time.Second, errOther}, {"c", 3 * time.Second, nil}},
			[]string{"a failed at 1s", "b failed at 2s"}, 3 * time.Second},
		{"fail last", []task{{"a", time.Second, nil}, {"b", 2 * time.Second, errOther}},
			[]string{"b failed at 2s"}, 2 * time.Second},
		{"second listed fails first", []task{{"a", 2 * time.Second, errBoom}, {"b", time.Second, errOther}},
			[]string{"a failed at 2s", "b failed at 1s"}, 2 * time.Second},
		{"no tasks", nil, []string{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				start := time.Now()
				rec := timeline.New()
				want := timeline.Want()
				var got []report
				s := supervise.New(t.Context(), recordReports(&got, start))
				for _, tk := range tt.give {
					want.Task(tk.name, 0, tk.after, outcomeOf(tk.err))
					s.Go(tk.name, func(ctx context.Context) error {
						span := rec.Start(tk.name)
						time.Sleep(tk.after)
						span.End(tk.err)
						return tk.err
					})
				}
				katatest.Elapsed(t, start, 0, "Go must return at once and run the task on a goroutine of its own")
				s.Wait()
				rec.Returned()
				if took := time.Since(start); took != tt.wantTook {
					time.Sleep(time.Hour) // the tasks Wait did not wait for finish, so the drawing shows them
					t.Errorf("Wait returned after %v of fake time, want %v: Wait must block until every task has returned\n\n%s",
						took, tt.wantTook, rec.Diff(want.Return(tt.wantTook)))
				}

				if lines := describeReports(got); !slices.Equal(lines, tt.want) {
					t.Errorf("the handler heard %q, want %q.\n"+
						"Every task that returns an error must reach the handler, as a *failure.TaskError with its name,\n"+
						"as soon as it fails, not later", lines, tt.want)
					return
				}
				for _, r := range got {
					var te *failure.TaskError
					errors.As(r.err, &te)
					i := slices.IndexFunc(tt.give, func(tk task) bool { return tk.name == te.Name })
					if !errors.Is(r.err, tt.give[i].err) {
						t.Errorf("the handler got %v for task %q, want an error wrapping %v, the task's own error", r.err, te.Name, tt.give[i].err)
					}
				}
			})
		})
	}
}

func TestSupervisorHandlerCallsNeverOverlap(t *testing.T) {
	const tasks = 20
	katatest.Bubble(t, func(t *testing.T) {
		var calls []error // no lock: the Supervisor serializes handler calls
		var inside, overlaps atomic.Int32
		s := supervise.New(t.Context(), func(err error) {
			if inside.Add(1) > 1 {
				overlaps.Add(1)
			}
			runtime.Gosched() // give an overlapping call its chance
			calls = append(calls, err)
			inside.Add(-1)
		})
		for i := range tasks {
			s.Go(fmt.Sprintf("task %d", i), func(ctx context.Context) error {
				time.Sleep(time.Second)
				return errBoom
			})
		}
		s.Wait()
		if n := overlaps.Load(); n > 0 {
			t.Errorf("%d tasks failed at the same instant and %d handler calls overlapped, want none:\n"+
				"guard the handler call with a mutex, so a handler needs no locking of its own", tasks, n)
		}
		if len(calls) != tasks {
			t.Errorf("%d tasks failed at the same instant and the handler heard %d of them, want all %d", tasks, len(calls), tasks)
		}
	})
}

func TestSupervisorTaskStartsTask(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		var got []report
		s := supervise.New(t.Context(), recordReports(&got, start))
		s.Go("parent", func(ctx context.Context) error {
			time.Sleep(time.Second)
			s.Go("child", func(ctx context.Context) error {
				time.Sleep(time.Second)
				return errBoom
			})
			return nil
		})
		s.Wait()
		katatest.Elapsed(t, start, 2*time.Second,
			"a task started at 1s by another task runs until 2s: Wait must wait for it too (one WaitGroup counts them all)")
		if lines, want := describeReports(got), []string{"child failed at 2s"}; !slices.Equal(lines, want) {
			t.Errorf("the handler heard %q, want %q", lines, want)
		}
	})
}

func TestSupervisorTaskStartsTaskDuringShutdown(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		var got []report
		s := supervise.New(t.Context(), recordReports(&got, start))
		var stopped atomic.Bool
		var stoppedAt atomic.Int64 // when the worker saw its context end, as a time.Duration since start
		s.Go("worker", func(ctx context.Context) error {
			<-ctx.Done()
			stoppedAt.Store(int64(time.Since(start)))
			stopped.Store(true)
			s.Go("flush", func(context.Context) error { // a running task may call Go, during Shutdown too
				time.Sleep(time.Second)
				return errBoom
			})
			return ctx.Err()
		})
		time.Sleep(time.Second)
		s.Shutdown()
		switch at := time.Duration(stoppedAt.Load()); {
		case !stopped.Load():
			t.Fatalf("Shutdown at 1s returned, and the task given to Go at 0s had not seen its context end: does Go run\n" +
				"the task, and does Shutdown cancel the tasks' context, then wait?")
		case at < time.Second:
			t.Fatalf("the task given to Go at 0s saw its context end at %v, before Shutdown at 1s: nothing else ends it.\n"+
				"Does New or Go cancel the tasks' context early (a deferred cancel in New)?", at)
		}
		katatest.Elapsed(t, start, 2*time.Second,
			"Shutdown at 1s stopped a task that then started a 1s task: Shutdown waits for that one too (one WaitGroup counts\n"+
				"them all). Did Go refuse the new task, or Shutdown return without waiting for it?")
		if lines, want := describeReports(got), []string{"flush failed at 2s"}; !slices.Equal(lines, want) {
			t.Errorf("Shutdown at 1s; the stopped task started a task that failed 1s later; the handler heard %q, want %q:\n"+
				"Go may be called from a running task even while Shutdown waits, and its failures are reported like any other", lines, want)
		}
	})
}

// stopReturn names what the task in TestSupervisorShutdown returns once its context ends.
func stopReturn(name string, ctx context.Context) error {
	switch name {
	case "ctx.Err()":
		return ctx.Err()
	case "wrapped ctx.Err()":
		return fmt.Errorf("worker stopped: %w", ctx.Err())
	case "errBoom":
		return fmt.Errorf("flush on stop: %w", errBoom)
	}
	return fmt.Errorf("test bug: stopReturn does not know %q", name)
}

func TestSupervisorShutdown(t *testing.T) {
	tests := []struct {
		name         string
		giveReturn   string
		wantReported bool
	}{
		{"returns ctx.Err", "ctx.Err()", false},
		{"wraps ctx.Err", "wrapped ctx.Err()", false},
		{"fails on stop", "errBoom", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				start := time.Now()
				var got []report
				var ran, stopped atomic.Bool
				s := supervise.New(t.Context(), recordReports(&got, start))
				s.Go("worker", func(ctx context.Context) error {
					ran.Store(true)
					if clock.Sleep(ctx, time.Hour) == nil {
						return nil
					}
					stopped.Store(true)
					return stopReturn(tt.giveReturn, ctx)
				})
				time.Sleep(2 * time.Second)
				s.Shutdown()
				katatest.Elapsed(t, start, 2*time.Second,
					"Shutdown at 2s must end the tasks' context, so a task waiting on ctx.Done() stops at once, and wait for it")
				switch {
				case !ran.Load():
					t.Fatalf("Shutdown returned, and the task given to Go at 0s had not run: Go runs fn on a goroutine of its own")
				case !stopped.Load():
					t.Errorf("Shutdown returned, but the task never saw its context end: cancel the context New derived, then wait")
				}
				reported := len(got) > 0
				if reported != tt.wantReported {
					t.Errorf("a task stopped by Shutdown that returns %s: the handler heard %q, want reported = %v.\n"+
						"A task returning its context's error after the context ended did what it was told; anything else is a failure",
						tt.giveReturn, describeReports(got), tt.wantReported)
				}
			})
		})
	}
}

func TestSupervisorParentContext(t *testing.T) {
	tests := []struct {
		name    string
		giveEnd func(parent context.Context) (context.Context, func()) // the ctx given to New, ending at 1s
		how     string
	}{
		{"deadline", func(parent context.Context) (context.Context, func()) {
			return context.WithTimeout(parent, time.Second)
		}, "whose deadline passes at 1s"},
		{"cancelled with a cause", func(parent context.Context) (context.Context, func()) {
			ctx, cancel := context.WithCancelCause(parent)
			timer := time.AfterFunc(time.Second, func() { cancel(errStop) })
			return ctx, func() { timer.Stop(); cancel(nil) }
		}, "cancelled at 1s with a cause (errStop)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				start := time.Now()
				ctx, stop := tt.giveEnd(t.Context())
				defer stop()
				var got []report
				var stoppedAt atomic.Int64 // when the task's ctx ended, as a time.Duration since start; 0: never
				s := supervise.New(ctx, recordReports(&got, start))
				s.Go("worker", func(ctx context.Context) error {
					if err := clock.Sleep(ctx, time.Hour); err != nil {
						stoppedAt.Store(int64(time.Since(start)) + 1)
						return err // ctx.Err(): the task stops because it was told to
					}
					return nil
				})
				s.Wait()
				took := time.Since(start)
				call := fmt.Sprintf("New(ctx %s), Go(a task that waits for its ctx and returns ctx.Err()), Wait()", tt.how)
				switch stopped := time.Duration(stoppedAt.Load() - 1); {
				case took < time.Second && stopped < 0:
					t.Fatalf("%s returned after %v, and the task had not seen its context end: did the task run at all,\n"+
						"and does Wait wait for it?", call, took)
				case took < time.Second:
					t.Errorf("%s returned after %v: the task's context ended before the one given to New did (at 1s).\n"+
						"Does New or Go cancel the tasks' context early (a deferred cancel in New)?", call, took)
				case took > time.Second:
					t.Errorf("%s returned after %v: the context given to New ended at 1s, but the task's did not.\n"+
						"Derive the tasks' context from the ctx given to New, so they stop with it", call, took)
				}
				if len(got) > 0 {
					t.Errorf("%s: the handler heard %q, want nothing: the task returned its context's error (ctx.Err(), not the\n"+
						"cause) after the context ended. Test errors.Is(err, ctx.Err()) with the tasks' context", call, describeReports(got))
				}
			})
		})
	}
}

// TestSupervisorWaitReleasesContext checks that Wait cancels the tasks' context once every
// task has returned, as its doc promises: a context never cancelled holds on to its parent.
func TestSupervisorWaitReleasesContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var taskCtx context.Context
		s := supervise.New(t.Context(), func(error) {})
		s.Go("worker", func(ctx context.Context) error {
			taskCtx = ctx // read after Wait: Wait returns only once this task has
			return nil
		})
		s.Wait()
		if taskCtx == nil {
			t.Fatalf("Wait returned, but the task given to Go had not run: Wait waits for every task Go started")
		}
		if taskCtx.Err() == nil {
			t.Errorf("after Wait returned, the context the tasks got had not ended, want it released: once every task\n" +
				"has returned, call the cancel func New kept (go vet's lostcancel check asks the same)")
		}
	})
}

func TestSupervisorGoFromManyGoroutines(t *testing.T) {
	const callers = 200 // more than any machine has cores: a pool of one task per CPU makes Wait late
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		var got []report
		s := supervise.New(t.Context(), recordReports(&got, start))
		var callersDone sync.WaitGroup
		for i := range callers {
			callersDone.Go(func() {
				time.Sleep(time.Second) // every caller calls Go at the same instant
				s.Go(fmt.Sprintf("task %d", i), func(ctx context.Context) error {
					time.Sleep(time.Second)
					return errBoom
				})
			})
		}
		callersDone.Wait()
		s.Wait()
		hint := fmt.Sprintf("%d goroutines each called Go at 1s with a 1s task: Wait must wait for every task", callers)
		if time.Since(start) > 2*time.Second {
			hint = fmt.Sprintf("%d goroutines each called Go at 1s with a 1s task, and they did not all run at once: Go starts\n"+
				"each task on a goroutine of its own, with no limit (a pool of one worker per CPU makes them queue)", callers)
		}
		katatest.Elapsed(t, start, 2*time.Second, hint)
		if len(got) != callers {
			t.Errorf("%d goroutines each called Go at the same instant with a task failing 1s later; the handler heard %d failures, want %d.\n"+
				"Go may be called from any goroutine: count the tasks with a sync.WaitGroup (wg.Go), and keep nothing shared\n"+
				"without a lock", callers, len(got), callers)
		}
	})
}

func TestSupervisorHandlerOnTaskGoroutine(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		const tasks = 5
		var taskOn [tasks]atomic.Int64  // the goroutine each task ran on
		handlerOn := map[string]int64{} // no lock: handler calls never overlap
		s := supervise.New(t.Context(), func(err error) {
			var te *failure.TaskError
			if errors.As(err, &te) {
				handlerOn[te.Name] = gotrace.Self().ID
			}
		})
		for i := range tasks {
			s.Go(fmt.Sprintf("task %d", i), func(ctx context.Context) error {
				taskOn[i].Store(gotrace.Self().ID)
				time.Sleep(time.Second)
				return errBoom
			})
		}
		s.Wait()
		for i := range tasks {
			name := fmt.Sprintf("task %d", i)
			on, heard := handlerOn[name]
			switch {
			case !heard:
				t.Errorf("%q failed, but the handler never heard it", name)
				return
			case on != taskOn[i].Load():
				t.Errorf("%q ran on goroutine %d, and the handler heard its failure on goroutine %d, want the same:\n"+
					"call the handler on the task's goroutine, as soon as fn has ended (a handler goroutine of your own\n"+
					"hears failures late, and must itself be waited for)", name, taskOn[i].Load(), on)
				return
			}
		}
	})
}

// TestSupervisorReportsOwnTimeouts checks that a context error is excused only when it is the
// Supervisor's own context that ended: a task whose own deadline passed has failed.
func TestSupervisorReportsOwnTimeouts(t *testing.T) {
	tests := []struct {
		name     string
		give     func(ctx context.Context) error // the task: it ends after 1s with a context error of its own
		want     error
		wantName string
	}{
		{"its own timeout", func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			<-ctx.Done()
			return fmt.Errorf("fetch: %w", ctx.Err())
		}, context.DeadlineExceeded, "context.DeadlineExceeded"},
		{"its own cancel", func(ctx context.Context) error {
			ctx, cancel := context.WithCancel(ctx)
			time.AfterFunc(time.Second, cancel)
			<-ctx.Done()
			return ctx.Err()
		}, context.Canceled, "context.Canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				start := time.Now()
				var got []report
				s := supervise.New(t.Context(), recordReports(&got, start))
				var (
					returned error         // what the task returned,
					at       time.Duration // when,
					alive    bool          // and whether the Supervisor's context was still alive then
				)
				s.Go("fetch", func(ctx context.Context) error {
					err := tt.give(ctx)
					returned, at, alive = err, time.Since(start), ctx.Err() == nil // read after Wait
					return err
				})
				s.Wait()
				if lines, want := describeReports(got), []string{"fetch failed at 1s"}; !slices.Equal(lines, want) {
					if !alive {
						t.Errorf("a task meant to fail at 1s from a context of its own returned %v at %v, when the context the\n"+
							"Supervisor gave it had already ended; the handler heard %q, want %q. Nothing ended the context given\n"+
							"to New: does New or Go cancel the tasks' context early (a deferred cancel in New)?", returned, at, lines, want)
						return
					}
					t.Errorf("a task returned %v at %v from a context of its own, while the Supervisor's context was\n"+
						"still alive; the handler heard %q, want %q. Only the Supervisor's own context ending excuses\n"+
						"a task: test errors.Is(err, ctx.Err()) with the Supervisor's context, once it has ended,\n"+
						"not errors.Is(err, %s)", returned, at, lines, want, tt.wantName)
					return
				}
				if !errors.Is(got[0].err, tt.want) {
					t.Errorf("the handler got %v, want an error wrapping %v, the task's own error", got[0].err, tt.want)
				}
			})
		})
	}
}

// explainUnrecoveredPanic is the advice for a child of TestSupervisorRecoversPanics that a
// task's panic crashed.
func explainUnrecoveredPanic(c katatest.Child) string {
	if c.Crash == "" {
		return ""
	}
	return "A task's panic crashed the whole program: nothing on the goroutine Go started recovered it.\n" +
		"Call fn through Catch inside the goroutine Go starts, and hand the *failure.PanicError to the handler."
}

// TestSupervisorRecoversPanics runs in a child process (katatest.Isolated): its tasks panic on
// goroutines the Supervisor starts, and a Supervisor that does not recover them would end the
// whole test binary.
func TestSupervisorRecoversPanics(t *testing.T) {
	katatest.Isolated(t, explainUnrecoveredPanic, func(t *testing.T) {
		tests := []struct {
			name      string
			giveValue any
		}{
			{"string", "boom"},
			{"error", errBoom},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					start := time.Now()
					var got []report
					s := supervise.New(t.Context(), recordReports(&got, start))
					s.Go("shorter", func(ctx context.Context) error {
						time.Sleep(10 * time.Millisecond)
						return explode(tt.giveValue)
					})
					s.Go("longer", func(ctx context.Context) error {
						time.Sleep(time.Second)
						return nil
					})
					s.Wait()
					katatest.Elapsed(t, start, time.Second, "a panic in one task must not stop Wait from waiting for the others")

					if lines, want := describeReports(got), []string{"shorter failed at 10ms"}; !slices.Equal(lines, want) {
						t.Fatalf("a task panicked with %v at 10ms; the handler heard %q, want %q", tt.giveValue, lines, want)
					}
					var pe *failure.PanicError
					if !errors.As(got[0].err, &pe) {
						t.Fatalf("the handler got %v for a task that panicked, want a *failure.TaskError wrapping a *failure.PanicError:\n"+
							"run the task through Catch", got[0].err)
					}
					if pe.Value != tt.giveValue {
						t.Errorf("the handler got PanicError{Value: %#v}, want %#v, the value the task panicked with", pe.Value, tt.giveValue)
					}
				})
			})
		}
	})
}
