package katatest

import (
	"fmt"
	"runtime/debug"
)

// A Panic is a panic of the code under test, recovered on a goroutine that a test started to
// call it (see [Recover]), for the test to report. The zero value holds none.
type Panic struct {
	Value any    // what recover returned
	Stack string // the goroutine's traceback where it panicked
}

// Recover stores a panic of the calling goroutine in *p and lets the goroutine end normally.
// Defer it first thing on a goroutine a test starts to call the code under test: only the
// goroutine that panics can recover, so a panic there would otherwise end the whole test
// binary. Read *p only after the goroutine has ended (a channel it closes, a WaitGroup).
//
// Code under test that panics on a goroutine of its own still ends the binary: run such tests
// with [Isolated].
func Recover(p *Panic) {
	if r := recover(); r != nil {
		*p = Panic{Value: r, Stack: string(debug.Stack())}
	}
}

// Panicked reports whether p holds a panic.
func (p Panic) Panicked() bool { return p.Value != nil }

// String describes the panic for a failure message: its value, and the frames of the code
// under test and of the test where it happened.
func (p Panic) String() string {
	return fmt.Sprintf("panic: %v\n\nThe code under test panicked. Where:\n%s", p.Value, userFrames(p.Stack))
}
