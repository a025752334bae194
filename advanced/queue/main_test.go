package queue_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// errStop is the cause the tests cancel their contexts with.
var errStop = errors.New("stop")

// grace is how long, past the moment something should have happened, a test waits for it.
// It is fake time: waiting costs nothing real.
const grace = time.Minute

// returnsWithin runs call on a new goroutine and waits up to limit of fake time for it to
// return. It reports whether call returned in time; when it did not, call's goroutine stays
// blocked, and the bubble reports it after the test's own message.
func returnsWithin(limit time.Duration, call func()) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		call()
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}

// receive receives from ch until it is closed, until it has max values, or until limit of
// fake time has passed since start. It returns the values, when each arrived (since start)
// and whether it saw ch closed.
func receive(ch <-chan int, max int, start time.Time, limit time.Duration) (vals []int, at []time.Duration, closed bool) {
	timer := time.NewTimer(limit - time.Since(start))
	defer timer.Stop()
	for len(vals) < max {
		select {
		case v, ok := <-ch:
			if !ok {
				return vals, at, true
			}
			vals = append(vals, v)
			at = append(at, time.Since(start))
		case <-timer.C:
			return vals, at, false
		}
	}
	return vals, at, false
}

// handler records the numbers a consumer hands it. It is safe for concurrent use. Once it
// has been handed more numbers than were ever sent, it blocks for good: a consumer that
// keeps "receiving" zeros from a closed channel would otherwise spin forever.
type handler struct {
	mu    sync.Mutex
	got   []int
	sent  int  // how many numbers the test sends
	extra bool // handed more than sent
	stuck chan struct{}
}

func newHandler(sent int) *handler { return &handler{sent: sent, stuck: make(chan struct{})} }

func (h *handler) handle(n int) {
	h.mu.Lock()
	if len(h.got) >= h.sent {
		h.extra = true
		h.mu.Unlock()
		<-h.stuck // never closed: stop the runaway consumer here
		return
	}
	h.got = append(h.got, n)
	h.mu.Unlock()
}

func (h *handler) handled() (got []int, extra bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]int(nil), h.got...), h.extra
}

// numbers returns 0, 1, …, n-1.
func numbers(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func listing(lines []string) string {
	if len(lines) == 0 {
		return "\t(nothing)"
	}
	return "\t" + strings.Join(lines, "\n\t")
}

// gotLines returns the lines Run should write for the numbers 0, 1, …, n-1.
func gotLines(n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("Got number %d", i)
	}
	return lines
}
