package concurrency_test

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

// loads is one call of a part 1 kata as the checks see it: what it printed, and when each
// task it ran started and finished, in fake time.
type loads struct {
	call string       // the call, rebuilt for messages: "SumConcurrent(1s, 2s)"
	jobs []loader.Job // the tasks the call must run, in the order it is given them
	rec  *timeline.Recorder
	out  katatest.Output
	took time.Duration // from the call to its return
}

// runLoads calls the kata through call, which must pass it the writer it is given, and then
// lets every task the kata left running finish, so the timeline can show them. Call it
// inside katatest.Bubble.
func runLoads(name string, jobs []loader.Job, call func(w io.Writer)) *loads {
	r := &loads{call: name, jobs: jobs, rec: timeline.New()}
	call(r.rec.Writer(&r.out))
	r.rec.Returned()
	r.took = r.rec.Timeline().ReturnAt
	var total time.Duration
	for _, j := range jobs {
		total += j.Delay
	}
	time.Sleep(total + time.Second) // longer than any task the kata may have left running
	return r
}

// taskName is the name loader.Load notes a task under.
func taskName(n int) string { return fmt.Sprintf("load %d", n) }

// checkTimeline checks that the call ran every job once with the writer it was given, all
// of them from the start, each for its own delay, and returned when the slowest finished.
// When it did not, it says what it saw and draws the call's timeline above the one wanted.
func (r *loads) checkTimeline(t *testing.T) {
	t.Helper()
	got := r.rec.Timeline()
	want := timeline.Want()
	var slowest time.Duration
	for _, j := range r.jobs {
		want.Done(taskName(j.N), 0, j.Delay)
		slowest = max(slowest, j.Delay)
	}
	want.Return(slowest)
	if problem := r.problem(got); problem != "" {
		t.Errorf("%s %s\n\n%s", r.call, problem, timeline.Diff(got, *want, timeline.StyleFromEnv()))
	}
}

// problem names the first thing the timeline got shows wrong, or returns "".
func (r *loads) problem(got timeline.Timeline) string {
	byName := map[string][]timeline.Span{}
	for _, s := range got.Spans {
		byName[s.Name] = append(byName[s.Name], s)
	}
	var slowest time.Duration
	for _, j := range r.jobs {
		slowest = max(slowest, j.Delay)
	}

	// Every job ran once, with the writer the call was given.
	if len(got.Spans) == 0 && len(r.jobs) > 0 {
		return "ran no task:\ncall loader.Load(w, delay, n) for each job, passing on the w it was given."
	}
	for _, j := range r.jobs {
		switch n := len(byName[taskName(j.N)]); {
		case n == 0:
			return fmt.Sprintf("never ran %s with the writer it was given:\n"+
				"Call loader.Load(w, delay, n) once per job, passing on the w it was given.", taskName(j.N))
		case n > 1:
			return fmt.Sprintf("ran %s %d times, want once:\ncall loader.Load once per job.", taskName(j.N), n)
		}
	}
	// Each for its own delay.
	for _, j := range r.jobs {
		if s := byName[taskName(j.N)][0]; s.End-s.Start != j.Delay {
			return fmt.Sprintf("ran %s for %v, want %v:\ngive each task its own job's delay.", taskName(j.N), s.End-s.Start, j.Delay)
		}
	}
	// All from the start.
	var late []timeline.Span
	for _, s := range got.Spans {
		if s.Start > 0 {
			late = append(late, s)
		}
	}
	if len(late) > 0 {
		first := late[0]
		took := ""
		if r.took != slowest {
			took = fmt.Sprintf("\nIt took %v, want %v (the slowest task alone).", r.took, slowest)
		}
		switch most := mostAtOnce(got.Spans); {
		case most == 1:
			return fmt.Sprintf("ran the tasks one after another:\n"+
				"%s started at %v, when the task before it had finished.%s\n"+
				"Start every task (go, or wg.Go) before waiting for any.", first.Name, first.Start, took)
		case startsAtEnds(got.Spans):
			return fmt.Sprintf("ran at most %d tasks at once:\n"+
				"%s started only at %v, when another task had finished.%s\n"+
				"A fixed number of workers (runtime.NumCPU, GOMAXPROCS, a semaphore) limits how many\n"+
				"tasks run at once; goroutines are cheap: start one per job.", most, first.Name, first.Start, took)
		default:
			return fmt.Sprintf("started %s at %v, want 0s:%s\nStart every task before waiting for any.", first.Name, first.Start, took)
		}
	}
	// Returned as the slowest finished.
	var last timeline.Span
	for _, s := range got.Spans {
		if s.End >= last.End {
			last = s
		}
	}
	switch {
	case r.took < last.End:
		return fmt.Sprintf("returned too early:\nit returned at %v, while %s was still running (it finished at %v).\n"+
			"Wait for every task before returning: with a WaitGroup, count each task before it starts\n"+
			"(wg.Go(f), or wg.Add(1) before the go statement); an Add inside the goroutine may run\n"+
			"after Wait has already seen nothing to wait for.", r.took, last.Name, last.End)
	case r.took > last.End:
		return fmt.Sprintf("returned late:\nit returned at %v, %v after the last task finished: wait for the tasks, not for a time.",
			r.took, r.took-last.End)
	}
	return ""
}

