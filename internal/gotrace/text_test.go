package gotrace_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/gotrace"
)

func lines(s string) []string { return strings.Split(s, "\n") }

func TestCrash(t *testing.T) {
	tests := []struct {
		name     string
		give     string
		wantLine string
		wantAt   int
	}{
		{"panic", "=== RUN   TestX\npanic: close of closed channel\n\ngoroutine 7 [running]:\nmain.f()\n", "panic: close of closed channel", 1},
		{"fatal", "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\n", "fatal error: all goroutines are asleep - deadlock!", 0},
		{"recovered", "panic: boom [recovered]\n\tpanic: boom\n\ngoroutine 7 [running]:\n", "panic: boom", 0},
		{"repanicked", "    panic: boom [recovered, repanicked]\n\ngoroutine 7 [running]:\n", "panic: boom", 0},
		{"indented header", "panic: boom\n\n    goroutine 7 [running]:\n", "panic: boom", 0},
		{"example output", "panic: not really\nok\n", "", -1},
		{"none", "--- FAIL: TestX\n", "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line, at := gotrace.Crash(lines(tt.give))
			assert.Equal(t, tt.wantLine, line)
			assert.Equal(t, tt.wantAt, at)
		})
	}
	assert.True(t, gotrace.TimedOut("panic: test timed out after 1m0s"))
	assert.False(t, gotrace.TimedOut("panic: boom"))
}

func TestHang(t *testing.T) {
	line := gotrace.HangLine("TestGatherAll/both_fail", 300*time.Millisecond)
	assert.Equal(t, "--- HANG: TestGatherAll/both_fail (no progress for 300ms of real time)", line)

	test, at := gotrace.Hang([]string{"=== RUN   TestGatherAll", "    " + line, "goroutine 7 [running]:"})
	assert.Equal(t, "TestGatherAll/both_fail", test)
	assert.Equal(t, 1, at)

	test, at = gotrace.Hang([]string{"--- FAIL: TestX (0.00s)"})
	assert.Empty(t, test)
	assert.Equal(t, -1, at)
}

// race is what -race printed on go1.26 for two goroutines adding to one variable, as go test
// passes it on (a test's output is indented in a -json stream's lines, so indent it).
const race = `==================
WARNING: DATA RACE
Read at 0x0000007f42a8 by goroutine 9:
  github.com/go-async-katas/katas/part1_concurrency.Sum.func1()
      /work/main/part1_concurrency/sum.go:13 +0x24
  github.com/go-async-katas/katas/internal/tasktest.(*Probe).run()
      /work/main/internal/tasktest/tasktest.go:80 +0x24

Previous write at 0x0000007f42a8 by goroutine 10:
  github.com/go-async-katas/katas/part1_concurrency.Sum.func1()
      /work/main/part1_concurrency/sum.go:13 +0x3c

Goroutine 9 (running) created at:
  github.com/go-async-katas/katas/part1_concurrency.Sum()
      /work/main/part1_concurrency/sum.go:11 +0x72
  testing.tRunner()
      /usr/local/go/src/testing/testing.go:2036 +0x21c
==================
--- FAIL: TestSum (0.00s)
    testing.go:1712: race detected during execution of test`

func TestRace(t *testing.T) {
	indented := "=== RUN   TestSum\n" + strings.ReplaceAll("\n"+race, "\n", "\n    ")
	report := gotrace.Race(lines(indented), 0)
	assert.Equal(t, "WARNING: DATA RACE", report[0])
	assert.Equal(t, "Read at 0x0000007f42a8 by goroutine 9:", report[1])
	assert.Equal(t, "  github.com/go-async-katas/katas/part1_concurrency.Sum.func1()", report[2])
	assert.Equal(t, "      /usr/local/go/src/testing/testing.go:2036 +0x21c", report[len(report)-1])

	assert.Equal(t, []string{"WARNING: DATA RACE", "Read at 0x0000007f42a8 by goroutine 9:", "..."},
		gotrace.Race(lines(race), 2), "Race(race, 2)")
	assert.Nil(t, gotrace.Race([]string{"ok"}, 0))

	assert.Equal(t, []string{
		"Read at 0x0000007f42a8 by goroutine 9:",
		"  part1_concurrency.Sum.func1 (sum.go:13)",
		"Previous write at 0x0000007f42a8 by goroutine 10:",
		"  part1_concurrency.Sum.func1 (sum.go:13)",
	}, gotrace.RaceWhere(report))
	assert.True(t, gotrace.IsRaceWarning("  WARNING: DATA RACE"))
}

func TestDedent(t *testing.T) {
	tests := []struct {
		give []string
		want []string
	}{
		{[]string{"    a", "      b", "", "    c"}, []string{"a", "  b", "", "c"}},
		{[]string{"\ta", "\t\tb"}, []string{"a", "\tb"}},
		{[]string{"a", "  b"}, []string{"a", "  b"}},
		{[]string{"  ", "  a"}, []string{"", "a"}},
		{nil, []string{}},
	}
	for _, tt := range tests {
		give := append([]string(nil), tt.give...)
		assert.Equal(t, tt.want, gotrace.Dedent(tt.give), "Dedent(%q)", tt.give)
		assert.Equal(t, give, tt.give, "Dedent(%q) changed its argument", tt.give)
	}
}

func TestCrashHint(t *testing.T) {
	for crash, want := range map[string]string{
		"panic: send on closed channel":                      "sent on a channel that was already closed",
		"panic: close of closed channel":                     "A channel was closed twice",
		"panic: close of nil channel":                        "A nil channel was closed",
		"panic: sync: negative WaitGroup counter":            "wg.Done() ran more times than wg.Add counted",
		"fatal error: sync: unlock of unlocked mutex":        "unlock once for each lock",
		"fatal error: concurrent map writes":                 "Two goroutines used one map",
		"fatal error: concurrent map read and map write":     "Two goroutines used one map",
		"fatal error: all goroutines are asleep - deadlock!": "Every goroutine waits for another",
	} {
		assert.Contains(t, gotrace.CrashHint(crash), want, "CrashHint(%q)", crash)
	}
	assert.Empty(t, gotrace.CrashHint("panic: boom"), "a panic of the learner's own has no usual cause")
}
