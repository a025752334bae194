package katatest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

const crashScenarioEnv = "KATATEST_CRASH_SCENARIO"

// TestCrashScenarios crashes on purpose: TestCrash runs it in a child process.
func TestCrashScenarios(t *testing.T) {
	if os.Getenv(crashScenarioEnv) == "" {
		t.Skip("run in a child process by TestCrash")
	}
	t.Run("closes_twice", func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			results := make(chan int)
			done := make(chan struct{})
			go closeTwice(results, done)
			<-done
		})
	})
	t.Run("after", func(t *testing.T) {}) // never runs: the crash ended the binary
}

// closeTwice closes results, then closes it again: the second close panics.
func closeTwice(results chan int, done chan struct{}) {
	defer close(done)
	close(results)
	close(results)
}

// TestCrash checks that a crash on a goroutine the code under test started, which ends the
// binary, is followed by a report naming the test that ran, the lines and the usual cause.
func TestCrash(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashScenarios$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashScenarioEnv+"=1", gotrace.CrashMonitorEnv+"=on") // the kata tool turns it off
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the scenario crashes:\n%s", out)
	got := string(out)
	t.Log(got)
	_, report, found := strings.Cut(got, gotrace.CrashPrefix)
	require.True(t, found, "no crash report after Go's:\n%s", got)
	assert.True(t, strings.HasPrefix(report, "TestCrashScenarios/closes_twice (panic: close of closed channel)\n"),
		"the report's first line names the subtest that ran and the panic:\n%s", report)
	assert.Contains(t, report, "A goroutine started during this test crashed")
	assert.Contains(t, report, "A channel was closed twice", "the usual cause")
	assert.Contains(t, report, "katatest_test.closeTwice (crash_test.go:", "the line that crashed")
	assert.Less(t, strings.Index(got, "panic: close of closed channel"), strings.Index(got, "--- CRASH: "), "after Go's own report")
	assert.NotContains(t, got, "TestCrashScenarios/after")
}

// TestNoCrashNoReport: a binary that ends normally, failing or not, gets no crash report.
func TestNoCrashNoReport(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashScenarios$", "-test.count=1")
	cmd.Env = append(os.Environ(), gotrace.CrashMonitorEnv+"=on")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.NotContains(t, string(out), "--- CRASH")
}