// mostAtOnce returns the most spans that were running at one instant.
func mostAtOnce(spans []timeline.Span) int {
	most := 0
	for _, s := range spans {
		n := 0
		for _, o := range spans {
			if o.Start <= s.Start && s.Start < o.End {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// startsAtEnds reports whether every span that started late started at the instant another
// ended: the mark of tasks waiting for a free worker.
func startsAtEnds(spans []timeline.Span) bool {
	ends := map[time.Duration]bool{}
	for _, s := range spans {
		ends[s.End] = true
	}
	for _, s := range spans {
		if s.Start > 0 && !ends[s.Start] {
			return false
		}
	}
	return true
}

// checkStartsBeforeLoads checks that the call printed, through loader.Load, a "loading" and
// a "loaded" line for each job to the writer it was given, and every "loading" line before
// any "loaded" line: the sign that all tasks were started before any was waited for.
func (r *loads) checkStartsBeforeLoads(t *testing.T) {
	t.Helper()
	var loading, loaded []string
	for _, j := range r.jobs {
		loading = append(loading, fmt.Sprintf("number %d is loading...", j.N))
		loaded = append(loaded, fmt.Sprintf("...number %d has loaded", j.N))
	}
	lines := r.out.Lines()
	printed := "\t" + strings.Join(lines, "\n\t")
	if len(lines) == 0 {
		printed = "\t(nothing)"
	}
	if !sameElements(lines, append(slices.Clone(loading), loaded...)) {
		t.Errorf("%s printed to w\n%s\nwant a \"loading\" and a \"loaded\" line for each job: call loader.Load once per job, passing on w",
			r.call, printed)
		return
	}
	if !sameElements(lines[:len(loading)], loading) {
		t.Errorf("%s printed\n%s\nwant every \"loading\" line before any \"loaded\" line: start every task before waiting for any",
			r.call, printed)
	}
}

// sameElements reports whether a and b hold the same strings in any order.
func sameElements(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// describe rebuilds a list of jobs for a call in a message: "1 after 3s, 2 after 1s"; a
// long list shows its first and last jobs.
func describe(jobs []loader.Job) string {
	parts := make([]string, len(jobs))
	for i, j := range jobs {
		parts[i] = fmt.Sprintf("%d after %v", j.N, j.Delay)
	}
	if len(parts) > 4 {
		parts = []string{parts[0], parts[1], fmt.Sprintf("... %d more ...", len(parts)-3), parts[len(parts)-1]}
	}
	return strings.Join(parts, ", ")
}

// job returns a job that produces n after secs seconds.
func job(n, secs int) loader.Job {
	return loader.Job{N: n, Delay: time.Duration(secs) * time.Second}
}

// inRounds runs body n times, each time in a bubble of its own, and stops at the first round
// that fails; round names the round for messages ("round 3 of 100"). Tasks that finish at the
// same instant run in a different order from round to round, so a mistake that shows only
// in some orders is met.
func inRounds(t *testing.T, n int, body func(t *testing.T, round string)) {
	t.Helper()
	for i := range n {
		failed := false
		katatest.Bubble(t, func(t *testing.T) {
			body(t, fmt.Sprintf("round %d of %d", i+1, n))
			failed = t.Failed()
		})
		if failed {
			return
		}
	}
}
