// Package katatest holds the helpers every kata test shares: a fake-time bubble that turns
// deadlocks, leaked goroutines and panics into ordinary test failures ([Bubble]), a child
// process for tests whose code may crash ([Isolated]) or must crash ([Crashes]), [Recover] for
// a panic on a goroutine a test started, a hang detector, an exact elapsed-time check, the two
// ways to end a test's context ([Endings]), a TestMain with a leak check ([Main]), and a
// concurrency-safe output recorder.
//
// # Hangs
//
// Code that blocks without a durable primitive (a mutex locked twice, a loop that never
// blocks) stops fake time, so testing/synctest cannot report it. [Bubble], [Isolated] and
// [Main] therefore watch the real time a test takes: a test that has not finished after
// [HangBound] (env [HangEnv], default 10s) gets a report on standard output whose first line is
// [gotrace.HangLine] ("--- HANG: TestX (no progress for 10s of real time)"), listing the stuck
// goroutines at the learner's lines and the likely causes, and the binary ends with exit
// status 1. Go gives no other way to stop such a goroutine.
package katatest

import (
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// Bubble runs body inside a testing/synctest bubble, so time.Sleep, timers, channels and
// contexts created in it use fake time: a test that waits 2s of fake time takes no real time.
//
// It turns what would otherwise crash or hang the test binary into a failure of this test
// alone, with a message that says what went wrong:
//   - a deadlock (every goroutine in the bubble blocked on something no one will ever do);
//   - goroutines still blocked when body returns (a leak);
//   - a panic in body's own goroutine.
//
// A panic in a goroutine that body (or the code under test) starts cannot be recovered by
// anyone but that goroutine: Go ends the test binary. `go run ./cmd/kata` reports such a
// crash against the test that was running.
//
// Call Bubble from the test goroutine (typically inside t.Run); body receives the bubble's
// own *testing.T, whose Context is cancelled just before the bubble ends.
//
// A test whose bubble has not returned after the hang bound (see the package doc) ends the
// binary with a hang report that names the test and the bubble's stuck goroutines.
func Bubble(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	noteTest(t.Name())
	before := gotrace.Take()
	var bubble atomic.Int64 // set by body's goroutine, read by the watchdog
	defer watchHang(t.Name(), HangBound(), inBubble(&bubble, before))()
	if report := runBubble(t, &bubble, body); report != "" {
		t.Fatal(deadlockMessage(report, stuckGoroutines(gotrace.All(), before), t.Failed()))
	}
}

// runBubble runs body in a synctest bubble, storing the bubble's number in bubble, and returns
// synctest's deadlock report, if any.
func runBubble(t *testing.T, bubble *atomic.Int64, body func(t *testing.T)) (report string) {
	defer func() {
		if r := recover(); r != nil {
			report = fmt.Sprint(r)
			if !strings.HasPrefix(report, "deadlock:") {
				panic(r) // not synctest's report: not ours to hide
			}
		}
	}()
	synctest.Test(t, func(t *testing.T) {
		bubble.Store(int64(gotrace.Self().Bubble))
		defer func() {
			t.Helper() // report the line that panicked
			if r := recover(); r != nil {
				t.Fatal(Panic{Value: r, Stack: string(debug.Stack())})
			}
		}()
		body(t)
	})
	return ""
}

// maxStuckShown is how many stuck goroutines a report lists: the first few say where to look.
const maxStuckShown = 3

// deadlockMessage explains synctest's deadlock report to a learner.
func deadlockMessage(report string, stuck []gotrace.Goroutine, alreadyFailed bool) string {
	var b strings.Builder
	switch {
	case strings.Contains(report, "all goroutines in bubble are blocked"):
		b.WriteString("deadlock: every goroutine in this test is blocked, waiting for something no goroutine will ever do.\n" +
			"Look for a send nobody receives, a receive from a channel nobody sends on or closes,\n" +
			"or a wg.Wait() whose counter never reaches zero.")
	case alreadyFailed:
		b.WriteString("also: goroutines it started were still sleeping or blocked when the test ended (see the failure above).")
	default:
		b.WriteString("goroutine leak: the test finished but goroutines it started are still sleeping or blocked.\n" +
			"Every goroutine needs a way to finish: close the channel it ranges over, receive what it sends,\n" +
			"or cancel the context it waits on, and wait for it before returning.")
	}
	if len(stuck) > 0 {
		b.WriteString("\n\nStuck goroutines:")
		for i, g := range stuck {
			if i == maxStuckShown {
				fmt.Fprintf(&b, "\n  ... and %d more", len(stuck)-maxStuckShown)
				break
			}
			b.WriteString("\n" + indent(learnerFirst(g), "  "))
		}
	}
	return b.String()
}
