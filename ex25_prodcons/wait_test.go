package prodcons_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	prodcons "github.com/go-async-katas/katas/ex25_prodcons"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

func TestStartAndWait(t *testing.T) {
	tests := []struct {
		name     string
		giveTask time.Duration
		giveOwn  time.Duration
	}{
		{"seed: the task is longer", 3 * time.Second, time.Second},
		{"main is longer", time.Second, 2 * time.Second},
		{"same length", 2 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("StartAndWait(ctx, w, %v, %v)", tt.giveTask, tt.giveOwn)
				var out katatest.Output
				rec := timeline.New()
				got, err := prodcons.StartAndWait(t.Context(), rec.Writer(&out), tt.giveTask, tt.giveOwn)
				rec.Returned()
				took := rec.Timeline().ReturnAt
				lines := out.Lines()    // what had been printed when it returned
				time.Sleep(time.Minute) // a task left running finishes, so the drawing shows it
				draw := drawing(rec, timeline.Want().Done("main", 0, tt.giveOwn).Done("task", 0, tt.giveTask).Return(max(tt.giveTask, tt.giveOwn)))

				if err != nil {
					t.Errorf("%s returned the error %v, want none: nothing cancelled the context", call, err)
				}
				if got != "task result" {
					t.Errorf("%s = %q, want %q: the result of the task, received from its goroutine", call, got, "task result")
				}
				if !slices.Contains(lines, "task: finished") {
					t.Errorf("%s returned after %v, when the task had printed\n%s\nThe task's work was lost, like the seed's program without its await:\nwait for the task's result before returning.%s",
						call, took, indent(lines, "task:"), draw())
				}
				checkStartAndWaitTook(t, call, took, tt.giveTask, tt.giveOwn, draw)
			})
		})
	}
}

// drawing returns a func that returns rec's timeline drawn above want, after a blank line,
// the first time it is called, and "" after that: a test draws it once, under the first
// message about time or order that fails.
func drawing(rec *timeline.Recorder, want *timeline.Timeline) func() string {
	drawn := false
	return func() string {
		if drawn {
			return ""
		}
		drawn = true
		return "\n\n" + rec.Diff(want)
	}
}

// checkStartAndWaitTook checks that StartAndWait, which returned after took, took as long as
// the longer of the task and main's own work, and names the likely mistake when it did not.
func checkStartAndWaitTook(t *testing.T, call string, took, task, own time.Duration, draw func() string) {
	t.Helper()
	want := max(task, own)
	if took == want {
		return
	}
	var hint string
	switch {
	case took < want:
		hint = fmt.Sprintf("%s returned before the %v task finished: wait for it (receive its result) before returning", call, task)
	case took == task+own:
		hint = "the task and main's own work ran one after the other: start the task with go, then do main's work while it runs"
	default:
		hint = "the task and main's own work should overlap, so the longer of the two is all it takes"
	}
	t.Errorf("took %v of fake time, want %v: %s%s", took, want, hint, draw())
}

