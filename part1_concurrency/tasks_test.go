package concurrency_test

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/katatest"
	concurrency "github.com/go-async-katas/katas/part1_concurrency"
	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

func TestLoadAll(t *testing.T) {
	tests := []struct {
		name string
		give []loader.Job
		want []int
	}{
		{"none", nil, []int{}},
		{"one", []loader.Job{job(7, 1)}, []int{7}},
		{"slowest first", []loader.Job{job(1, 3), job(2, 1), job(3, 2)}, []int{1, 2, 3}},
		{"slowest last", []loader.Job{job(4, 1), job(8, 2), job(15, 5)}, []int{4, 8, 15}},
		{"ten", tenJobs(), []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := "LoadAll(" + describe(tt.give) + ")"
				start := time.Now()
				got := concurrency.LoadAll(io.Discard, tt.give)

				if !slices.Equal(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
					t.Errorf("%s = %v, want %v: %s", call, got, tt.want, orderHint(got, tt.want))
				}
				delays := make([]time.Duration, len(tt.give))
				for i, j := range tt.give {
					delays[i] = j.Delay
				}
				checkTook(t, call, start, delays...)
			})
		})
	}
}

func TestLoadAllStartsAllFirst(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var out katatest.Output
		concurrency.LoadAll(&out, []loader.Job{job(1, 1), job(2, 2), job(3, 3)})
		checkStartsBeforeLoads(t, "LoadAll(1 after 1s, 2 after 2s, 3 after 3s)", out.Lines(), 1, 2, 3)
	})
}

// orderHint explains a wrong result slice.
func orderHint(got, want []int) string {
	if len(got) == len(want) && slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
		return "the right results in the wrong order.\n" +
			"Results arrive in the order the jobs finish; put each one at its job's index"
	}
	if len(got) == len(want) && slices.Contains(got, 0) {
		return "some results are still 0: LoadAll returned before every goroutine had\n" +
			"written its result. Wait for all of them before reading the slice"
	}
	return "one result per job, in the order of jobs"
}

func describe(jobs []loader.Job) string {
	parts := make([]string, len(jobs))
	for i, j := range jobs {
		parts[i] = fmt.Sprintf("%d after %v", j.N, j.Delay)
	}
	return strings.Join(parts, ", ")
}

// job returns a job that produces n after secs seconds.
func job(n, secs int) loader.Job {
	return loader.Job{N: n, Delay: time.Duration(secs) * time.Second}
}

// tenJobs returns jobs 10, 9, ..., 1 where job n takes n seconds: the first is the slowest.
func tenJobs() []loader.Job {
	jobs := make([]loader.Job, 10)
	for i := range jobs {
		jobs[i] = job(10-i, 10-i)
	}
	return jobs
}
