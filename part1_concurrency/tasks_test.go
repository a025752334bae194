package concurrency_test

import (
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/katatest"
	concurrency "github.com/go-async-katas/katas/part1_concurrency"
	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

// loadAll runs LoadAll(w, jobs) as the checks see it.
func loadAll(jobs []loader.Job) (*loads, []int) {
	var got []int
	r := runLoads("LoadAll("+describe(jobs)+")", jobs,
		func(w io.Writer) { got = concurrency.LoadAll(w, jobs) })
	return r, got
}

func TestLoadAll(t *testing.T) {
	tests := []struct {
		name string
		give []loader.Job
	}{
		{"none", nil},
		{"one", []loader.Job{job(7, 1)}},
		{"slowest first", []loader.Job{job(1, 3), job(2, 1), job(3, 2)}},
		{"slowest last", []loader.Job{job(4, 1), job(8, 2), job(15, 5)}},
		{"ten", countdown(10)},
		// More tasks than any machine has cores: a pool of runtime.NumCPU workers fails.
		{"a thousand", sameDelay(1000, time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				r, got := loadAll(tt.give)
				checkResults(t, r, got)
				r.checkTimeline(t)
			})
		})
	}
}

// TestLoadAllTogether has ten tasks finish at the same instant, many times over: the order
// they finish in then changes from run to run, and the results must not.
func TestLoadAllTogether(t *testing.T) {
	inRounds(t, 50, func(t *testing.T, round string) {
		r, got := loadAll(sameDelay(10, time.Second))
		r.call = round + ": " + r.call
		checkResults(t, r, got)
		r.checkTimeline(t)
	})
}

func TestLoadAllStartsAllFirst(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		r, _ := loadAll([]loader.Job{job(1, 1), job(2, 2), job(3, 3)})
		r.checkStartsBeforeLoads(t)
	})
}

// checkResults checks that got holds each job's result at the job's index, and says what
// is wrong when it does not.
func checkResults(t *testing.T, r *loads, got []int) {
	t.Helper()
	want := make([]int, len(r.jobs))
	for i, j := range r.jobs {
		want[i] = j.N
	}
	if slices.Equal(got, want) {
		return
	}
	gotShown, wantShown := fmt.Sprint(got), fmt.Sprint(want)
	if len(got) > 12 || len(want) > 12 {
		gotShown, wantShown = fmt.Sprintf("%d results", len(got)), fmt.Sprintf("%d", len(want))
		if i := firstDifference(got, want); i < len(got) && i < len(want) {
			gotShown, wantShown = fmt.Sprintf("result %d at index %d", got[i], i), fmt.Sprintf("%d (job %d's)", want[i], i)
		}
	}
	var hint string
	switch {
	case len(got) != len(want):
		hint = "one result per job, in the order of jobs"
	case slices.IsSorted(got) && !slices.IsSorted(want) && slices.Equal(got, slices.Sorted(slices.Values(want))):
		hint = "the right results, in ascending order: were they sorted, or collected as the jobs finished?\n" +
			"The order wanted is the jobs': put each result at its job's index (results[i] = ... in job i's goroutine)"
	case slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))):
		hint = "the right results in the wrong order.\n" +
			"Results come in the order the jobs finish; put each one at its job's index"
	case slices.Contains(got, 0):
		hint = "some results are 0, as if never written. Let goroutine i write only\n" +
			"results[i], and read the slice only after every goroutine has finished"
	default:
		hint = "each job's result at its job's index"
	}
	t.Errorf("%s = %s, want %s:\n%s", r.call, gotShown, wantShown, hint)
}

func firstDifference(a, b []int) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// countdown returns jobs n, n-1, ..., 1 where job i takes i seconds: the first is the
// slowest.
func countdown(n int) []loader.Job {
	jobs := make([]loader.Job, n)
	for i := range jobs {
		jobs[i] = job(n-i, n-i)
	}
	return jobs
}

// sameDelay returns n jobs numbered 1 to n that all take d.
func sameDelay(n int, d time.Duration) []loader.Job {
	jobs := make([]loader.Job, n)
	for i := range jobs {
		jobs[i] = loader.Job{N: i + 1, Delay: d}
	}
	return jobs
}
