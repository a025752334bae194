// Package katatest holds the helpers every kata test shares: a fake-time bubble that turns
// deadlocks, leaked goroutines and panics into ordinary test failures, an exact elapsed-time
// check, a leak check for TestMain, and a concurrency-safe output recorder.
package katatest

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"testing/synctest"
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
func Bubble(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	before := bubbleIDs(allStacks())
	if report := runBubble(t, body); report != "" {
		stuck := stuckGoroutines(allStacks(), before)
		t.Fatal(deadlockMessage(report, stuck, t.Failed()))
	}
}

// runBubble runs body in a synctest bubble and returns synctest's deadlock report, if any.
func runBubble(t *testing.T, body func(t *testing.T)) (report string) {
	defer func() {
		if r := recover(); r != nil {
			report = fmt.Sprint(r)
			if !strings.HasPrefix(report, "deadlock:") {
				panic(r) // not synctest's report: not ours to hide
			}
		}
	}()
	synctest.Test(t, func(t *testing.T) {
		defer func() {
			t.Helper() // report the line that panicked
			if r := recover(); r != nil {
				t.Fatalf("panic: %v\n\nThe code under test panicked. Where:\n%s", r, userFrames(string(debug.Stack())))
			}
		}()
		body(t)
	})
	return ""
}

// maxStuckShown is how many stuck goroutines a report lists: the first few say where to look.
const maxStuckShown = 3

// deadlockMessage explains synctest's deadlock report to a learner.
func deadlockMessage(report string, stuck []goroutine, alreadyFailed bool) string {
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
			b.WriteString("\n" + g.String())
		}
	}
	return b.String()
}

// allStacks returns the tracebacks of every goroutine in the process.
func allStacks() string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}
