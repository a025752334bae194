package concurrency_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/internal/katatest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// checkStartsBeforeLoads checks that call printed, through loader.Load, a "loading" and a
// "loaded" line for each of numbers, and every "loading" line before any "loaded" line: the
// sign that all tasks were started before any was waited for.
func checkStartsBeforeLoads(t *testing.T, call string, lines []string, numbers ...int) {
	t.Helper()
	var loading, loaded []string
	for _, n := range numbers {
		loading = append(loading, fmt.Sprintf("number %d is loading...", n))
		loaded = append(loaded, fmt.Sprintf("...number %d has loaded", n))
	}
	printed := "\t" + strings.Join(lines, "\n\t")
	if len(lines) == 0 {
		printed = "\t(nothing)"
	}
	if !sameElements(lines, append(slices.Clone(loading), loaded...)) {
		t.Errorf("%s printed\n%s\nwant a \"loading\" and a \"loaded\" line for each of %v: call loader.Load once per task, writing to w",
			call, printed, numbers)
		return
	}
	if !sameElements(lines[:len(loading)], loading) {
		t.Errorf("%s printed\n%s\nwant every \"loading\" line before any \"loaded\" line: start every task before waiting for any",
			call, printed)
	}
}

// sameElements reports whether a and b hold the same strings in any order.
func sameElements(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// checkTook checks that call, started at start, took as long as the slowest of delays, and
// names the likely mistake when it did not.
func checkTook(t *testing.T, call string, start time.Time, delays ...time.Duration) {
	t.Helper()
	took := time.Since(start)
	var slowest, total time.Duration
	for _, d := range delays {
		slowest, total = max(slowest, d), total+d
	}
	hint := call + " should take as long as its slowest task. "
	switch {
	case took < slowest:
		hint += "It returned before the slowest task finished: wait for every task\n" +
			"(sync.WaitGroup, or receive each result from a channel) before returning.\n" +
			"With a WaitGroup, count each task before it starts: wg.Go(f), or wg.Add(1) before go,\n" +
			"never inside the goroutine (Wait may run first and see nothing to wait for)."
	case took == total && len(delays) > 1:
		hint += "The tasks ran one after another: start all of them (go ...) before waiting for any."
	default:
		hint += "Something waited longer than the slowest task."
	}
	katatest.Elapsed(t, start, slowest, hint)
}
