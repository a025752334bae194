package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Serve serves HTTP requests to h on ln, each connection on its own goroutine, so requests
// are handled in parallel, until ctx ends. Then it shuts down gracefully: it stops accepting
// connections at once (closing ln), lets the requests in flight run to completion for up to
// grace, then cuts off those still running by closing their connections (their request
// contexts end). Requests in flight do not see ctx end: their contexts end only if they are
// cut off.
//
// Serve returns when all that is done and the goroutines it started have finished (handlers
// must return once their request's context ends): nil after a clean shutdown, an error
// matching context.DeadlineExceeded if requests had to be cut off, or the error that stopped
// it from serving before ctx ended (it then shuts down the same way at once, without waiting
// for ctx). ln can be any listener: a memnet.Listener in tests, a loopback TCP one
// (net.Listen("tcp", "127.0.0.1:0")) in a program.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h}
	served := make(chan error, 1) // size one: the goroutine never waits for us to receive
	go func() { served <- srv.Serve(ln) }()

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served: // the listener failed: shut down what is in flight all the same
	}

	// ctx has ended already, so the grace period needs a context of its own.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := srv.Shutdown(shutdownCtx) // closes ln, then waits for requests in flight
	if err != nil {
		srv.Close() // grace ran out: cut off what is still running
	}
	if serveErr == nil {
		serveErr = <-served
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil // Serve always says so after Shutdown: that is not a failure
	}
	return errors.Join(serveErr, err)
}
