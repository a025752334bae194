package cancellation_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cancellation "github.com/go-async-katas/katas/advanced/cancel"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

// cleanupTime is how long the tests' cleanup takes: it flushes something slow.
const cleanupTime = 500 * time.Millisecond

// work returns the work a test row names:
//   - "succeeds": runs 1s, returns nil;
//   - "fails": runs 1s, returns errBoom;
//   - "waits for cancel": waits an hour unless cancelled, then returns ctx.Err();
//   - "ignores cancel": runs 1s without looking at ctx, returns nil;
//   - "ignores cancel, fails": runs 1s without looking at ctx, returns errBoom;
//   - "wraps ctx.Err()": waits an hour unless cancelled, then returns
//     fmt.Errorf("step: %w", ctx.Err()), as work that says what it was doing would.
func work(name string) func(ctx context.Context) error {
	switch name {
	case "succeeds", "ignores cancel":
		return func(ctx context.Context) error { time.Sleep(time.Second); return nil }
	case "fails", "ignores cancel, fails":
		return func(ctx context.Context) error { time.Sleep(time.Second); return errBoom }
	case "waits for cancel":
		return waitOrCancel
	case "wraps ctx.Err()":
		return func(ctx context.Context) error {
			if err := waitOrCancel(ctx); err != nil {
				return fmt.Errorf("step: %w", err)
			}
			return nil
		}
	}
	return func(ctx context.Context) error { return fmt.Errorf("test bug: work does not know %q", name) }
}

func TestTaskCleanupAlwaysRuns(t *testing.T) {
	tests := []struct {
		name         string
		giveWork     string
		giveCancelAt time.Duration // when to call Cancel(nil); 0: never
		wantErrs     []error
		wantWorkEnds time.Duration // when work returns
		wantWorkHow  timeline.Outcome
	}{
		{"succeeds", "succeeds", 0, nil, time.Second, timeline.Done},
		{"fails", "fails", 0, []error{errBoom}, time.Second, timeline.Failed},
		{"cancelled", "waits for cancel", 10 * time.Millisecond, []error{context.Canceled}, 10 * time.Millisecond, timeline.Cancelled},
		{"ignores cancel", "ignores cancel", 10 * time.Millisecond, nil, time.Second, timeline.Done},
		{"ignores cancel, fails", "ignores cancel, fails", 10 * time.Millisecond, []error{errBoom}, time.Second, timeline.Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				var cleanups atomic.Int32
				start := time.Now()
				rec := timeline.New()
				task := cancellation.Start(t.Context(), func(ctx context.Context) error {
					span := rec.Start("work")
					err := work(tt.giveWork)(ctx)
					span.End(err)
					return err
				}, func() {
					defer rec.Start("cleanup").Done()
					time.Sleep(cleanupTime)
					cleanups.Add(1)
				})
				katatest.Elapsed(t, start, 0, "Start must return at once and run work on a goroutine of its own")

				call := fmt.Sprintf("Start(work that %s, cleanup taking %v)", tt.giveWork, cleanupTime)
				if tt.giveCancelAt > 0 {
					time.Sleep(tt.giveCancelAt)
					task.Cancel(nil)
					call += fmt.Sprintf(", Cancel(nil) at %v", tt.giveCancelAt)
				}
				err := task.Wait()
				rec.Returned()
				took, ran := time.Since(start), cleanups.Load()
				time.Sleep(time.Hour) // work and cleanup that Wait did not wait for finish, so the drawing shows them
				ranLater := cleanups.Load()

				wantTook := tt.wantWorkEnds + cleanupTime
				want := timeline.Want().Task("work", 0, tt.wantWorkEnds, tt.wantWorkHow).
					Done("cleanup", tt.wantWorkEnds, wantTook).Return(wantTook)
				drawn := false
				draw := func() string {
					if drawn {
						return ""
					}
					drawn = true
					return "\n\n" + rec.Diff(want)
				}
				switch {
				case ran == 0 && ranLater == 1:
					t.Errorf("%s: Wait returned before cleanup had finished; cleanup ran once, but later.\n"+
						"Deferred calls run last-in first-out: defer close(done) first, so that it runs last, after cleanup%s", call, draw())
				case ran != 1:
					t.Errorf("%s: once Wait returned, cleanup had run %d times, want exactly once.\n"+
						"Defer cleanup on the task's goroutine, so it runs however work ends, and let Wait wait for it%s", call, ran, draw())
				}
				if !matchesAll(err, tt.wantErrs) {
					t.Errorf("%s: Wait() = %v, want %s.%s", call, err, describeWant(err, tt.wantErrs), ownErrorHint(err, tt.wantErrs))
				}
				if took != wantTook {
					t.Errorf("%s: Wait returned after %v of fake time, want %v: Wait must return once work has returned and\n"+
						"cleanup has finished. Cancel only asks work to stop (work that ignores ctx runs on): Wait still waits\n"+
						"for the goroutine%s", call, took, wantTook, draw())
				}
			})
		})
	}
}

