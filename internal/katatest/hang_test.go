package katatest_test

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

const hangScenarioEnv = "KATATEST_HANG_SCENARIO"

// TestHangScenarios holds tests that hang on purpose, in the ways fake time cannot see. Each
// runs alone in a child process that TestHang starts with a short hang bound, and ends it.
func TestHangScenarios(t *testing.T) {
	if os.Getenv(hangScenarioEnv) == "" {
		t.Skip("run in a child process by TestHang")
	}
	t.Run("mutex", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			var c counter
			c.addTwice()
		})
	})
	t.Run("spin", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			results, stop := make(chan int), make(chan struct{})
			close(results)
			go spinUntil(results, stop)
			<-stop // never closed: this goroutine waits, durably, for the spinning one
		})
	})
	t.Run("select_default", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			results := make(chan int)
			go func() { results <- 1 }()
			pollDefault(results, make(chan int))
		})
	})
	t.Run("outside_bubble", func(t *testing.T) {
		var c counter
		c.addTwice()
	})
	t.Run("isolated", func(t *testing.T) {
		katatest.Isolated(t, func(c katatest.Child) string { return "explained: " + strings.Split(c.Hang, "\n")[0] }, func(t *testing.T) {
			var c counter
			c.addTwice()
		})
	})
	t.Run("isolated_cleanup", func(t *testing.T) {
		// A hang in a cleanup is past the child's own watch: the parent ends the child.
		katatest.Isolated(t, nil, func(t *testing.T) {
			t.Cleanup(func() {
				var c counter
				c.addTwice()
			})
		})
	})
	t.Run("isolated_after", func(t *testing.T) {}) // never runs: a hang in a child ends the parent too
}

type counter struct {
	mu sync.Mutex
	n  int
}

// addTwice locks the mutex, then calls add, which locks it again: Go's mutexes are not
// re-entrant, so it waits for ever.
func (c *counter) addTwice() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.add()
}

func (c *counter) add() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}

// spinUntil sums what comes on results until stop is closed, and was meant to return when
// results is closed too; but its break leaves only the select, and a receive from a closed
// channel never blocks: the loop spins for ever.
func spinUntil(results chan int, stop chan struct{}) (sum int) {
	for {
		select {
		case v, ok := <-results:
			if !ok {
				break
			}
			sum += v
		case <-stop:
			return sum
		}
	}
}

// pollDefault waits for a value on results or quit with a select whose other case is a
// default, so it never blocks; it misses the value it waits for by reading the wrong channel.
func pollDefault(_, quit chan int) {
	for {
		select {
		case <-quit:
			return
		//lint:ignore SA5004 the mistake this scenario is about
		default:
		}
	}
}

// runHangScenario runs one scenario of TestHangScenarios in a child process with a 300ms hang
// bound, and returns what it printed, its exit code and how long it took.
func runHangScenario(t *testing.T, name string, flags ...string) (out string, code int, took time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHangScenarios$/^(" + name + ")$", "-test.count=1"}, flags...)...)
	cmd.Env = append(os.Environ(), hangScenarioEnv+"=1", katatest.HangEnv+"=300ms")
	start := time.Now()
	b, err := cmd.CombinedOutput()
	took = time.Since(start)
	var exit *exec.ExitError
	if err != nil {
		require.ErrorAs(t, err, &exit)
		code = exit.ExitCode()
	}
	t.Logf("child output (%v):\n%s", took, b)
	return string(b), code, took
}

