package supervise_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"testing"

	"github.com/go-async-katas/katas/advanced/supervise"
	"github.com/go-async-katas/katas/advanced/supervise/failure"
	"github.com/go-async-katas/katas/internal/gotrace"
)

// catch calls supervise.Catch(fn), and recovers a panic that Catch let through.
func catch(fn func() error) (escaped any, err error) {
	defer func() { escaped = recover() }()
	return nil, supervise.Catch(fn)
}

func TestCatchReturnsError(t *testing.T) {
	tests := []struct {
		name string
		give error
	}{
		{"nil", nil},
		{"sentinel", errBoom},
		{"wrapped", fmt.Errorf("step 2: %w", errBoom)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := supervise.Catch(func() error {
				calls++
				return tt.give
			})
			if calls != 1 {
				t.Fatalf("Catch(fn) called fn %d times, want once", calls)
			}
			if err != tt.give {
				t.Errorf("Catch(fn returning %v) = %v, want fn's own error, unchanged", tt.give, err)
			}
		})
	}
}

func TestCatchRecoversPanic(t *testing.T) {
	tests := []struct {
		name      string
		giveValue any
	}{
		{"string", "boom"},
		{"error", errBoom},
		{"wrapped error", fmt.Errorf("parse: %w", errBoom)},
		{"nil", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := fmt.Sprintf("Catch(fn that panics with %v)", tt.giveValue)
			escaped, err := catch(func() error { return explode(tt.giveValue) })
			if escaped != nil {
				t.Fatalf("%s let the panic through: %v.\n"+
					"Defer a function that calls recover() and turns a non-nil result into a *failure.PanicError", call, escaped)
			}
			var pe *failure.PanicError
			if !errors.As(err, &pe) {
				hint := "a recovered panic must come back as an error, not be swallowed.\n" +
					"A deferred function can change what its function returns only through a named result\n" +
					"(func Catch(fn func() error) (err error)): setting a local variable after recover() is lost"
				if err != nil {
					hint = "errors.As finds none in it: return the recovered value as a *failure.PanicError{Value, Stack}"
				}
				t.Fatalf("%s = %v, want a *failure.PanicError: %s", call, err, hint)
			}
			var ok bool
			switch v := tt.giveValue.(type) {
			case nil: // since Go 1.21, recover turns panic(nil) into a *runtime.PanicNilError
				var pn *runtime.PanicNilError
				ok = errors.As(err, &pn)
			case error:
				ok = errors.Is(err, v)
			default:
				ok = pe.Value == v
			}
			if !ok {
				t.Errorf("%s = PanicError{Value: %#v}, want the value recover() returned", call, pe.Value)
			}
			if len(pe.Stack) == 0 {
				t.Errorf("%s = PanicError{Stack: empty}, want the stack where it panicked: set Stack to debug.Stack(),\n"+
					"taken inside the deferred function, while the panicking frames are still on the stack", call)
			} else if !bytes.Contains(pe.Stack, []byte("supervise_test.explode(")) {
				t.Errorf("%s: the PanicError's Stack does not show explode, the function that panicked:\n%s\n"+
					"Take debug.Stack() inside the deferred function, while the panicking frames are still on the stack", call, pe.Stack)
			}
		})
	}
}

func TestCatchRunsOnCallersGoroutine(t *testing.T) {
	tests := []struct {
		name string
		give func() error
	}{
		{"returns", func() error { return nil }},
		{"panics", func() error { return explode("boom") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caller := gotrace.Self().ID
			var ranOn int64
			escaped, _ := catch(func() error {
				ranOn = gotrace.Self().ID
				return tt.give()
			})
			if escaped != nil {
				t.Fatalf("Catch(fn that %s) let a panic through: %v", tt.name, escaped)
			}
			if ranOn == 0 {
				t.Fatalf("Catch(fn that %s) never called fn: call it, on the caller's goroutine", tt.name)
			}
			if ranOn != caller {
				t.Errorf("Catch(fn that %s) was called on goroutine %d and ran fn on goroutine %d, want the same:\n"+
					"Catch runs fn on the caller's goroutine and starts none. recover only stops a panic on its own\n"+
					"goroutine, so the supervisor must call Catch on each task's goroutine; Catch itself just calls fn", tt.name, caller, ranOn)
			}
		})
	}
}
