// Package failure holds the errors a supervisor hands to its handler. It is given code: the
// supervise katas and their solutions both use it, so you do not edit it.
package failure

import "fmt"

// TaskError reports that the supervised task called Name failed with Err, which is what the
// task returned or, if it panicked, a *PanicError. Match the task's own error through it
// with errors.Is or errors.As.
type TaskError struct {
	Name string
	Err  error
}

func (e *TaskError) Error() string { return fmt.Sprintf("task %q: %v", e.Name, e.Err) }

// Unwrap returns the task's error.
func (e *TaskError) Unwrap() error { return e.Err }

// PanicError is a panic turned into an error. Value is what was passed to panic; Stack is
// the stack of the goroutine that panicked, taken while it was recovering
// (runtime/debug.Stack), so it shows where the panic happened.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns Value if it is an error (panic(err), or a runtime error such as a nil map
// write), so errors.Is and errors.As see through the panic; otherwise nil.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
