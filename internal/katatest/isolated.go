package katatest

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// isolatedEnv tells a test binary that it is the child Isolated started, and for which test.
const isolatedEnv = "KATATEST_ISOLATED"

// A Child is what a test run by Isolated did in its child process.
type Child struct {
	Output string // everything the child printed
	Crash  string // the line that ended it ("panic: close of closed channel"), "" if it did not crash
}

// Isolated runs body, the whole of the calling top-level test, in a child process: a new run
// of the test binary limited to this test. Use it for tests whose code under test may panic on
// a goroutine it started. Go lets no one but that goroutine recover such a panic, so it would
// end the binary and every test after this one; in a child it fails this test alone.
//
// When the child fails, Isolated reports it with t.Errorf: a crash as the panic and the frames of
// the learner's code where it happened, anything else as the child's own failure messages. If
// explain is not nil, what it returns for the child is added to the report: the place to name
// the likely mistake ("the channel was closed twice: …").
func Isolated(t *testing.T, explain func(Child) string, body func(t *testing.T)) {
	t.Helper()
	if os.Getenv(isolatedEnv) == t.Name() {
		body(t)
		return
	}
	args := []string{"-test.run=^" + regexp.QuoteMeta(t.Name()) + "$", "-test.count=1", "-test.v"}
	if deadline, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+time.Until(deadline).Round(time.Second).String())
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...)
	cmd.Env = append(os.Environ(), isolatedEnv+"="+t.Name(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	child := Child{Output: string(out)}
	lines := strings.Split(child.Output, "\n")
	crashAt := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			child.Crash, crashAt = l, i
			break
		}
	}
	var hint string
	if explain != nil {
		if h := explain(child); h != "" {
			hint = "\n" + h
		}
	}
	if child.Crash == "" {
		t.Errorf("run in a child process (so that a crash could not end the other tests), it failed:\n%s%s",
			childFailures(lines), hint)
		return
	}
	where := "      (no frames of the code under test)"
	if gs := parseStacks(strings.Join(lines[crashAt:], "\n")); len(gs) > 0 && len(gs[0].frames) > 0 {
		where = "      " + strings.Join(gs[0].frames, "\n      ")
	}
	t.Errorf("the code under test crashed the program: %s%s\n\n"+
		"A panic on a goroutine ends the whole program unless that same goroutine recovers it.\nWhere:\n%s",
		child.Crash, hint, where)
}

// childFailures keeps the lines of a child's -v output that say what failed: not the === and
// --- lines, the package summary, or passing subtests.
func childFailures(lines []string) string {
	var kept []string
	for _, l := range lines {
		trimmed := strings.TrimSpace(l)
		switch {
		case trimmed == "", trimmed == "FAIL", trimmed == "PASS",
			strings.HasPrefix(trimmed, "=== "), strings.HasPrefix(trimmed, "--- "),
			strings.HasPrefix(trimmed, "exit status "), strings.HasPrefix(trimmed, "testing: warning"):
			continue
		}
		kept = append(kept, l)
	}
	if len(kept) > 60 {
		kept = append(kept[:60], "...")
	}
	return strings.Join(kept, "\n")
}
