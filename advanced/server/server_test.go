package server_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/server/memnet"
	"github.com/go-async-katas/katas/internal/katatest"
)

const grace = 5 * time.Second

func TestServeParallel(t *testing.T) {
	tests := []struct {
		name string
		give []time.Duration // one request each, all sent at once
	}{
		{"same work", []time.Duration{time.Second, time.Second, time.Second}},
		{"different work", []time.Duration{3 * time.Second, time.Second, 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				h := serve(t, grace)
				results := make(chan outcome, len(tt.give)) // room for all: a test that fails early does not read them
				for _, d := range tt.give {
					go h.get(d, results)
				}
				var got []outcome
				for range tt.give {
					got = append(got, <-results)
				}
				if !h.stillServing() {
					return
				}
				for _, o := range got {
					switch {
					case !o.ok():
						t.Errorf("%v; want 200 \"slept %v\" at %v: serve ln with the handler until ctx ends", o, o.d, o.d)
						return
					case o.at != o.d:
						t.Errorf("%v, want at %v: with %d requests sent at once, each should take only its own work.\n"+
							"Are requests handled one at a time? Each connection needs its own goroutine (http.Server does that)",
							o, o.d, len(tt.give))
						return
					}
				}

				// Stop the server a second after the last answer: nothing is in flight, so
				// it can return at once.
				time.Sleep(time.Second)
				stopAt := h.since()
				h.cancel()
				if s, ok := h.wait(grace + shutdownSlack); ok {
					assert.NoError(t, s.err, "Serve after a clean shutdown")
					if s.at != stopAt {
						t.Errorf("Serve returned at %v, want at %v when ctx ended: with no request in flight there is nothing to wait for", s.at, stopAt)
					}
				}
				checkClosed(t, h)
			})
		})
	}
}

// TestServeGraceful ends ctx while requests are in flight: they must finish, new
// connections must be refused, and Serve must return once the last request is answered.
func TestServeGraceful(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		h := serve(t, grace)
		results := make(chan outcome, 2) // room for both: a test that fails early does not read them
		go h.get(time.Second, results)
		go h.get(2*time.Second, results)

		time.Sleep(500 * time.Millisecond)
		if !h.stillServing() {
			return
		}
		h.cancel() // ctx ends at 0.5s, with both requests in flight

		time.Sleep(200 * time.Millisecond)
		late := make(chan outcome, 1)
		go h.get(time.Second, late)
		if o := <-late; o.err == nil || o.at != 700*time.Millisecond {
			t.Errorf("a request sent at 0.7s, after ctx ended: %v; want it refused at once: stop accepting connections "+
				"as soon as ctx ends (close the listener; http.Server.Shutdown does)", o)
		}

		for range 2 {
			if o := <-results; !o.ok() || o.at != o.d {
				t.Fatalf("%v; want 200 \"slept %v\" at %v: a request in flight when ctx ended (at 0.5s) must be allowed to finish.\n"+
					"Shut down gracefully (http.Server.Shutdown), and do not give requests ctx: it has already ended",
					o, o.d, o.d)
			}
		}
		if s, ok := h.wait(grace + shutdownSlack); ok {
			assert.NoError(t, s.err, "Serve after every request finished within the grace period")
			if s.at < 2*time.Second || s.at > 2*time.Second+shutdownSlack {
				t.Errorf("Serve returned at %v, want soon after 2s (by %v), when the last request in flight finished", s.at, 2*time.Second+shutdownSlack)
			}
		}
		checkClosed(t, h)
	})
}

// TestServeGraceExpires ends ctx while a long request is in flight: once the grace period is
// over, Serve must cut it off and return.
func TestServeGraceExpires(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		const shortGrace = 2 * time.Second
		h := serve(t, shortGrace)
		results := make(chan outcome, 1) // room for one: a test that fails early does not read it
		go h.get(10*time.Second, results)

		time.Sleep(500 * time.Millisecond)
		if !h.stillServing() {
			return
		}
		h.cancel()
		want := 500*time.Millisecond + shortGrace

		if s, ok := h.wait(shortGrace + shutdownSlack); ok {
			if s.at != want {
				t.Errorf("Serve returned at %v, want at %v: ctx ended at 0.5s and the grace period is %v; "+
					"wait for requests in flight no longer than that", s.at, want, shortGrace)
			}
			if !assert.ErrorIs(t, s.err, context.DeadlineExceeded, "Serve had to cut a request off: say so") {
				t.Log("give Shutdown a context that times out after grace, and return its error")
			}
		}
		if o := <-results; o.ok() || o.at != want {
			t.Errorf("%v; want it cut off at %v, when the grace period ran out: close the connections still open (http.Server.Close)", o, want)
		}
		checkClosed(t, h)
	})
}

func TestServeIdle(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		h := serve(t, grace)
		time.Sleep(time.Second)
		if !h.stillServing() {
			return
		}
		h.cancel()
		s, ok := h.wait(grace + shutdownSlack)
		if !ok {
			return
		}
		if s.at != time.Second {
			hint := "with nothing in flight there is nothing to wait for"
			if s.at < time.Second {
				hint = "serve until ctx ends"
			}
			t.Errorf("Serve(ctx that ends at 1s) returned at %v, want at 1s: %s", s.at, hint)
		}
		assert.NoError(t, s.err, "Serve after a clean shutdown")
		checkClosed(t, h)
	})
}

// checkClosed checks, after Serve returned, that the listener no longer takes connections.
func checkClosed(t *testing.T, h *harness) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	conn, err := h.ln.Dial(ctx)
	if err == nil {
		conn.Close()
	}
	if !errors.Is(err, memnet.ErrRefused) {
		t.Errorf("after Serve returned, dialling its listener gave %v, want %v.\n"+
			"Nothing may be left behind: close the listener (http.Server.Shutdown does) and wait for the goroutine\n"+
			"running http.Server.Serve to return before Serve does", err, memnet.ErrRefused)
	}
}
