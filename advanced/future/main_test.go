package future_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/go-async-katas/katas/advanced/future"
	"github.com/go-async-katas/katas/advanced/future/state"
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
