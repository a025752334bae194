package future

// Go runs fn on a new goroutine and returns at once with a Future that fn's outcome
// completes: its value if it returned a nil error, else its error. It is Python's
// asyncio.create_task: the Future is the handle that `go` alone does not give you.
//
// The goroutine exits when fn returns. If the Future was cancelled meanwhile, fn's outcome
// is dropped and the Future stays cancelled. A panic in fn is not recovered (see
// advanced/supervise). Go is safe for concurrent use.
func Go[T any](fn func() (T, error)) *Future[T] {
	f := New[T]()
	go func() {
		v, err := fn()
		if err != nil {
			_ = f.SetError(err) // fails only if f was cancelled: that outcome stays
			return
		}
		_ = f.SetResult(v) // likewise
	}()
	return f
}
