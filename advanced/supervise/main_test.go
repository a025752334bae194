package supervise_test

import (
	"errors"
	"runtime"
	"strconv"
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
	// errStop is the cause the tests cancel a context with.
	errStop = errors.New("stopped by the user")
)

// goroutineID returns the number of the goroutine that calls it, as the first line of its
// stack shows it ("goroutine 7 [running]:").
func goroutineID() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	field := strings.Fields(strings.TrimPrefix(string(buf), "goroutine "))[0]
	id, _ := strconv.ParseInt(field, 10, 64)
	return id
}

// explode panics with v. Tests look for its name in a recovered panic's stack.
func explode(v any) error { panic(v) }
