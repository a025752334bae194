package wait_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/advanced/wait/task"
	"github.com/go-async-katas/katas/internal/timeline"
)

// jobsLine starts a timeline of jobs that all start at 0 and run their full time, each done
// or failed (Wait and EachDone never cancel them), for drawings of Wait and EachDone.
func jobsLine(jobs []job) *timeline.Timeline {
	tl := timeline.Want()
	for _, j := range jobs {
		outcome := timeline.Done
		if j.err != nil {
			outcome = timeline.Failed
		}
		tl.Task(j.name, 0, j.d, outcome)
	}
	return tl
}

// ctxEnds adds to tl the instant the test ends ctx: "timeout" at timeout, "cancel" at
// cancelAt (0: never).
func ctxEnds(tl *timeline.Timeline, timeout, cancelAt time.Duration) *timeline.Timeline {
	if timeout > 0 {
		tl.Mark("timeout", timeout)
	}
	if cancelAt > 0 {
		tl.Mark("cancel", cancelAt)
	}
	return tl
}

// waitDrawing draws, for elapsedDrawn, what Wait did with jobs above what the kata wants:
// the jobs, the instant the test ends ctx (see ctxEnds), and the return.
func waitDrawing(jobs []job, timeout, cancelAt time.Duration) func(took, want time.Duration) string {
	return func(took, want time.Duration) string {
		line := func(ret time.Duration) timeline.Timeline {
			return *ctxEnds(jobsLine(jobs), timeout, cancelAt).Return(ret)
		}
		return timeline.Diff(line(took), line(want), timeline.StyleFromEnv())
	}
}

// handledLine is jobs' timeline with "handle NAME" at the instant each was handled (at,
// when it was handled; ok false: never) and the return at ret.
func handledLine(jobs []job, at func(name string) (time.Duration, bool), ret time.Duration) timeline.Timeline {
	tl := jobsLine(jobs)
	for _, j := range jobs {
		if when, ok := at(j.name); ok {
			tl.Mark("handle "+j.name, when)
		}
	}
	return *tl.Return(ret)
}

// eachDoneDrawing draws what EachDone did with jobs (handled, returning at took) above what
// the kata wants: each job handled as it finishes, the return with the slowest.
func eachDoneDrawing(jobs []job, handled *clock, took time.Duration) string {
	var slowest time.Duration
	for _, j := range jobs {
		slowest = max(slowest, j.d)
	}
	finished := func(name string) (time.Duration, bool) {
		for _, j := range jobs {
			if j.name == name {
				return j.d, true
			}
		}
		return 0, false
	}
	return timeline.Diff(handledLine(jobs, handled.when, took), handledLine(jobs, finished, slowest), timeline.StyleFromEnv())
}

// elapsedDrawn checks, as katatest.Elapsed does, that the call took want of fake time since
// start; when it did not, the message ends with draw(took, want): what the code did above
// what the kata wants.
func elapsedDrawn(t *testing.T, start time.Time, want time.Duration, hint string, draw func(took, want time.Duration) string) bool {
	t.Helper()
	took := time.Since(start)
	if took == want {
		return true
	}
	t.Errorf("took %v of fake time, want %v: %s\n\n%s", took, want, hint, draw(took, want))
	return false
}

// recordedFuncs is funcs with each task's run noted in rec under the job's name.
func recordedFuncs(rec *timeline.Recorder, jobs []job) []task.Func[string] {
	fns := funcs(jobs)
	for i, j := range jobs {
		fns[i] = recordedAs(rec, j.name, fns[i])
	}
	return fns
}

// recordedAs is f with its runs noted in rec under name: cancelled when it fails after its ctx
// ended (the test's tasks return ctx's cause, errStop, which timeline.Wrap would call failed).
func recordedAs(rec *timeline.Recorder, name string, f task.Func[string]) task.Func[string] {
	return func(ctx context.Context) (string, error) {
		entry := rec.Start(name)
		v, err := f(ctx)
		if err != nil && ctx.Err() != nil {
			entry.Cancel()
		} else {
			entry.End(err)
		}
		return v, err
	}
}

// loopDrawing returns what draws, once Loop has returned, the tasks it ran (recorded in rec)
// above what the kata wants (see loopWant); it draws "" when the two are the same. It lets
// the tasks stopping at the instant of the return end first.
func loopDrawing(rec *timeline.Recorder, first []job, injects []inject, reports []tickReport, ctxEnd, took time.Duration) func() string {
	return func() string {
		synctest.Wait()
		want := loopWant(first, injects, reports, ctxEnd, took)
		if rec.Timeline().Equal(*want) {
			return ""
		}
		return rec.Diff(want)
	}
}

// loopWant is the timeline Loop's doc asks for: the first jobs start at 0; an injected job
// starts after the first report at or after it is sent (Loop takes one per tick), or at once
// when it is sent while nothing is pending; a job still running when ctx ends (at ctxEnd; 0:
// never) is cancelled then and stops after its cleanup; the return at took.
func loopWant(first []job, injects []inject, reports []tickReport, ctxEnd, took time.Duration) *timeline.Timeline {
	tl := timeline.Want()
	run := func(j job, start time.Duration) {
		end, outcome := start+j.d, timeline.Done
		if ctxEnd > 0 && end > ctxEnd {
			end, outcome = ctxEnd+j.cleanup, timeline.Cancelled
		}
		tl.Task(j.name, start, end, outcome)
	}
	for _, j := range first {
		run(j, 0)
	}
	next := 0
	take := func(at time.Duration) {
		if next < len(injects) && (ctxEnd == 0 || at < ctxEnd) {
			run(injects[next].job, at)
			next++
		}
	}
	idle, idleAt := len(first) == 0, time.Duration(0)
	for _, r := range reports {
		if idle && next < len(injects) {
			take(max(idleAt, injects[next].at))
		}
		idle = r.pending == 0
		idleAt = r.at
		if !idle && next < len(injects) && injects[next].at <= r.at {
			take(r.at)
		}
	}
	if idle && next < len(injects) {
		take(max(idleAt, injects[next].at))
	}
	return tl.Return(took)
}
