package supervise

import "context"

// Supervisor runs tasks that nobody waits on individually, and makes sure none of their
// failures vanishes: every error a task returns and every panic reaches the handler, as a
// *failure.TaskError naming the task. It is Go's version of an asyncio loop with an
// exception handler (loop.set_exception_handler).
//
// Make one with New, start tasks with Go, and end with Wait or Shutdown. Go may be called
// from any goroutine, including a running task, but not once Wait or Shutdown has been
// called from outside the tasks. Handler calls happen on the tasks' goroutines.
type Supervisor struct {
	// TODO: the tasks' context and its cancel func, the handler, a sync.WaitGroup for the
	// running tasks, and a mutex so handler calls never overlap.
}

// New returns a Supervisor that reports failures to handler. The tasks it runs get a
// context derived from ctx: it ends when ctx does or when Shutdown is called.
func New(ctx context.Context, handler func(err error)) *Supervisor {
	// TODO: derive a cancellable context from ctx and keep it with handler.
	return &Supervisor{}
}

// Go runs fn on a new goroutine, named name for the handler, and returns at once. The
// goroutine exits when fn returns.
//
// If fn returns an error, or panics, the handler gets a *failure.TaskError with name and
// that error (a panic arrives as a *failure.PanicError), on fn's goroutine, as soon as fn
// has ended. Handler calls never overlap, so a handler needs no locking of its own. One
// error is not a failure: the context's own error (errors.Is(err, ctx.Err())), returned
// after the context ended — the task stopped because it was told to.
func (s *Supervisor) Go(name string, fn func(ctx context.Context) error) {
	// TODO: start a goroutine (s.wg.Go) that calls fn through Catch and hands any failure
	// to the handler as a *failure.TaskError, one handler call at a time.
}

// Wait blocks until every task started with Go has returned and the handler has finished
// with its failures, then releases the tasks' context. Nothing the Supervisor started is
// running when Wait returns.
func (s *Supervisor) Wait() {
	// TODO: wait for every task, then release the context.
}

// Shutdown cancels the tasks' context and waits, like Wait, for every task to return. Tasks
// that return the context's error because of it are not reported (Python's asyncio.run
// cancels leftover tasks the same way when main returns).
func (s *Supervisor) Shutdown() {
	// TODO: cancel the tasks' context, then wait for every task.
}