// TestTaskCleanupWhenWorkDoesNotReturn checks that cleanup runs, and Wait returns, when work
// ends without returning. A panic does that, and so does runtime.Goexit (which t.FailNow
// calls): the goroutine unwinds through its deferred calls only. The test uses Goexit, which
// unwinds like a panic but does not end the test binary.
func TestTaskCleanupWhenWorkDoesNotReturn(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		const call = "Start(work that stops at 1s without returning, by runtime.Goexit, as a panic would)"
		var cleanups atomic.Int32
		start := time.Now()
		task := cancellation.Start(t.Context(), func(ctx context.Context) error {
			time.Sleep(time.Second)
			runtime.Goexit()
			return nil
		}, func() {
			time.Sleep(cleanupTime)
			cleanups.Add(1)
		})
		watchdog := time.AfterFunc(time.Hour, func() {
			t.Errorf("%s: Wait had not returned an hour later.\n"+
				"Code after the call to work never runs when work does not return: close the done channel\n"+
				"in a deferred call (defer close(done)), and defer cleanup() too", call)
		})
		defer watchdog.Stop()
		_ = task.Wait()
		if n := cleanups.Load(); n != 1 {
			t.Errorf("%s: once Wait returned, cleanup had run %d times, want exactly once.\n"+
				"Only deferred calls run when work does not return: defer cleanup() on the task's goroutine,\n"+
				"before calling work", call, n)
		}
		katatest.Elapsed(t, start, time.Second+cleanupTime, call+": Wait must return once cleanup has finished")
	})
}

// TestTaskCancelSeed is the seed's ex_5_3: start cancel_me, cancel it after 10ms, and see
// why it stopped when waiting for it. cancel_me returns ctx.Err() as it is; work that says
// what it was doing wraps it, and the cause must reach Wait all the same.
func TestTaskCancelSeed(t *testing.T) {
	tests := []struct {
		name      string
		giveWork  string
		giveCause error
		wantErrs  []error
	}{
		{"no cause", "waits for cancel", nil, []error{context.Canceled}},
		{"cause", "waits for cancel", errAbort, []error{context.Canceled, errAbort}},
		{"wrapped, no cause", "wraps ctx.Err()", nil, []error{context.Canceled}},
		{"wrapped, cause", "wraps ctx.Err()", errAbort, []error{context.Canceled, errAbort}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				var cleaned atomic.Bool
				start := time.Now()
				task := cancellation.Start(t.Context(), work(tt.giveWork), func() { cleaned.Store(true) })
				time.Sleep(10 * time.Millisecond)
				task.Cancel(tt.giveCause)
				err := task.Wait()

				call := fmt.Sprintf("Start(%s), Cancel(%v) at 10ms, Wait()", workName(tt.giveWork), tt.giveCause)
				if !matchesAll(err, tt.wantErrs) {
					t.Errorf("%s = %v, want %s.\n"+
						"Cancel the task's context with context.WithCancelCause's cancel func; when work returns ctx.Err(),\n"+
						"add context.Cause(ctx) to the error if it is not in there yet%s",
						call, err, describeWant(err, tt.wantErrs), wrappedHint(tt.giveWork))
				}
				if !cleaned.Load() {
					t.Errorf("%s: cleanup had not run when Wait returned: it must run however work ends, cancelled too", call)
				}
				katatest.Elapsed(t, start, 10*time.Millisecond, call+": cancel_me must stop as soon as its context is cancelled")
			})
		})
	}
}

