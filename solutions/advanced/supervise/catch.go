package supervise

import (
	"runtime/debug"

	"github.com/go-async-katas/katas/advanced/supervise/failure"
)

// Catch calls fn and returns its error. If fn panics, Catch recovers the panic and returns
// it as a *failure.PanicError holding the panic value and the stack where it happened, so a
// panic becomes an error like any other instead of ending the program.
//
// Catch runs fn on the caller's goroutine and starts none: recover only stops a panic on
// the goroutine that calls it, so Catch must run on the goroutine that might panic. It is
// safe for concurrent use.
func Catch(fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &failure.PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return fn()
}
