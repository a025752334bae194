package katatest

import (
	"testing"
	"time"
)

// Elapsed checks that exactly want of fake time has passed since start, and otherwise reports
// how long it took with hint, which should name the idea to reach for: "the slowest task
// alone takes 2s; do the tasks run one after another?". Call it inside Bubble, where time is
// fake and so exact. It reports whether the check passed.
func Elapsed(t testing.TB, start time.Time, want time.Duration, hint string) bool {
	t.Helper()
	got := time.Since(start)
	if got == want {
		return true
	}
	t.Errorf("took %v of fake time, want %v: %s", got, want, hint)
	return false
}
