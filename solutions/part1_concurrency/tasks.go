package concurrency

import (
	"io"
	"sync"

	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

// LoadAll runs loader.Load for every job at the same time, writing their progress lines to
// w, and returns the results in the order of jobs (not the order they finish in). It takes
// as long as the slowest job. Every goroutine it starts has finished when it returns.
func LoadAll(w io.Writer, jobs []loader.Job) []int {
	results := make([]int, len(jobs)) // goroutine i writes only results[i]: no race
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { results[i] = loader.Load(w, job.Delay, job.N) })
	}
	wg.Wait()
	return results
}
