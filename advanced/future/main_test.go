package future_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/go-async-katas/katas/advanced/future"
	"github.com/go-async-katas/katas/advanced/future/state"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

var (
	// errBoom is the failure the tests' work reports (the seed's "Some exception happened!").
	errBoom = errors.New("some exception happened")
	// errStop is the cause the tests cancel a context with.
	errStop = errors.New("stopped by the user")
)

// isDone reports, without waiting, whether f's Done channel is closed.
func isDone[T any](f *future.Future[T]) bool {
	select {
	case <-f.Done():
		return true
	default:
		return false
	}
}

// errCancelFalse is how apply reports Cancel() returning false. It reads "false" and
// matches state.ErrAlreadyDone, so every call that was refused reads the same way.
var errCancelFalse error = cancelRefused{}

type cancelRefused struct{}

func (cancelRefused) Error() string        { return "false" }
func (cancelRefused) Is(target error) bool { return target == state.ErrAlreadyDone }

// accepted is what call returns when it takes effect: "true" for Cancel(), "<nil>" otherwise.
func accepted(call string) string {
	if call == "Cancel()" {
		return "true"
	}
	return "<nil>"
}

// apply makes the call named by call on f: "SetResult(1)", "SetResult(2)",
// "SetError(errBoom)" or "Cancel()". It returns what the call returned, with Cancel's false
// reported as errCancelFalse.
func apply(f *future.Future[int], call string) error {
	switch call {
	case "SetResult(1)":
		return f.SetResult(1)
	case "SetResult(2)":
		return f.SetResult(2)
	case "SetError(errBoom)":
		return f.SetError(errBoom)
	case "Cancel()":
		if f.Cancel() {
			return nil
		}
		return errCancelFalse
	}
	return fmt.Errorf("test bug: apply does not know %q", call)
}

// outcome formats what Result or Await returned, for failure messages.
func outcome(v any, err error) string {
	return fmt.Sprintf("(%v, %v)", v, err)
}

// crashChildEnv names the test a child process started by runCrashing runs.
const crashChildEnv = "FUTURE_TEST_CRASH_CHILD"

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
