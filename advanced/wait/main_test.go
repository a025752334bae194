package wait_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/advanced/wait/task"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

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

// waitPkg is the import path of the kata's own package: not wait/task, not wait_test.
const waitPkg = "github.com/go-async-katas/katas/advanced/wait"

// leftBehind lets every goroutine in the bubble run as far as it can, then counts the
// goroutines of this bubble running code of package wait itself, or started by it. Call it
// after Wait (or a loop built on it) has returned: then there should be none, since every
// goroutine it starts must have exited by then.
func leftBehind() int {
	synctest.Wait()
	return ofWait()
}

// ofWait counts the goroutines of the caller's bubble running code of package wait, or
// started by it, at this very moment.
func ofWait() int {
	bubble := gotrace.Self().Bubble
	count := 0
	for _, g := range gotrace.All() {
		if bubble != 0 && g.Bubble == bubble && (g.Runs(waitPkg) || g.CreatedBy.Package() == waitPkg) {
			count++
		}
	}
	return count
}

// checkExitsItsGoroutines calls a kata, round after round, on 20 tasks of which only the 8th
// has finished and the others never will, and checks that every goroutine the kata started
// has exited when it returns, not a moment later. It runs on one CPU (GOMAXPROCS 1): a
// goroutine told to stop can then run only once the test's goroutine blocks, so one the kata
// did not wait for is still there to be counted, every round; on more CPUs it often exits on
// another one before the count. call returns what the kata did wrong with those tasks, "" if
// nothing, and must count the kata's goroutines with ofWait() first thing after it returns.
// what names the call in messages; doc is the kata's promise, quoted in them.
func checkExitsItsGoroutines(t *testing.T, what, doc string, call func(t *testing.T, tasks []*task.Task[string]) (still int, wrong string)) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	katatest.Bubble(t, func(t *testing.T) {
		for range 20 {
			tasks := make([]*task.Task[string], 20)
			for i := range tasks {
				var finish func(string, error)
				tasks[i], finish = task.New[string]()
				if i == 7 {
					finish("8th", nil)
				}
			}
			still, wrong := call(t, tasks)
			if wrong != "" {
				t.Fatalf("%s %s", what, wrong)
			}
			if still > 0 {
				t.Fatalf("%s returned while %d goroutine(s) it started had not exited yet, want none: telling them to stop "+
					"(close(stop)) is not enough, wait until they have (wg.Wait) before returning. %s", what, still, doc)
			}
			checkNoneLeftBehind(t, what)
		}
	})
}

// checkNoneLeftBehind reports goroutines of package wait still blocked after call returned.
func checkNoneLeftBehind(t *testing.T, call string) {
	t.Helper()
	if n := leftBehind(); n > 0 {
		t.Errorf("%s returned, but %d goroutine(s) it started were still there and blocked (those still blocked when the test ends are listed below).\n"+
			"Stop your watchers before you return: each selects on a stop channel beside <-t.Done() and beside its send,\n"+
			"you close stop on the way out, and wait for them (sync.WaitGroup)", call, n)
	}
}

// spinLimit is how many times code may ask an ended spinCtx whether it is done before the
// context decides the code is spinning.
const spinLimit = 10_000

// spinCtx is the context a test hands to a loop built on Wait, to catch a loop that goes on
// calling Wait after the context has ended. Such a Wait returns at once, every time, so the
// loop never blocks, fake time never moves again and the test would hang until go test's
// own timeout. Once the context has ended and Done or Err has been called spinLimit times,
// Done returns a channel that never closes: Wait then blocks as if the context were still
// running, the loop can only go on as the tasks finish, and the test reports the spin.
type spinCtx struct {
	context.Context
	asked atomic.Int64 // calls of Done and Err after the context ended
}

func newSpinCtx(ctx context.Context) *spinCtx { return &spinCtx{Context: ctx} }

func (c *spinCtx) Done() <-chan struct{} {
	if c.Context.Err() != nil && c.asked.Add(1) > spinLimit {
		return nil // never ready: stop the spin
	}
	return c.Context.Done()
}

func (c *spinCtx) Err() error {
	err := c.Context.Err()
	if err != nil {
		c.asked.Add(1)
	}
	return err
}

// spun reports whether code kept asking the context after it had ended, without stopping.
func (c *spinCtx) spun() bool { return c.asked.Load() > spinLimit }

// checkSpin fails the test if call kept calling Wait after ctx ended. It reports whether it
// did not.
func checkSpin(t *testing.T, call string, ctx *spinCtx) bool {
	t.Helper()
	if ctx.spun() {
		t.Errorf("%s kept going round its loop after ctx had ended, without waiting (it asked ctx more than %d times).\n"+
			"Once ctx has ended, Wait returns at once, every time: check ctx.Err() after each Wait and leave the loop", call, spinLimit)
		return false
	}
	return true
}

// explainCrash names the likely mistake when a test crashed in its child process
// (katatest.Isolated). Every test of this package runs in a child process of its own, and
// every one calls your Wait: a crash in Wait (or in a loop built on it) fails each test that
// reaches it, with this explanation, and the run goes on to report the others.
//
// Other crashes get the harness's own explanation (gotrace.CrashHint).
func explainCrash(c katatest.Child) string {
	if !strings.Contains(c.Crash, "send on closed channel") {
		return ""
	}
	return "A goroutine sent on a channel that had already been closed: close a channel only from its sending side, once every " +
		"sender is done. Here a watcher was still running when the channel it sends on was closed, and closing does not " +
		"stop the senders: tell them to stop (a stop channel in their select), wait for them (sync.WaitGroup), and only " +
		"then close, if you need to close at all (nobody ranges over it)"
}
