package supervise_test

import (
	"errors"
	"testing"

	"github.com/go-async-katas/katas/internal/katatest"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

var (
	// errBoom is the failure the tests' tasks report (the seed's "Some exception happened!").
	errBoom = errors.New("some exception happened")
	// errOther is a second, different failure.
	errOther = errors.New("another exception")
	// errStop is the cause the tests cancel a context with.
	errStop = errors.New("stopped by the user")
)

// explode panics with v. Tests look for its name in a recovered panic's stack.
func explode(v any) error { panic(v) }
