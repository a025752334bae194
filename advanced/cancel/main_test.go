package cancellation_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
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
