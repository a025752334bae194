package wait_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/advanced/wait/task"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// job is a piece of test work: after d it returns name, or fails with err if err is set.
// If ctx ends first, it takes cleanup more to stop.
type job struct {
	name    string
	d       time.Duration
	err     error
	cleanup time.Duration
}

func (j job) String() string {
	s := fmt.Sprintf("%s %v", j.name, j.d)
	if j.err != nil {
		s += " (fails)"
	}
	if j.cleanup > 0 {
		s += fmt.Sprintf(" (takes %v to stop)", j.cleanup)
	}
	return s
}

// fn returns the job as work for task.Start.
func (j job) fn() task.Func[string] {
	return func(ctx context.Context) (string, error) {
		v, err := task.Sleep(j.d, j.name)(ctx)
		if err != nil {
			time.Sleep(j.cleanup)
		}
		if err == nil && j.err != nil {
			return "", j.err
		}
		return v, err
	}
}

// labels names tasks for failure messages.
type labels map[*task.Task[string]]string

// startAll starts one task per job with ctx and returns them with their names.
func startAll(ctx context.Context, jobs []job) ([]*task.Task[string], labels) {
	tasks := make([]*task.Task[string], len(jobs))
	names := labels{}
	for i, j := range jobs {
		tasks[i] = task.Start(ctx, j.fn())
		names[tasks[i]] = j.name
	}
	return tasks, names
}

// of returns the names of tasks, in their order; a task the test did not start is "?".
func (l labels) of(tasks []*task.Task[string]) []string {
	names := make([]string, len(tasks))
	for i, t := range tasks {
		names[i] = l[t]
		if names[i] == "" {
			names[i] = "?"
		}
	}
	return names
}

// list renders names as [a b1 b2], and no names as [].
func list(names []string) string { return "[" + strings.Join(names, " ") + "]" }

// describe renders jobs as "a 3s, b1 1s".
func describe(jobs []job) string {
	parts := make([]string, len(jobs))
	for i, j := range jobs {
		parts[i] = j.String()
	}
	return strings.Join(parts, ", ")
}

// sameSet reports whether a and b hold the same names, each as often, in any order.
func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// clock records, safely from any goroutine, at what fake time since start each named
// thing happened.
type clock struct {
	start time.Time
	mu    sync.Mutex
	at    map[string]time.Duration
	order []string
}

func newClock() *clock { return &clock{start: time.Now(), at: map[string]time.Duration{}} }

func (c *clock) mark(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at[name] = time.Since(c.start)
	c.order = append(c.order, name)
}

// seen returns the names marked so far, in the order they were marked.
func (c *clock) seen() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.order)
}

func (c *clock) when(name string) (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.at[name]
	return d, ok
}