func TestHang(t *testing.T) {
	tests := []struct {
		name      string
		wantFirst string // the first goroutine listed, and its innermost frame shown
		wantState string
		wantCause string // the first likely cause
	}{
		{"mutex", "katatest_test.(*counter).add (hang_test.go:", "[sync.Mutex.Lock]", "- a mutex locked twice"},
		{"spin", "katatest_test.spinUntil (hang_test.go:", "[runn", "- a loop that never blocks: `break` inside a `select`"},
		{"select_default", "katatest_test.pollDefault (hang_test.go:", "[runn", "- a loop that never blocks"},
		{"outside_bubble", "katatest_test.(*counter).add (hang_test.go:", "[sync.Mutex.Lock]", "- a mutex locked twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, code, took := runHangScenario(t, tt.name)
			assert.Equal(t, 1, code, "exit code of a binary ended by the hang detector")
			assert.Less(t, took, 8*time.Second, "a 300ms hang bound ends the binary in well under 8s (its start and a -race build's exit included)")
			lines := strings.Split(out, "\n")
			test, at := gotrace.Hang(lines)
			require.GreaterOrEqual(t, at, 0, "no hang report line in the output")
			want := "TestHangScenarios/" + tt.name
			if tt.name == "outside_bubble" {
				want = "TestHangScenarios" // Main's watch sees the goroutine, not the subtest's name
			}
			assert.Equal(t, gotrace.HangLine(want, 300*time.Millisecond), lines[at], "the report's first line")
			assert.Equal(t, want, test)
			report := strings.Join(lines[at:], "\n")
			_, stuck, ok := strings.Cut(report, "Stuck goroutines (your code first):\n")
			require.True(t, ok, "the report lists no stuck goroutines")
			first := strings.Split(stuck, "\n")
			require.Greater(t, len(first), 2)
			assert.Contains(t, first[0], tt.wantState, "the first goroutine listed")
			assert.Contains(t, first[1], tt.wantFirst, "the first frame listed")
			_, causes, _ := strings.Cut(report, "Likely causes:\n")
			assert.True(t, strings.HasPrefix(strings.TrimSpace(causes), tt.wantCause), "first likely cause:\n%s", causes)
			assert.NotContains(t, out, "--- PASS", "nothing runs after the hang")
		})
	}
}

func TestHangIsolated(t *testing.T) {
	out, code, took := runHangScenario(t, "isolated|isolated_after", "-test.v")
	assert.Equal(t, 1, code, "a failing test exits 1")
	assert.Less(t, took, 15*time.Second)
	assert.NotContains(t, out, "TestHangScenarios/isolated_after", "a hang in the child ends the parent too: the bound is waited out once a run")
	test, at := gotrace.Hang(strings.Split(out, "\n"))
	assert.Equal(t, "TestHangScenarios/isolated", test, "the parent ends with the child's hang report")
	assert.Equal(t, 1, strings.Count("\n"+out, "\n"+gotrace.HangPrefix), "one hang report, the child's, printed once by the parent")
	report := strings.Join(strings.Split(out, "\n")[max(at, 0):], "\n")
	assert.Contains(t, report, "    explained: "+gotrace.HangLine("TestHangScenarios/isolated", 300*time.Millisecond), "the test's explanation, in the report")
	assert.Contains(t, report, "katatest_test.(*counter).add (hang_test.go:")
}

func TestHangBoundOff(t *testing.T) {
	// With the detector off, the fake-time scenarios still pass and nothing is watched.
	cmd := exec.Command(os.Args[0], "-test.run=^TestScenarios$/^fake_time$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), scenarioEnv+"=1", katatest.HangEnv+"=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestScenarios/fake_time")
}

func TestHangIsolatedCleanup(t *testing.T) {
	out, code, took := runHangScenario(t, "isolated_cleanup|isolated_after", "-test.v")
	assert.Equal(t, 1, code, "a failing test exits 1")
	assert.Less(t, took, 15*time.Second)
	assert.NotContains(t, out, "TestHangScenarios/isolated_after", "a hang in the child ends the parent too")
	// The parent waits the bound and 2s more for the child to report itself, then ends it.
	test, _ := gotrace.Hang(strings.Split(out, "\n"))
	assert.Equal(t, "TestHangScenarios/isolated_cleanup", test)
	assert.Greater(t, took, 2300*time.Millisecond)
	if runtime.GOOS != "windows" {
		assert.Contains(t, out, "katatest_test.(*counter).add (hang_test.go:", "the child's goroutines, from its SIGQUIT dump")
		assert.NotContains(t, out, "katatest_test.TestMain", "the main goroutine is not listed")
	}
}

func TestMainWatchLeavesNoGoroutine(t *testing.T) {
	// Main's watch polls on timers, with no goroutine between polls: a test's own leak
	// check sees none of it.
	goleak.VerifyNone(t)
}
