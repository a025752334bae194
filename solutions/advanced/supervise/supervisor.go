package supervise

import (
	"context"
	"errors"
	"sync"

	"github.com/go-async-katas/katas/advanced/supervise/failure"
)

// Supervisor runs tasks that nobody waits on individually, and makes sure none of their
// failures vanishes: every error a task returns and every panic reaches the handler, as a
// *failure.TaskError naming the task. It is Go's version of an asyncio loop with an
// exception handler (loop.set_exception_handler).
//
// Make one with New, start tasks with Go, and end with Wait or Shutdown. Go may be called
// from any goroutine, including a running task, but not once Wait or Shutdown has been
// called from outside the tasks. Handler calls happen on the tasks' goroutines.
type Supervisor struct {
	ctx     context.Context
	cancel  context.CancelFunc
	handler func(error)

	wg        sync.WaitGroup // one count per running task
	handlerMu sync.Mutex     // serializes handler calls
}

// New returns a Supervisor that reports failures to handler. The tasks it runs get a
// context derived from ctx: it ends when ctx does or when Shutdown is called.
func New(ctx context.Context, handler func(err error)) *Supervisor {
	ctx, cancel := context.WithCancel(ctx)
	return &Supervisor{ctx: ctx, cancel: cancel, handler: handler}
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
	s.wg.Go(func() {
		err := Catch(func() error { return fn(s.ctx) })
		if err == nil || (s.ctx.Err() != nil && errors.Is(err, s.ctx.Err())) {
			return
		}
		s.handlerMu.Lock()
		defer s.handlerMu.Unlock()
		s.handler(&failure.TaskError{Name: name, Err: err})
	})
}

// Wait blocks until every task started with Go has returned and the handler has finished
// with its failures, then releases the tasks' context. Nothing the Supervisor started is
// running when Wait returns.
func (s *Supervisor) Wait() {
	s.wg.Wait()
	s.cancel() // every task has returned: cancelling now only frees the context
}

// Shutdown cancels the tasks' context and waits, like Wait, for every task to return. Tasks
// that return the context's error because of it are not reported (Python's asyncio.run
// cancels leftover tasks the same way when main returns).
func (s *Supervisor) Shutdown() {
	s.cancel()
	s.wg.Wait()
}