// TestTaskParentCancelled ends the ctx given to Start at 1s both ways, by cancel with a
// cause and by deadline (with a cause, from context.WithTimeoutCause, and without), while
// work waits for it, returning ctx.Err() as it is or wrapped.
func TestTaskParentCancelled(t *testing.T) {
	tests := []struct {
		name      string
		giveEnd   string // how the ctx given to Start ends at 1s: "cancel" or "timeout"
		giveCause error  // the cause it ends with; nil: none
		giveWork  string
		wantErrs  []error
	}{
		{"cancelled with a cause", "cancel", errAbort, "waits for cancel", []error{context.Canceled, errAbort}},
		{"cancelled with a cause, wrapped", "cancel", errAbort, "wraps ctx.Err()", []error{context.Canceled, errAbort}},
		{"deadline", "timeout", nil, "waits for cancel", []error{context.DeadlineExceeded}},
		{"deadline with a cause", "timeout", errSlow, "waits for cancel", []error{context.DeadlineExceeded, errSlow}},
		{"deadline with a cause, wrapped", "timeout", errSlow, "wraps ctx.Err()", []error{context.DeadlineExceeded, errSlow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				var ctx context.Context
				var how string
				switch tt.giveEnd {
				case "cancel":
					var cancel context.CancelCauseFunc
					ctx, cancel = context.WithCancelCause(t.Context())
					timer := time.AfterFunc(time.Second, func() { cancel(tt.giveCause) })
					defer timer.Stop()
					defer cancel(nil)
					how = fmt.Sprintf("cancelled at 1s with cause %v", tt.giveCause)
				case "timeout":
					var stop context.CancelFunc
					ctx, stop = context.WithTimeoutCause(t.Context(), time.Second, tt.giveCause)
					defer stop()
					how = "whose deadline passes at 1s"
					if tt.giveCause != nil {
						how += fmt.Sprintf(" (context.WithTimeoutCause, cause %v)", tt.giveCause)
					}
				}

				var cleaned atomic.Bool
				start := time.Now()
				task := cancellation.Start(ctx, work(tt.giveWork), func() { cleaned.Store(true) })
				err := task.Wait()

				if !matchesAll(err, tt.wantErrs) {
					hint := wrappedHint(tt.giveWork)
					if tt.giveEnd == "timeout" && tt.giveCause != nil {
						hint += "\nA deadline has a cause too: add it whenever work returned ctx.Err(), whichever error that is\n" +
							"(errors.Is(err, ctx.Err())), not only for context.Canceled"
					}
					t.Errorf("Start(ctx, %s) with ctx %s: Wait() = %v, want %s.\n"+
						"Derive the task's context from the ctx given to Start, so that when it ends the task's ends too,\n"+
						"and when work returns ctx.Err(), add context.Cause(ctx) to the error if it is not in there yet%s",
						workName(tt.giveWork), how, err, describeWant(err, tt.wantErrs), hint)
				}
				if !cleaned.Load() {
					t.Errorf("cleanup had not run when Wait returned, want it to run when the parent context stops the task")
				}
				katatest.Elapsed(t, start, time.Second, "the task must stop when the context given to Start ends, at 1s")
			})
		})
	}
}

