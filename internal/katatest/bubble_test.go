package katatest_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

const scenarioEnv = "KATATEST_SCENARIOS"

// TestScenarios holds tests that fail on purpose. It runs only in the child process that
// TestBubble starts, which checks how each one was reported.
func TestScenarios(t *testing.T) {
	if os.Getenv(scenarioEnv) == "" {
		t.Skip("run in a child process by TestBubble")
	}
	t.Run("deadlock", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			neverSent := make(chan int)
			<-neverSent
		})
	})
	t.Run("leak", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			go leakyWorker(make(chan int))
		})
	})
	t.Run("panic", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			explode()
		})
	})
	t.Run("fatal_and_leak", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			go leakyWorker(make(chan int))
			t.Fatal("first failure")
		})
	})
	t.Run("many_leaks", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			for range 5 {
				go leakyWorker(make(chan int))
			}
		})
	})
	t.Run("isolated_crash", func(t *testing.T) {
		katatest.Isolated(t, func(c katatest.Child) string { return "explained: " + c.Crash }, func(t *testing.T) {
			go explode()
			<-make(chan int) // the panic ends the child first
		})
	})
	t.Run("isolated_failure", func(t *testing.T) {
		katatest.Isolated(t, nil, func(t *testing.T) {
			t.Error("an ordinary failure")
		})
	})
	t.Run("isolated_pass", func(t *testing.T) {
		katatest.Isolated(t, nil, func(t *testing.T) {})
	})
	t.Run("crashes", func(t *testing.T) {
		child, ok := katatest.Crashes(t, func(t *testing.T) {
			t.Log("before the crash")
			go explode()
			<-make(chan int)
		})
		if ok {
			t.Logf("parent saw crash %q and messages %q", child.Crash, child.Messages())
		}
	})
	t.Run("crashes_not", func(t *testing.T) {
		child, ok := katatest.Crashes(t, func(t *testing.T) {
			t.Error("the program went on")
		})
		if ok {
			t.Logf("parent saw crash %q and messages %q", child.Crash, child.Messages())
		}
	})
	t.Run("fake_time", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			time.Sleep(time.Hour)
		})
	})
}

func leakyWorker(jobs chan int) {
	for range jobs {
	}
}

func explode() { panic("boom") }

func TestBubble(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestScenarios$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), scenarioEnv+"=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	output := string(out)
	t.Logf("child output:\n%s", output)

	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the scenarios fail on purpose, so the child must exit non-zero")
	assert.Equal(t, 1, exit.ExitCode(), "a failing test exits 1; 2 means the binary crashed")
	assert.NotRegexp(t, regexp.MustCompile(`(?m)^(panic|fatal error):`), output, "no scenario may crash the test binary")
	assert.Less(t, time.Since(start), time.Minute, "an hour of fake time must take no real time")

	tests := []struct {
		name     string
		wantLine string
		wantMsgs []string
	}{
		{"deadlock", "--- FAIL: TestScenarios/deadlock", []string{"deadlock: every goroutine in this test is blocked", "[chan receive]", "bubble_test.go:"}},
		{"leak", "--- FAIL: TestScenarios/leak", []string{"goroutine leak:", "katatest_test.leakyWorker (bubble_test.go:", "(started by katatest_test.TestScenarios.func2.1 at bubble_test.go:"}},
		{"panic", "--- FAIL: TestScenarios/panic", []string{"panic: boom", "katatest_test.explode (bubble_test.go:"}},
		{"fatal_and_leak", "--- FAIL: TestScenarios/fatal_and_leak", []string{"first failure", "also: goroutines it started were still sleeping or blocked"}},
		{"many_leaks", "--- FAIL: TestScenarios/many_leaks", []string{"goroutine leak:", "... and 2 more"}},
		{"isolated_crash", "--- FAIL: TestScenarios/isolated_crash", []string{
			"the code under test crashed the program: panic: boom", "explained: panic: boom", "katatest_test.explode (bubble_test.go:"}},
		{"isolated_failure", "--- FAIL: TestScenarios/isolated_failure", []string{"run in a child process", "an ordinary failure"}},
		{"isolated_pass", "--- PASS: TestScenarios/isolated_pass", nil},
		{"crashes", "--- PASS: TestScenarios/crashes", []string{`parent saw crash "panic: boom" and messages "bubble_test.go:`, `: before the crash"`}},
		{"crashes_not", "--- PASS: TestScenarios/crashes_not", []string{`parent saw crash "" and messages "bubble_test.go:`, `the program went on"`}},
		{"fake_time", "--- PASS: TestScenarios/fake_time", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, output, tt.wantLine)
			section := scenarioOutput(output, tt.name)
			for _, msg := range tt.wantMsgs {
				assert.Contains(t, section, msg)
			}
		})
	}
}

// scenarioOutput returns what the child printed between "=== RUN" of the named scenario and
// the next "=== RUN".
func scenarioOutput(output, name string) string {
	_, after, _ := strings.Cut(output, "=== RUN   TestScenarios/"+name+"\n")
	section, _, _ := strings.Cut(after, "=== RUN")
	return section
}
