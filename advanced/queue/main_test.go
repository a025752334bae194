package queue_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// errStop is the cause the tests cancel their contexts with.
var errStop = errors.New("stop")

// grace is how long, past the moment something should have happened, a test waits for it.
// It is fake time: waiting costs nothing real.
const grace = time.Minute

// explainPanic is the advice for a panic of the code under test, the reason for it if it
// is a known one.
func explainPanic(p katatest.Panic) string {
	text := fmt.Sprint(p.Value)
	switch {
	case strings.Contains(text, "close of closed channel"):
		return "\nThe channel was closed twice. Produce closes it when it returns (defer close(out)); nobody else may\n" +
			"close it, not Run and not the consumer: one channel, one closer, and that is its sender."
	case strings.Contains(text, "send on closed channel"):
		return "\nA number was sent on a channel that was already closed. Close out only when Produce returns, after\n" +
			"its last send (defer close(out) at the top), and let no one else close it."
	case strings.Contains(text, "non-positive interval for NewTicker"):
		return "\ntime.NewTicker panics when its interval is not positive, and every may be 0 (no pause between numbers).\n" +
			"A ticker is the wrong tool here anyway: it keeps its own beat while a send is blocked. Wait every before\n" +
			"each number, starting after the send before (clock.Sleep(ctx, every), or a timer in a select with ctx.Done())."
	}
	return ""
}

// returnsWithin runs call on a new goroutine and waits up to limit of fake time for it to
// return. It reports whether call returned in time; when it did not, call's goroutine stays
// blocked, and the bubble reports it after the test's own message. When call panics, the
// test fails at once with the panic and where it happened.
func returnsWithin(t *testing.T, limit time.Duration, call func()) bool {
	t.Helper()
	done := make(chan struct{})
	var p katatest.Panic
	go func() {
		defer close(done)
		defer katatest.Recover(&p)
		call()
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-done:
		if p.Panicked() {
			t.Fatalf("%v%s", p, explainPanic(p))
		}
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

// handler records the numbers a consumer hands it, and the goroutines it was called on. It
// is safe for concurrent use. Once it has been handed more numbers than were ever sent, it
// blocks for good: a consumer that keeps "receiving" zeros from a closed channel would
// otherwise spin forever.
type handler struct {
	mu      sync.Mutex
	got     []int
	callers []int64 // the goroutine of each call
	sent    int     // how many numbers the test sends
	extra   bool    // handed more than sent
	stuck   chan struct{}
}

func newHandler(sent int) *handler { return &handler{sent: sent, stuck: make(chan struct{})} }

func (h *handler) handle(n int) {
	caller := gotrace.Self().ID
	h.mu.Lock()
	h.callers = append(h.callers, caller)
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

// calledElsewhere reports whether handle was ever called on a goroutine other than caller.
func (h *handler) calledElsewhere(caller int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.ContainsFunc(h.callers, func(id int64) bool { return id != caller })
}

// queuePkg is the import path of the package under test.
const queuePkg = "github.com/go-async-katas/katas/advanced/queue"

// startedByQueue returns the goroutines of the caller's synctest bubble that a go statement
// in the queue package started and that are still there, for the doc comments' "starts no
// other goroutine".
func startedByQueue() []gotrace.Goroutine {
	bubble := gotrace.Self().Bubble
	var out []gotrace.Goroutine
	for _, g := range gotrace.All() {
		if g.Bubble == bubble && g.CreatedBy.Package() == queuePkg {
			out = append(out, g)
		}
	}
	return out
}

// describe lists goroutines for a failure message, one per paragraph.
func describe(gs []gotrace.Goroutine) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = "\t" + strings.ReplaceAll(g.String(), "\n", "\n\t")
	}
	return strings.Join(parts, "\n")
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

// screen is the io.Writer the Run tests hand to Run. It records the lines written, can take
// some fake time per write (a slow terminal), and once it has been given more lines than
// the test expects it blocks for good: a consumer spinning on a closed channel would
// otherwise never let fake time move on, and the test could not report it.
type screen struct {
	delay time.Duration // how long each write takes
	max   int           // how many lines the test expects at most

	mu      sync.Mutex
	lines   []string
	writers []int64 // the goroutine of each line in lines
	extra   bool
	stuck   chan struct{} // never closed
	writes  int
}

func newScreen(max int, delay time.Duration) *screen {
	return &screen{delay: delay, max: max, stuck: make(chan struct{})}
}

func (s *screen) Write(p []byte) (int, error) {
	writer := gotrace.Self().ID
	time.Sleep(s.delay)
	s.mu.Lock()
	s.writes++
	if s.writes > s.max {
		s.extra = true
		s.mu.Unlock()
		<-s.stuck // stop a runaway writer here
		return len(p), nil
	}
	s.lines = append(s.lines, strings.TrimSuffix(string(p), "\n"))
	s.writers = append(s.writers, writer)
	s.mu.Unlock()
	return len(p), nil
}

// wroteOn returns the goroutine that wrote each line written so far.
func (s *screen) wroteOn() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.writers)
}

// written returns the lines written so far, and whether more were written than expected.
func (s *screen) written() (lines []string, extra bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...), s.extra
}

// runawayHint is the message for a Run whose consumer wrote more lines than numbers were
// sent.
const runawayHint = "The consumer kept going after the channel was closed: a receive from a closed channel returns at once\n" +
	"with the zero value and ok == false. Stop when ok is false, or let `for v := range ch` stop for you"
