// Package future is an advanced kata: build a generic Future[T], Go's version of Python's
// asyncio.Future — a value that is set once and that any number of goroutines can wait
// for. Read README.md in this folder for the lesson, then make the tests pass:
// go test ./advanced/future
package future
