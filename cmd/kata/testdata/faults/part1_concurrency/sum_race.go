package concurrency

import (
	"io"
	"sync"
	"time"

	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

// SumConcurrent adds both results into one variable from both goroutines: a data race.
func SumConcurrent(w io.Writer, d1, d2 time.Duration) int {
	var sum int
	var wg sync.WaitGroup
	wg.Go(func() { sum += loader.Load(w, d1, 4) }) // fault
	wg.Go(func() { sum += loader.Load(w, d2, 8) }) // fault
	wg.Wait()
	return sum
}
