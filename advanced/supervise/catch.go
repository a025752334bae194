package supervise

// Catch calls fn and returns its error. If fn panics, Catch recovers the panic and returns
// it as a *failure.PanicError holding the panic value and the stack where it happened, so a
// panic becomes an error like any other instead of ending the program.
//
// Catch runs fn on the caller's goroutine and starts none: recover only stops a panic on
// the goroutine that calls it, so Catch must run on the goroutine that might panic. It is
// safe for concurrent use.
func Catch(fn func() error) (err error) {
	// TODO: defer a function that calls recover(); if it returns non-nil, set err to a
	// *failure.PanicError with that value and debug.Stack(). Then call fn and return its
	// error.
	return nil
}
