package gather_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// cleanup is how long a task takes to tidy up after its context ends: a function that
// returns before its cancelled tasks have finished returns cleanup too early.
const cleanup = 500 * time.Millisecond

// spec describes one test task: after delay it returns value, or fails with err when err is
// not nil.
type spec struct {
	value string
	delay time.Duration
	err   error
}

// ok returns a task spec that produces value after delay.
func ok(value string, delay time.Duration) spec { return spec{value: value, delay: delay} }

// fail returns a task spec that fails with err after delay.
func fail(err error, delay time.Duration) spec { return spec{delay: delay, err: err} }

func (s spec) String() string {
	if s.err != nil {
		return fmt.Sprintf("fails %q after %v", s.err, s.delay)
	}
	return fmt.Sprintf("%s after %v", s.value, s.delay)
}

// describe rebuilds a call for a failure message: "Gather(a after 3s, b1 after 1s)".
func describe(fn string, specs []spec) string {
	parts := make([]string, len(specs))
	for i, s := range specs {
		parts[i] = s.String()
	}
	return fn + "(" + strings.Join(parts, ", ") + ")"
}

// probe builds test tasks and records what happened to them. It is safe for concurrent use.
type probe struct {
	running   atomic.Int32 // tasks started and not yet returned
	cancelled atomic.Int32 // tasks that saw their context end before their work was done

	mu     sync.Mutex
	causes []error // context.Cause of each cancelled task's context
}

// tasks returns one task per spec. A task waits for its delay or for its context to end,
// whichever comes first. When the context ends first, it spends cleanup tidying up and returns
// the context's error.
func (p *probe) tasks(specs []spec) []func(context.Context) (string, error) {
	tasks := make([]func(context.Context) (string, error), len(specs))
	for i, s := range specs {
		tasks[i] = func(ctx context.Context) (string, error) {
			p.running.Add(1)
			defer p.running.Add(-1)
			timer := time.NewTimer(s.delay)
			defer timer.Stop()
			select {
			case <-timer.C:
				return s.value, s.err
			case <-ctx.Done():
				p.cancelled.Add(1)
				p.mu.Lock()
				p.causes = append(p.causes, context.Cause(ctx))
				p.mu.Unlock()
				time.Sleep(cleanup)
				return "", ctx.Err()
			}
		}
	}
	return tasks
}

// seenCauses returns the causes the cancelled tasks saw.
func (p *probe) seenCauses() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.causes...)
}
