package cancellation_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// known are the errors the tests tell apart. An error a test checks must match each one it
// wants, and none of the others: a failure of work's own must not also say "cancelled", and
// a cancel must not bring in a cause it was not given.
var known = []error{context.Canceled, context.DeadlineExceeded, errAbort, errSlow, errBoom}

// matchesAll reports whether err matches every one of want with errors.Is and no other of
// the known errors, or, when want is empty, whether err is nil.
func matchesAll(err error, want []error) bool {
	if len(want) == 0 {
		return err == nil
	}
	for _, w := range want {
		if !errors.Is(err, w) {
			return false
		}
	}
	return len(unwanted(err, want)) == 0
}

// unwanted returns the known errors that err matches although want does not list them.
func unwanted(err error, want []error) []error {
	var extra []error
	for _, k := range known {
		if errors.Is(err, k) && !slices.Contains(want, k) {
			extra = append(extra, k)
		}
	}
	return extra
}

// describeWant says in words what matchesAll(_, want) accepts, and, when err matches known
// errors it must not, names them.
func describeWant(err error, want []error) string {
	if len(want) == 0 {
		return "<nil>"
	}
	s := "an error matching " + joinNames(want, " and ")
	if extra := unwanted(err, want); len(extra) > 0 {
		s += ", and not " + joinNames(extra, " nor ") + " as this one does"
	}
	return s
}

// joinNames names errs, joined by sep.
func joinNames(errs []error, sep string) string {
	names := make([]string, len(errs))
	for i, e := range errs {
		names[i] = errName(e)
	}
	return strings.Join(names, sep)
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
