package cancellation_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

var (
	// errBoom is the failure the tests' work reports.
	errBoom = errors.New("some exception happened")
	// errAbort is the cause the tests cancel with: why the work was stopped.
	errAbort = errors.New("user pressed stop")
	// errSlow is the cause a test's timeout ends a context with.
	errSlow = errors.New("took too long")
)

// matchesAll reports whether err matches every one of want with errors.Is, or, when want is
// empty, whether err is nil.
func matchesAll(err error, want []error) bool {
	if len(want) == 0 {
		return err == nil
	}
	for _, w := range want {
		if !errors.Is(err, w) {
			return false
		}
	}
	return true
}

// describeWant says in words what matchesAll(_, want) accepts.
func describeWant(want []error) string {
	if len(want) == 0 {
		return "<nil>"
	}
	names := make([]string, len(want))
	for i, w := range want {
		names[i] = errName(w)
	}
	return "an error matching " + strings.Join(names, " and ")
}

// errName names the errors the tests use, the way a learner would write them.
func errName(err error) string {
	switch err {
	case context.Canceled:
		return "context.Canceled"
	case context.DeadlineExceeded:
		return "context.DeadlineExceeded"
	case errAbort:
		return "the cause (errAbort)"
	case errSlow:
		return "the cause (errSlow)"
	case errBoom:
		return "errBoom"
	}
	return fmt.Sprint(err)
}

// waitOrCancel is the seed's cancel_me: it waits an hour, unless its context ends first,
// and then returns ctx.Err() alone, without the cause.
func waitOrCancel(ctx context.Context) error {
	return clock.Sleep(ctx, time.Hour)
}

// crashChildEnv names the test a child process started by runCrashing runs.
const crashChildEnv = "CANCEL_TEST_CRASH_CHILD"

// runCrashing runs body, the whole of the calling top-level test, in a child process (a new
// run of the test binary limited to this test), for a test whose code under test must crash
// the program: a panic that nobody recovers. In the child it runs body and returns ok false,
// and the caller returns. In the parent it returns what the child printed, the line its crash
// began with ("panic: ..."; "" if it did not crash), and ok true.
func runCrashing(t *testing.T, body func(t *testing.T)) (output, crash string, ok bool) {
	t.Helper()
	if os.Getenv(crashChildEnv) == t.Name() {
		body(t)
		return "", "", false
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+t.Name(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	out, _ := cmd.CombinedOutput()
	output = string(out)
	crash, _ = gotrace.Crash(strings.Split(output, "\n"))
	return output, crash, true
}

// childMessages returns the failure messages in a child's -v output: the lines that name a
// _test.go file, and the lines indented under them.
func childMessages(output string) string {
	var kept []string
	in := false
	for _, l := range strings.Split(output, "\n") {
		trimmed := strings.TrimSpace(l)
		switch {
		case strings.Contains(trimmed, "_test.go:"):
			in = true
		case strings.HasPrefix(trimmed, "---"), strings.HasPrefix(trimmed, "==="), trimmed == "FAIL", trimmed == "PASS":
			in = false
			continue
		}
		if in {
			kept = append(kept, "\t"+trimmed)
		}
	}
	if len(kept) == 0 {
		return "\t(no message)"
	}
	return strings.Join(kept, "\n")
}