// workName names, for a failure message, the work a test row gives Start.
func workName(name string) string {
	switch name {
	case "waits for cancel":
		return "cancel_me"
	case "wraps ctx.Err()":
		return `work that returns fmt.Errorf("step: %w", ctx.Err())`
	}
	return "work that " + name
}

// wrappedHint is the end of a failure message for work that wraps ctx.Err(): the hint that
// an == comparison misses it.
func wrappedHint(name string) string {
	if name != "wraps ctx.Err()" {
		return ""
	}
	return "\nWork may wrap ctx.Err() in an error of its own: ask errors.Is(err, ctx.Err()), not err == ctx.Err()"
}

// ownErrorHint is the end of a failure message for a Wait whose error says "cancelled" (or
// names a cause) although work did not stop because of the cancel.
func ownErrorHint(err error, want []error) string {
	if len(unwanted(err, want)) == 0 {
		return ""
	}
	return "\nWork did not stop because of the cancel: Wait returns what work returned. Add the cause only when work\n" +
		"returned the context's error (errors.Is(err, ctx.Err())), not whenever the context has ended by then"
}

func TestTaskReleasesContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var workCtx context.Context
		task := cancellation.Start(t.Context(), func(ctx context.Context) error {
			workCtx = ctx // read after Wait, which returns only once work has
			return nil
		}, func() {})
		_ = task.Wait()
		if workCtx == nil {
			t.Fatalf("Start(work, cleanup), Wait(): work had not run when Wait returned")
		}
		if workCtx.Err() == nil {
			t.Errorf("Start(work that returns nil at once, cleanup), Wait(): the context work got had not ended when Wait\n" +
				"returned, want it released once the task is over: call the cancel func of context.WithCancelCause\n" +
				"(cancel(nil)) in a deferred call on the task's goroutine, so a context nobody cancelled does not\n" +
				"stay attached to its parent")
		}
	})
}

func TestTaskCancelAfterEnd(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var cleanups atomic.Int32
		task := cancellation.Start(t.Context(), work("succeeds"), func() { cleanups.Add(1) })
		time.Sleep(2 * time.Second)
		task.Cancel(errAbort)
		task.Cancel(nil) // any number of times
		if err := task.Wait(); err != nil {
			t.Errorf("a task whose work returned nil at 1s, cancelled at 2s (twice): Wait() = %v, want <nil>.\n"+
				"Cancelling a task that has already ended changes nothing: keep work's own error", err)
		}
		if n := cleanups.Load(); n != 1 {
			t.Errorf("a task whose work returned at 1s, cancelled at 2s: cleanup ran %d times, want exactly once", n)
		}
	})
}

// TestTaskCancelAsWorkEnds cancels the task at the very instant its work returns, many
// times: whether Cancel comes just before or just after, work's own result is what Wait
// returns, since work did not stop because of the cancel.
func TestTaskCancelAsWorkEnds(t *testing.T) {
	const rounds = 100
	tests := []struct {
		name     string
		giveWork string
		wantErrs []error
	}{
		{"succeeds", "succeeds", nil},
		{"fails", "fails", []error{errBoom}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				for round := range rounds {
					task := cancellation.Start(t.Context(), work(tt.giveWork), func() {})
					timer := time.AfterFunc(time.Second, func() { task.Cancel(errAbort) })
					err := task.Wait()
					timer.Stop()
					if !matchesAll(err, tt.wantErrs) {
						t.Errorf("Start(work that %s after 1s without looking at ctx), Cancel(errAbort) at that same instant:\n"+
							"Wait() = %v in round %d of %d, want %s.\n"+
							"The error is work's own: add the cause only when work returned the context's error\n"+
							"(errors.Is(err, ctx.Err())), not whenever the context has ended by then",
							tt.giveWork, err, round+1, rounds, describeWant(err, tt.wantErrs))
						return
					}
					time.Sleep(time.Millisecond) // the timer's goroutine has finished before the next round
				}
			})
		})
	}
}

