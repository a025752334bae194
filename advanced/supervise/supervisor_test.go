package supervise_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/supervise"
	"github.com/go-async-katas/katas/advanced/supervise/failure"
	"github.com/go-async-katas/katas/internal/katatest"
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
		{"no tasks", nil, []string{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				start := time.Now()
				var got []report
				s := supervise.New(t.Context(), recordReports(&got, start))
				for _, tk := range tt.give {
					s.Go(tk.name, func(ctx context.Context) error {
						time.Sleep(tk.after)
						return tk.err
					})
				}
				katatest.Elapsed(t, start, 0, "Go must return at once and run the task on a goroutine of its own")
				s.Wait()
				katatest.Elapsed(t, start, tt.wantTook, "Wait must block until every task has returned")

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
				var stopped atomic.Bool
				s := supervise.New(t.Context(), recordReports(&got, start))
				s.Go("worker", func(ctx context.Context) error {
					select {
					case <-ctx.Done():
						stopped.Store(true)
						return stopReturn(tt.giveReturn, ctx)
					case <-time.After(time.Hour):
						return nil
					}
				})
				time.Sleep(2 * time.Second)
				s.Shutdown()
				katatest.Elapsed(t, start, 2*time.Second,
					"Shutdown at 2s must end the tasks' context, so a task waiting on ctx.Done() stops at once, and wait for it")
				if !stopped.Load() {
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
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		var got []report
		s := supervise.New(ctx, recordReports(&got, start))
		s.Go("worker", func(ctx context.Context) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Hour):
				return nil
			}
		})
		s.Wait()
		katatest.Elapsed(t, start, time.Second,
			"the context given to New ends after 1s: derive the tasks' context from it, so they stop with it")
		if len(got) > 0 {
			t.Errorf("the handler heard %q, want nothing: the task returned its context's error after the context ended", describeReports(got))
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
				s.Go("fetch", tt.give)
				s.Wait()
				if lines, want := describeReports(got), []string{"fetch failed at 1s"}; !slices.Equal(lines, want) {
					t.Errorf("a task returned %v at 1s from a context of its own, while the Supervisor's context was\n"+
						"still alive; the handler heard %q, want %q. Only the Supervisor's own context ending excuses\n"+
						"a task: test errors.Is(err, ctx.Err()) with the Supervisor's context, once it has ended,\n"+
						"not errors.Is(err, %s)", tt.want, lines, want, tt.wantName)
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
