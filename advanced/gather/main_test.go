package gather_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/tasktest"
	"github.com/go-async-katas/katas/internal/timeline"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// explainCrash is the advice for a test run in a child process (katatest.Isolated) that
// crashed. Those are the tests in which a task fails or the caller's ctx ends while other
// tasks still run: a channel closed by Gather as it returns early then makes the tasks still
// sending on it panic, on goroutines the test cannot recover, which would otherwise end the
// whole test binary.
//
// Other crashes get the harness's own explanation (gotrace.CrashHint).
func explainCrash(c katatest.Child) string {
	if !strings.Contains(c.Crash, "send on closed channel") {
		return ""
	}
	return "A task sent on a channel that Gather had already closed, when a first error made it stop receiving.\n" +
		"Closing does not stop the senders. Close a channel only from its sending side, after every sender is done\n" +
		"(wg.Wait(), then close), or do not close it at all. And Gather must wait for every task before it returns\n" +
		"anyway: cancel the others on the first error, then keep receiving (or wg.Wait()) until each has returned"
}

// cleanup is how long a test task (tasktest.Probe) takes to tidy up after its context ends:
// a function that returns before its cancelled tasks have finished returns cleanup too early.
const cleanup = tasktest.DefaultCleanup

// recording returns p's tasks for specs, each noted in rec under its name (see taskName), so
// a failure message can draw what Gather did with them.
func recording(rec *timeline.Recorder, p *tasktest.Probe, specs []tasktest.Spec) []func(context.Context) (string, error) {
	tasks := p.Tasks(specs)
	for i, s := range specs {
		tasks[i] = timeline.Wrap(rec, taskName(s), tasks[i])
	}
	return tasks
}

// taskName names a spec's task in a drawing: its value, or the text of its error.
func taskName(s tasktest.Spec) string {
	if s.Err != nil {
		return s.Err.Error()
	}
	return s.Value
}

// wantTimeline is what Gather should do with tasks built from specs: run them all from the
// start; with no failure, return when the slowest is done; else, at the first failure,
// cancel the others, which tidy up for cleanup, and return when the last has.
func wantTimeline(specs []tasktest.Spec) *timeline.Timeline {
	first := time.Duration(-1) // when the first task fails; -1: none fails
	for _, s := range specs {
		if s.Err != nil && (first < 0 || s.Delay < first) {
			first = s.Delay
		}
	}
	want := timeline.Want()
	var last time.Duration
	for _, s := range specs {
		switch {
		case first < 0 || s.Delay < first || s.Delay == first && s.Err == nil:
			want.Done(taskName(s), 0, s.Delay)
			last = max(last, s.Delay)
		case s.Delay == first:
			want.Task(taskName(s), 0, s.Delay, timeline.Failed)
			last = max(last, s.Delay)
		default:
			want.Task(taskName(s), 0, first+cleanup, timeline.Cancelled)
			last = max(last, first+cleanup)
		}
	}
	return want.Return(last)
}
