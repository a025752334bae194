package future_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/future"
	"github.com/go-async-katas/katas/advanced/future/state"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

// TestGoSeed is the seed's ex_5_1: a short task fails, a longer one succeeds, and main
// awaits only the longer one before asking the short one for its error.
func TestGoSeed(t *testing.T) {
	tests := []struct {
		name        string
		giveFailing time.Duration // how long the failing task runs
		wantErr     error         // its Result() once the 1s task was awaited
	}{
		{"fails first", 100 * time.Millisecond, errBoom},
		{"fails last", 2 * time.Second, state.ErrNotDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				start := time.Now()
				failing := future.Go(func() (int, error) {
					time.Sleep(tt.giveFailing)
					return 0, errBoom
				})
				longer := future.Go(func() (string, error) {
					time.Sleep(time.Second)
					return "longer task is done", nil
				})
				defer failing.Await(t.Context()) // let it finish before the test ends
				katatest.Elapsed(t, start, 0, "Go must return at once and run fn on a goroutine of its own")

				if v, err := longer.Await(t.Context()); v != "longer task is done" || err != nil {
					t.Errorf("Go(a 1s task returning %q).Await(ctx) = %s, want (%q, <nil>): complete the future with what fn returned",
						"longer task is done", outcome(v, err), "longer task is done")
				}
				katatest.Elapsed(t, start, time.Second, "awaiting the 1s task takes 1s; did the tasks run one after another?")

				if v, err := failing.Result(); !errors.Is(err, tt.wantErr) {
					hint := "when fn returns an error, complete the future with it (SetError), not with the zero value"
					if errors.Is(tt.wantErr, state.ErrNotDone) {
						hint = "that task is still running, so its future is not done yet: complete it only when fn returns"
					}
					t.Errorf("once the 1s task was awaited, Result() of a task that fails after %v = %s, want (0, %v):\n%s",
						tt.giveFailing, outcome(v, err), tt.wantErr, hint)
				}
			})
		})
	}
}

func TestGoRunsAtOnce(t *testing.T) {
	delays := []time.Duration{3 * time.Second, time.Second, 2 * time.Second}
	katatest.Bubble(t, func(t *testing.T) {
		rec := timeline.New()
		want := timeline.Want()
		tasks := make([]*future.Future[int], len(delays))
		for i, d := range delays {
			name := fmt.Sprintf("task %d", i)
			want.Done(name, 0, d)
			tasks[i] = future.Go(func() (int, error) {
				span := rec.Start(name)
				defer span.Done()
				time.Sleep(d)
				return i, nil
			})
		}
		var got []string
		for i, f := range tasks {
			if v, err := f.Await(t.Context()); v != i || err != nil {
				got = append(got, fmt.Sprintf("task %d: %s, want (%d, <nil>)", i, outcome(v, err), i))
			}
		}
		rec.Returned() // every task awaited
		if len(got) > 0 {
			t.Errorf("Go(three tasks taking %v) then Await each:\n\t%s", delays, strings.Join(got, "\n\t"))
		}
		if took := rec.Timeline().ReturnAt; took != 3*time.Second {
			t.Errorf("Go(three tasks taking %v) then Await each took %v of fake time, want 3s, the slowest task alone:\n"+
				"does Go run fn before returning instead of on a new goroutine?\n\n%s",
				delays, took, rec.Diff(want.Return(3*time.Second)))
		}
	})
}

func TestGoManyAtOnce(t *testing.T) {
	const tasks = 500 // more than any machine has cores
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		futures := make([]*future.Future[int], tasks)
		for i := range tasks {
			futures[i] = future.Go(func() (int, error) {
				time.Sleep(time.Second)
				return i, nil
			})
		}
		for i, f := range futures {
			if v, err := f.Await(t.Context()); v != i || err != nil {
				t.Fatalf("Go(task %d of %d, 1s each).Await(ctx) = %s, want (%d, <nil>)", i, tasks, outcome(v, err), i)
			}
		}
		katatest.Elapsed(t, start, time.Second, fmt.Sprintf("%d tasks of 1s each, all started at once, take 1s together: Go starts each fn on a\n"+
			"goroutine of its own, with no limit (a pool of one worker per CPU makes them queue)", tasks))
	})
}

func TestGoCancelledStaysCancelled(t *testing.T) {
	tests := []struct {
		name      string
		giveValue int
		giveErr   error
	}{
		{"fn succeeds", 7, nil},
		{"fn fails", 0, errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				f := future.Go(func() (int, error) {
					time.Sleep(time.Second)
					return tt.giveValue, tt.giveErr
				})
				if !f.Cancel() {
					t.Errorf("Cancel() on a task still running = false, want true")
				}
				time.Sleep(2 * time.Second) // fn has returned and Go's goroutine has finished
				if v, err := f.Result(); !errors.Is(err, state.ErrCancelled) {
					t.Errorf("a task cancelled while running, after fn returned %s: Result() = %s, want (0, state.ErrCancelled).\n"+
						"Go's goroutine must not overwrite an outcome that is already set: complete the future through\n"+
						"SetResult or SetError, which refuse once it is done", outcome(tt.giveValue, tt.giveErr), outcome(v, err))
				}
			})
		})
	}
}

// TestGoCancelAsFnReturns cancels a task at the very instant its fn returns, many times.
// Either may win, but the outcome must agree with what Cancel reported.
func TestGoCancelAsFnReturns(t *testing.T) {
	const rounds = 100
	katatest.Bubble(t, func(t *testing.T) {
		for round := range rounds {
			f := future.Go(func() (int, error) {
				time.Sleep(time.Second)
				return 7, nil
			})
			time.Sleep(time.Second)
			cancelled := f.Cancel()
			time.Sleep(time.Millisecond) // Go's goroutine has finished
			v, err := f.Result()
			if cancelled && !errors.Is(err, state.ErrCancelled) || !cancelled && (v != 7 || err != nil) {
				want := "(7, <nil>), fn's outcome, since Cancel found the future done"
				if cancelled {
					want = "(0, state.ErrCancelled), since Cancel took effect"
				}
				t.Errorf("Cancel() at the instant fn returned (7, <nil>) = %v (round %d of %d), then Result() = %s, want %s.\n"+
					"Whoever completes the future first wins, and the other is refused: Go's goroutine completes it through\n"+
					"SetResult or SetError, and Cancel through the same locked step", cancelled, round+1, rounds, outcome(v, err), want)
				return
			}
		}
	})
}

// TestGoDoesNotRecover checks "a panic in fn is not recovered": the program crashes, as a
// panic on any goroutine nobody recovers does. It runs in a child process, which is expected
// to crash; catching panics is advanced/supervise's job.
func TestGoDoesNotRecover(t *testing.T) {
	child, ok := katatest.Crashes(t, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			f := future.Go(func() (int, error) { panic(errBoom) })
			select {
			case <-f.Done():
			case <-time.After(time.Hour):
			}
			v, err := f.Result()
			t.Errorf("Go(fn that panics with errBoom): the program went on, and Result() = %s", outcome(v, err))
		})
	})
	if !ok {
		return // the child: its outcome is the parent's to judge
	}
	if !strings.HasPrefix(child.Crash, "panic: "+errBoom.Error()) {
		t.Errorf("Go(fn that panics with errBoom) did not crash the program, want the panic to go on: Go's doc says a panic\n"+
			"in fn is not recovered (a program that expects panics runs fn through advanced/supervise's Catch).\n"+
			"Do not recover() in Go's goroutine; if fn never ran, start it there. The run said:\n%s", child.Messages())
	}
}