func TestTaskCancelDoesNotWait(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		const call = "Start(work that runs 1s and ignores ctx), Cancel(errAbort) at 10ms"
		var cleaned atomic.Bool
		task := cancellation.Start(t.Context(), work("ignores cancel"), func() { cleaned.Store(true) })
		time.Sleep(10 * time.Millisecond)
		start := time.Now()
		task.Cancel(errAbort)
		katatest.Elapsed(t, start, 0, call+": Cancel must only ask the task to stop (cancel its context) and return at once;\n"+
			"waiting is Wait's job")
		if cleaned.Load() && time.Since(start) == 0 {
			t.Errorf("%s: cleanup had run when Cancel returned, at 10ms, want it to run on the task's goroutine after work\n"+
				"returns at 1s", call)
		}
		if err := task.Wait(); err != nil {
			t.Errorf("%s: Wait() = %v, want <nil>: work ignored the cancel and returned nil", call, err)
		}
	})
}

func TestTaskCleanupOnTaskGoroutine(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		const call = "Start(work that runs 1s, cleanup) and no Wait"
		var workOn, cleanupOn atomic.Int64 // the goroutines work and cleanup ran on
		var cleanups atomic.Int32
		task := cancellation.Start(t.Context(), func(ctx context.Context) error {
			workOn.Store(gotrace.Self().ID)
			time.Sleep(time.Second)
			return nil
		}, func() {
			cleanupOn.Store(gotrace.Self().ID)
			cleanups.Add(1)
		})
		time.Sleep(2 * time.Second) // nobody calls Wait meanwhile
		switch {
		case cleanups.Load() != 1:
			t.Errorf("%s: a second after work returned, cleanup had run %d times, want once: it runs on the task's own\n"+
				"goroutine when work returns (defer it there), whether or not anyone calls Wait", call, cleanups.Load())
		case cleanupOn.Load() != workOn.Load():
			t.Errorf("%s: work ran on goroutine %d and cleanup on goroutine %d, want both on the task's goroutine:\n"+
				"defer cleanup in the goroutine Start starts, before it calls work", call, workOn.Load(), cleanupOn.Load())
		}
		_ = task.Wait()
	})
}

// TestTaskConcurrentCancelAndWait calls Wait and Cancel from many goroutines at one instant.
//
// Many goroutines call Wait at once while work is still waiting. If this test hangs, with
// Wait stuck in sync.Mutex.Lock, look for a sync.Once (or a mutex) held across a wait: a Wait
// like once.Do(func() { t.err = <-t.ch }) is valid Go, but the other waiters block on the
// Once's internal mutex, which fake time (testing/synctest) does not count as durably
// blocked, so the clock stops and work never wakes. Close a done channel once, on the task's
// goroutine, and have Wait read the stored error after <-done: any number of waiters block on
// the channel, which fake time sees.
func TestTaskConcurrentCancelAndWait(t *testing.T) {
	const callers = 10
	katatest.Bubble(t, func(t *testing.T) {
		task := cancellation.Start(t.Context(), waitOrCancel, func() {})
		errs := make([]error, callers) // waiter i writes only errs[i]
		panics := make([]any, callers) // canceller i writes only panics[i]
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() { errs[i] = task.Wait() }) // hangs here? see the comment above the test: a sync.Once around a wait
			wg.Go(func() {
				defer func() { panics[i] = recover() }()
				time.Sleep(10 * time.Millisecond) // all of them at the same instant
				task.Cancel(errAbort)
			})
		}
		wg.Wait()
		want := []error{context.Canceled, errAbort}
		for i := range callers {
			if panics[i] != nil {
				t.Fatalf("%d goroutines called Cancel(errAbort) at the same instant, and one panicked: %v.\n"+
					"Cancel may be called any number of times, from any goroutine: call the cancel func of\n"+
					"context.WithCancelCause, which does that, rather than closing a channel of your own", callers, panics[i])
			}
			if !matchesAll(errs[i], want) {
				t.Fatalf("%d goroutines called Wait while %d others called Cancel(errAbort) at 10ms: one Wait returned %v, want %s",
					callers, callers, errs[i], describeWant(errs[i], want))
			}
		}
	})
}

