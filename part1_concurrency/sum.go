package concurrency

import (
	"io"
	"time"
)

// SumConcurrent loads 4 (taking d1) and 8 (taking d2) with loader.Load, writing their
// progress lines to w, and returns their sum, 12.
//
// Unlike loader.SumSequential it starts both tasks before waiting for either, so it takes
// as long as the slower task, not the sum of both delays. Every goroutine it starts has
// finished when it returns.
func SumConcurrent(w io.Writer, d1, d2 time.Duration) int {
	// TODO: run loader.Load(w, d1, 4) and loader.Load(w, d2, 8) at the same time,
	// wait for both, and return the sum of their results.
	return 0
}
