// Package supervise is an advanced kata: make sure the errors and panics of goroutines
// nobody waits on reach a handler instead of vanishing or crashing the program, like an
// asyncio loop's exception handler. Read README.md in this folder for the lesson, then make
// the tests pass: go test ./advanced/supervise
package supervise