// TestTaskManyWaiters has many goroutines wait for one task that fails at 1s.
//
// Many goroutines call Wait at once while work is still waiting. If this test hangs, with
// Wait stuck in sync.Mutex.Lock, look for a sync.Once (or a mutex) held across a wait: a Wait
// like once.Do(func() { t.err = <-t.ch }) is valid Go, but the other waiters block on the
// Once's internal mutex, which fake time (testing/synctest) does not count as durably
// blocked, so the clock stops and work never wakes. Close a done channel once, on the task's
// goroutine, and have Wait read the stored error after <-done: any number of waiters block on
// the channel, which fake time sees.
func TestTaskManyWaiters(t *testing.T) {
	const waiters = 10
	katatest.Bubble(t, func(t *testing.T) {
		task := cancellation.Start(t.Context(), work("fails"), func() {})
		start := time.Now()
		errs := make([]error, waiters) // waiter i writes only errs[i]
		took := make([]time.Duration, waiters)
		var wg sync.WaitGroup
		for i := range waiters {
			wg.Go(func() {
				errs[i] = task.Wait() // hangs here? see the comment above the test: a sync.Once around a wait
				took[i] = time.Since(start)
			})
		}
		wg.Wait()
		for i := range waiters {
			if want := []error{errBoom}; !matchesAll(errs[i], want) || took[i] != time.Second {
				t.Errorf("%d goroutines called Wait on a task that fails after 1s; one got %v after %v, want %s after 1s.\n"+
					"Close a channel when the task is over (every waiter wakes) and keep work's error for all of them",
					waiters, errs[i], took[i], describeWant(errs[i], want))
				break
			}
		}
	})
}

// cleanupMark is what the cleanup of TestTaskPanicGoesOn prints, so that the parent process
// sees whether it ran before the panic ended the child.
const cleanupMark = "cleanup ran"

// TestTaskPanicGoesOn checks "cleanup runs, then the panic goes on" for work that panics: the
// program crashes, as a panic on any goroutine nobody recovers does, but only after cleanup.
// It runs in a child process, which is expected to crash.
func TestTaskPanicGoesOn(t *testing.T) {
	const call = "Start(work that panics with errBoom at 1s, cleanup)"
	child, ok := katatest.Crashes(t, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			task := cancellation.Start(t.Context(), func(ctx context.Context) error {
				time.Sleep(time.Second)
				panic(errBoom)
			}, func() { fmt.Println(cleanupMark) })
			err := task.Wait()
			t.Errorf("%s: the program went on, and Wait() = %v", call, err)
		})
	})
	if !ok {
		return // the child: its outcome is the parent's to judge
	}
	panicAt := strings.Index(child.Output, "panic: "+errBoom.Error())
	cleanupAt := strings.Index(child.Output, cleanupMark)
	switch {
	case !strings.HasPrefix(child.Crash, "panic: "+errBoom.Error()) || panicAt < 0:
		t.Errorf("%s did not crash the program, want the panic to go on once cleanup has run: Start's doc says so.\n"+
			"Do not recover() in the task's goroutine; defer cleanup() there, and a panic runs it on its way out.\n"+
			"The run said:\n%s", call, child.Messages())
	case cleanupAt < 0 || cleanupAt > panicAt:
		t.Errorf("%s crashed the program, as it should, but cleanup had not run: it runs however work ends,\n"+
			"panicking too. Only deferred calls run during a panic: defer cleanup() on the task's goroutine, before calling work", call)
	}
}
