// Package loader is the given code of part 1: a slow task and the sequential program that
// waits for one task before starting the next. The katas in part1_concurrency use it; you do
// not need to change it.
package loader

import (
	"fmt"
	"io"
	"time"

	"github.com/go-async-katas/katas/internal/timeline"
)

// Job is one call of Load: wait Delay, then produce N.
type Job struct {
	N     int
	Delay time.Duration
}

// Load pretends to fetch the number n: it prints "number n is loading...", sleeps for delay,
// prints "...number n has loaded" and returns n. It blocks the calling goroutine for the
// whole delay. Each line is a single write, so w must be safe for concurrent use when Load
// runs on several goroutines at once (os.Stdout is).
//
// When w comes from the katas' tests, Load also notes on their timeline when it started and
// finished, so a failing test can draw when each task ran; with any other writer it does
// nothing more.
func Load(w io.Writer, delay time.Duration, n int) int {
	if rec := timeline.FromWriter(w); rec != nil {
		task := rec.Start(fmt.Sprintf("load %d", n))
		defer task.Done()
	}
	fmt.Fprintf(w, "number %d is loading...\n", n)
	time.Sleep(delay)
	fmt.Fprintf(w, "...number %d has loaded\n", n)
	return n
}

// SumSequential loads 4 (taking d1) and then 8 (taking d2) and returns their sum, 12. It
// waits for the first task before starting the second, so it takes d1 + d2: this is the
// program the katas make concurrent.
func SumSequential(w io.Writer, d1, d2 time.Duration) int {
	a := Load(w, d1, 4)
	b := Load(w, d2, 8)
	return a + b
}
