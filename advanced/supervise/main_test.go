package supervise_test

import (
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	// errBoom is the failure the tests' tasks report (the seed's "Some exception happened!").
	errBoom = errors.New("some exception happened")
	// errOther is a second, different failure.
	errOther = errors.New("another exception")
)

// explode panics with v. Tests look for its name in a recovered panic's stack.
func explode(v any) error { panic(v) }

// isolatedEnv names the environment variable that tells a test it runs in the child process
// runIsolated started.
const isolatedEnv = "SUPERVISE_ISOLATED_TEST"

// runIsolated runs body, the whole of the calling top-level test, in a child process. It is
// for tests whose tasks panic on goroutines the code under test starts: if that code does
// not recover such a panic, Go ends the process, and the child's crash becomes a failure of
// this test, with a message that says so, instead of killing every test.
func runIsolated(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	if os.Getenv(isolatedEnv) == t.Name() {
		body(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), isolatedEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	output := string(out)
	if i := strings.Index(output, "\npanic: "); i >= 0 || strings.HasPrefix(output, "panic: ") {
		crash := output[i+1:]
		if lines := strings.SplitN(crash, "\n", 12); len(lines) == 12 {
			crash = strings.Join(lines[:11], "\n") + "\n..."
		}
		t.Errorf("a task's panic crashed the whole program:\n\n%s\n\n"+
			"A panic on a goroutine ends the program unless that same goroutine recovers it.\n"+
			"Call fn through Catch inside the goroutine Go starts, and hand the *failure.PanicError to the handler", crash)
		return
	}
	t.Errorf("in a child process (its tasks panic, so it runs apart):\n%s", output)
}
