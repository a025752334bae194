// Package memnet is the given code of advanced/server: a net.Listener that lives in memory,
// so a server can be tested without the network and inside a testing/synctest bubble (its
// Accept and Dial block on channels, which synctest can wait on, and a connection is one end
// of a net.Pipe). You do not need to change it.
package memnet

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
)

// ErrRefused is what Dial returns once the listener is closed: nobody accepts connections
// any more (a real network says "connection refused").
var ErrRefused = errors.New("memnet: connection refused")

// Listener is an in-memory net.Listener. Dial hands Accept one end of a new net.Pipe and
// returns the other. It is safe for concurrent use; make one with Listen.
type Listener struct {
	conns     chan net.Conn // unbuffered: a dial completes only when Accept takes it
	closed    chan struct{}
	closeOnce sync.Once
}

// Listen returns a new listener, open for connections.
func Listen() *Listener {
	return &Listener{conns: make(chan net.Conn), closed: make(chan struct{})}
}

// Accept waits for the next connection and returns it. Once the listener is closed it
// returns net.ErrClosed, as a real listener does.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, &net.OpError{Op: "accept", Net: "memnet", Addr: l.Addr(), Err: net.ErrClosed}
	}
}

// Close stops the listener: Accept calls blocked now or later return net.ErrClosed and Dial
// calls return ErrRefused. Connections already accepted stay open. Closing a closed listener
// returns net.ErrClosed, as a real listener does.
func (l *Listener) Close() error {
	err := error(&net.OpError{Op: "close", Net: "memnet", Addr: l.Addr(), Err: net.ErrClosed})
	l.closeOnce.Do(func() {
		close(l.closed)
		err = nil
	})
	return err
}

// Addr returns the listener's address, which is the same for every Listener.
func (l *Listener) Addr() net.Addr { return addr{} }

// Dial connects to the listener: it waits until Accept takes the connection and returns the
// client's end. It returns ErrRefused if the listener is closed first, and ctx's error if
// ctx ends first.
func (l *Listener) Dial(ctx context.Context) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.closed:
		client.Close()
		server.Close()
		return nil, ErrRefused
	case <-ctx.Done():
		client.Close()
		server.Close()
		return nil, ctx.Err()
	}
}

// DialContext is Dial with the signature of http.Transport's DialContext: network and
// address are ignored, every connection goes to l.
func (l *Listener) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return l.Dial(ctx)
}

// Transport returns a new HTTP transport whose connections all go to l, whatever the URL's
// host. Call its CloseIdleConnections when you are done with it, so the goroutines it keeps
// for idle connections exit.
func (l *Listener) Transport() *http.Transport {
	return &http.Transport{DialContext: l.DialContext}
}

// addr is the address of every Listener.
type addr struct{}

func (addr) Network() string { return "memnet" }
func (addr) String() string  { return "memory" }
