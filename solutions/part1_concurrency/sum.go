package concurrency

import (
	"io"
	"sync"
	"time"

	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

// SumConcurrent loads 4 (taking d1) and 8 (taking d2) with loader.Load, writing their
// progress lines to w, and returns their sum, 12.
//
// Unlike loader.SumSequential it starts both tasks before waiting for either, so it takes
// as long as the slower task, not the sum of both delays. Every goroutine it starts has
// finished when it returns.
func SumConcurrent(w io.Writer, d1, d2 time.Duration) int {
	var a, b int // each written by one goroutine, read only after wg.Wait
	var wg sync.WaitGroup
	wg.Go(func() { a = loader.Load(w, d1, 4) })
	wg.Go(func() { b = loader.Load(w, d2, 8) })
	wg.Wait()
	return a + b
}
