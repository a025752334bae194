package memnet_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/advanced/server/memnet"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// Compile-time check: a Listener is a net.Listener.
var _ net.Listener = (*memnet.Listener)(nil)

func TestDialAccept(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ln := memnet.Listen()
		defer ln.Close()
		accepted := make(chan net.Conn)
		go func() {
			c, err := ln.Accept()
			assert.NoError(t, err)
			accepted <- c
		}()
		client, err := ln.Dial(t.Context())
		require.NoError(t, err)
		server := <-accepted
		go func() {
			_, err := client.Write([]byte("hi"))
			assert.NoError(t, err)
			client.Close()
		}()
		got, err := io.ReadAll(server)
		assert.NoError(t, err)
		assert.Equal(t, "hi", string(got))
		server.Close()
	})
}

func TestClose(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ln := memnet.Listen()
		accepting := make(chan error)
		go func() {
			_, err := ln.Accept()
			accepting <- err
		}()
		time.Sleep(time.Second)
		require.NoError(t, ln.Close())
		assert.ErrorIs(t, <-accepting, net.ErrClosed, "a blocked Accept returns when the listener closes")
		_, err := ln.Accept()
		assert.ErrorIs(t, err, net.ErrClosed, "Accept after Close")
		_, err = ln.Dial(t.Context())
		assert.ErrorIs(t, err, memnet.ErrRefused, "Dial after Close")
		assert.ErrorIs(t, ln.Close(), net.ErrClosed, "second Close")
	})
}

func TestDialContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ln := memnet.Listen()
		defer ln.Close()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := ln.DialContext(ctx, "tcp", "example.com:80")
		assert.ErrorIs(t, err, context.DeadlineExceeded, "nobody accepts: the dial waits until ctx ends")
		katatest.Elapsed(t, start, time.Second, "Dial gives up when ctx ends")
	})
}

func TestHTTP(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ln := memnet.Listen()
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(time.Second)
			fmt.Fprint(w, "hello ", r.URL.Path)
		})}
		served := make(chan error)
		go func() { served <- srv.Serve(ln) }()

		tr := ln.Transport()
		defer tr.CloseIdleConnections()
		client := &http.Client{Transport: tr}
		start := time.Now()
		resp, err := client.Get("http://anywhere/there")
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.NoError(t, err)
		assert.Equal(t, "hello /there", string(body))
		katatest.Elapsed(t, start, time.Second, "the handler sleeps 1s")

		assert.NoError(t, srv.Shutdown(t.Context()))
		assert.ErrorIs(t, <-served, http.ErrServerClosed)
		assert.Equal(t, "memory", ln.Addr().String())
		assert.Equal(t, "memnet", ln.Addr().Network())
	})
}
