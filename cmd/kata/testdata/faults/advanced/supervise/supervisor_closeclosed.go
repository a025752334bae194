package supervise

import (
	"context"
	"errors"
	"sync"

	"github.com/go-async-katas/katas/advanced/supervise/failure"
)

// Supervisor has one channel for "a task finished", and every task's goroutine closes it:
// the second task to finish closes a closed channel.
type Supervisor struct {
	ctx      context.Context
	cancel   context.CancelFunc
	handler  func(error)
	finished chan struct{}

	wg        sync.WaitGroup
	handlerMu sync.Mutex
}

// New returns a Supervisor.
func New(ctx context.Context, handler func(err error)) *Supervisor {
	ctx, cancel := context.WithCancel(ctx)
	return &Supervisor{ctx: ctx, cancel: cancel, handler: handler, finished: make(chan struct{})}
}

// Go runs fn on a goroutine of its own.
func (s *Supervisor) Go(name string, fn func(ctx context.Context) error) {
	s.wg.Go(func() {
		err := Catch(func() error { return fn(s.ctx) })
		close(s.finished) // fault
		if err == nil || (s.ctx.Err() != nil && errors.Is(err, s.ctx.Err())) {
			return
		}
		s.handlerMu.Lock()
		defer s.handlerMu.Unlock()
		s.handler(&failure.TaskError{Name: name, Err: err})
	})
}

// Wait waits for every task.
func (s *Supervisor) Wait() {
	s.wg.Wait()
	s.cancel()
}

// Shutdown cancels every task and waits for them.
func (s *Supervisor) Shutdown() {
	s.cancel()
	s.wg.Wait()
}