func TestStartAndWaitCancelled(t *testing.T) {
	tests := []struct {
		name     string
		giveTask time.Duration
		giveOwn  time.Duration
		giveStop time.Duration // when the context ends
		giveEnd  ending
	}{
		{"while both work", 3 * time.Second, 2 * time.Second, time.Second, cancelled},
		{"while main waits for the task", 3 * time.Second, time.Second, 2 * time.Second, cancelled},
		{"after the task finished", time.Second, 3 * time.Second, 2 * time.Second, cancelled},
		{"with a cause", 3 * time.Second, 2 * time.Second, time.Second, cancelledWithCause},
		{"deadline", 3 * time.Second, time.Second, 2 * time.Second, deadline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx, cancel, how, wantErr := endAt(t.Context(), tt.giveEnd, tt.giveStop)
				defer cancel()
				call := fmt.Sprintf("StartAndWait(ctx, w, %v, %v) with %s", tt.giveTask, tt.giveOwn, how)
				taskRuns := tt.giveTask > tt.giveStop // the task is still working when ctx ends
				var out katatest.Output
				rec := timeline.New()
				got, err := prodcons.StartAndWait(ctx, rec.Writer(slowStop{&out}), tt.giveTask, tt.giveOwn)
				rec.Returned()
				took := rec.Timeline().ReturnAt
				lines := out.Lines()
				time.Sleep(time.Minute) // a task left running finishes, so the drawing shows it

				want := timeline.Want()
				wantTook := tt.giveStop
				if tt.giveOwn > tt.giveStop {
					want.Task("main", 0, tt.giveStop, timeline.Cancelled)
				} else {
					want.Done("main", 0, tt.giveOwn)
				}
				if taskRuns {
					want.Task("task", 0, tt.giveStop, timeline.Cancelled)
					wantTook += stopWrite
				} else {
					want.Done("task", 0, tt.giveTask)
				}
				draw := drawing(rec, want.Return(wantTook))

				if !errors.Is(err, wantErr) {
					hint := "when ctx ends, return its error"
					if !taskRuns && err == nil {
						hint = "the task had finished, but main's own work was cut short by ctx: ctx ended first, so return its error"
					}
					t.Errorf("%s returned the error %v, want one wrapping %s: %s", call, err, errName(wantErr), hint)
				}
				if got != "" {
					t.Errorf("%s = %q, want \"\": ctx ended before StartAndWait was done, so it has no result", call, got)
				}
				wantStopped := "task: stopped: " + wantErr.Error()
				if taskRuns && !slices.Contains(lines, wantStopped) {
					t.Errorf("%s returned when the task had printed\n%s\nwant %q: give the task the same ctx, and wait for it to stop%s",
						call, indent(lines, "task:"), wantStopped, draw())
				}
				if took != wantTook {
					hint := "StartAndWait should return as soon as ctx ends, once the task (which watches the same ctx) has stopped"
					if took < wantTook {
						hint = fmt.Sprintf("StartAndWait returned while the task's goroutine was still writing its last line (that takes %v here):\n"+
							"when ctx ends, still wait for the task to stop (receive its result) before returning", stopWrite)
					}
					t.Errorf("took %v of fake time, want %v: %s%s", took, wantTook, hint, draw())
				}
			})
		})
	}
}

// TestStartAndWaitFinishAsCtxEnds has the task finish at the very instant ctx times out,
// again and again: when the task finished (it printed so), StartAndWait returns its result;
// when ctx won, ctx's error.
func TestStartAndWaitFinishAsCtxEnds(t *testing.T) {
	call := "StartAndWait(ctx, w, 2s, 1s) with a ctx that times out at 2s, the instant the task ends"
	katatest.Bubble(t, func(t *testing.T) {
		for range 50 {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
			var out katatest.Output
			got, err := prodcons.StartAndWait(ctx, &out, 2*time.Second, time.Second)
			cancel()
			if !slices.Contains(out.Lines(), "task: finished") {
				if !errors.Is(err, context.DeadlineExceeded) || got != "" {
					t.Fatalf("%s = %q, %v when ctx stopped the task; want \"\" and an error wrapping context.DeadlineExceeded", call, got, err)
				}
				continue
			}
			if err != nil || got != "task result" {
				t.Fatalf("%s = %q, %v when the task had finished (it printed \"task: finished\"), want \"task result\", nil:\n"+
					"the task and main's own work both finished, so return the task's result. ctx.Err() once they have\n"+
					"returned says only that ctx has ended since, not that either was cut short", call, got, err)
			}
		}
	})
}

// stopWrite is how long slowStop takes to write the task's "stopped" line.
const stopWrite = time.Millisecond

// slowStop writes to out, and takes stopWrite of fake time to write the task's "stopped" line,
// like a slow terminal. So a StartAndWait that returns when ctx ends, without waiting for the
// task's goroutine, returns before that line is written, every time, not just sometimes.
type slowStop struct{ out *katatest.Output }

func (s slowStop) Write(p []byte) (int, error) {
	if strings.HasPrefix(string(p), "task: stopped") {
		time.Sleep(stopWrite)
	}
	return s.out.Write(p)
}

// indent renders the lines that start with prefix, one per line, indented.
func indent(lines []string, prefix string) string {
	var kept []string
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			kept = append(kept, "\t"+l)
		}
	}
	if len(kept) == 0 {
		return "\t(nothing)"
	}
	return strings.Join(kept, "\n")
}
