package concurrency

import (
	"io"
	"sync"

	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

// LoadAll calls Done twice for each job: the WaitGroup's counter goes negative.
func LoadAll(w io.Writer, jobs []loader.Job) []int {
	results := make([]int, len(jobs))
	var wg sync.WaitGroup
	wg.Add(len(jobs))
	for i, job := range jobs {
		go func() {
			results[i] = loader.Load(w, job.Delay, job.N)
			wg.Done() // fault
			wg.Done() // fault
		}()
	}
	wg.Wait()
	return results
}
