package server_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/server/memnet"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

const grace = 5 * time.Second

// errStop is the cause a test cancels Serve's ctx with.
var errStop = errors.New("stopped by the test")

func TestServeParallel(t *testing.T) {
	tests := []struct {
		name string
		give []time.Duration // one request each, all sent at once
	}{
		{"same work", []time.Duration{time.Second, time.Second, time.Second}},
		{"different work", []time.Duration{3 * time.Second, time.Second, 2 * time.Second}},
		// More requests than any machine has cores: a pool of runtime.GOMAXPROCS workers fails.
		{"many", slices.Repeat([]time.Duration{time.Second}, 200)},
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
					checkCleanErr(t, s.err)
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
		want := timeline.Want().Done("GET 1s", 0, time.Second).Done("GET 2s", 0, 2*time.Second).
			Task("late GET 1s", 700*time.Millisecond, 700*time.Millisecond, timeline.Failed).Return(2 * time.Second)

		time.Sleep(200 * time.Millisecond)
		late := make(chan outcome, 1)
		go h.getAs("late GET 1s", time.Second, late)
		if o := <-late; o.err == nil || o.at != 700*time.Millisecond {
			t.Errorf("a request sent at 0.7s, after ctx ended: %v; want it refused at once: stop accepting connections "+
				"as soon as ctx ends (close the listener; http.Server.Shutdown does)", o)
		}

		for range 2 {
			if o := <-results; !o.ok() || o.at != o.d {
				hint := "Shut down gracefully (http.Server.Shutdown), and do not give requests ctx: it has already ended"
				select {
				case s := <-h.served:
					hint = fmt.Sprintf("Serve had returned already, at %v: it must wait for http.Server.Shutdown to return (call it\n"+
						"on Serve's own goroutine, not on one of its own); until then the requests in flight are still running", s.at)
				default:
				}
				t.Fatalf("%v; want 200 \"slept %v\" at %v: a request in flight when ctx ended (at 0.5s) must be allowed to finish.\n%s%s",
					o, o.d, o.d, hint, h.drawing(want))
			}
		}
		if s, ok := h.wait(grace + shutdownSlack); ok {
			checkCleanErr(t, s.err)
			switch {
			case s.at < 2*time.Second:
				t.Errorf("Serve returned at %v, want soon after 2s (by %v), when the last request in flight finished.\n%s%s",
					s.at, 2*time.Second+shutdownSlack, earlyHint, h.drawing(want))
			case s.at > 2*time.Second+shutdownSlack:
				t.Errorf("Serve returned at %v, want soon after 2s (by %v), when the last request in flight finished%s",
					s.at, 2*time.Second+shutdownSlack, h.drawing(want))
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
		drawn := timeline.Want().Task("GET 10s", 0, want, timeline.Cancelled).Return(want)

		if s, ok := h.wait(shortGrace + shutdownSlack); ok {
			switch {
			case s.at == shortGrace:
				t.Errorf("Serve returned at %v, want at %v: ctx ended at 0.5s and the grace period is %v.\n%s%s",
					s.at, want, shortGrace, graceStartHint, h.drawing(drawn))
			case s.at < want:
				t.Errorf("Serve returned at %v, want at %v: ctx ended at 0.5s and the grace period is %v.\n%s%s",
					s.at, want, shortGrace, earlyHint, h.drawing(drawn))
			case s.at > want:
				t.Errorf("Serve returned at %v, want at %v: ctx ended at 0.5s and the grace period is %v; "+
					"wait for requests in flight no longer than that%s", s.at, want, shortGrace, h.drawing(drawn))
			}
			if !errors.Is(s.err, context.DeadlineExceeded) {
				t.Errorf("Serve returned %v, want an error matching context.DeadlineExceeded: a request had to be cut off, so say so.\n"+
					"Give Shutdown a context that times out after grace, and return its error", s.err)
			}
		}
		if o := <-results; o.ok() || o.at != want {
			hint := "close the connections still open (http.Server.Close)"
			if !o.ok() && o.at > 500*time.Millisecond && o.at < want {
				hint = "it was cut off early. " + graceStartHint
			}
			t.Errorf("%v; want it cut off at %v, when the grace period ran out: %s", o, want, hint)
		}
		checkClosed(t, h)
	})
}

func TestServeIdle(t *testing.T) {
	tests := []struct {
		name    string
		giveEnd func(context.Context) (context.Context, context.CancelFunc) // ends ctx at 1s
	}{
		{"cancel", func(ctx context.Context) (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(ctx)
			time.AfterFunc(time.Second, cancel)
			return ctx, cancel
		}},
		{"timeout", func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, time.Second)
		}},
		{"cancel with cause", func(ctx context.Context) (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancelCause(ctx)
			time.AfterFunc(time.Second, func() { cancel(errStop) })
			return ctx, func() { cancel(nil) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx, cancel := tt.giveEnd(t.Context())
				h := serveCtx(t, ctx, cancel, grace)
				time.Sleep(500 * time.Millisecond)
				if !h.stillServing() {
					return
				}
				s, ok := h.wait(time.Second + grace + shutdownSlack)
				if !ok {
					return
				}
				call := fmt.Sprintf("Serve(ctx that ends at 1s by %s)", tt.name)
				if s.at != time.Second {
					hint := "with nothing in flight there is nothing to wait for"
					if s.at < time.Second {
						hint = "serve until ctx ends"
					}
					t.Errorf("%s returned at %v, want at 1s: %s", call, s.at, hint)
				}
				checkCleanErr(t, s.err)
				checkClosed(t, h)
			})
		})
	}
}

// TestServeListenerFails closes Serve's listener behind its back while ctx is still live:
// the error that stops http.Server.Serve must stop Serve too, and come back from it. A
// request in flight then is drained as after ctx ends: Serve returns only once it is answered.
func TestServeListenerFails(t *testing.T) {
	tests := []struct {
		name string
		give time.Duration // a request sent at 0 that works this long; 0: none
	}{
		{"nothing in flight", 0},
		{"a request in flight", 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				h := serve(t, grace)
				results := make(chan outcome, 1) // room for one: a test that fails early does not read it
				if tt.give > 0 {
					go h.get(tt.give, results)
				}
				time.Sleep(time.Second)
				if !h.stillServing() {
					return
				}
				h.ln.Close() // someone else closes the listener: Accept fails with net.ErrClosed

				call := "Serve(ctx, ln, h, 5s) whose ln is closed by someone else at 1s, while ctx goes on"
				if tt.give > 0 {
					call = fmt.Sprintf("Serve(ctx, ln, h, 5s) with GET /?d=%v in flight since 0s, whose ln is closed by someone else at 1s, while ctx goes on", tt.give)
				}
				timer := time.NewTimer(time.Minute)
				defer timer.Stop()
				var s served
				select {
				case s = <-h.served:
				case <-timer.C:
					t.Fatalf("%s had not returned a minute later, want it to return by %v: a listener that fails stops Serve. "+
						"Wait for what http.Server.Serve returns as well as for ctx (a select on both), and return that error",
						call, max(time.Second, tt.give+shutdownSlack))
				}
				if !errors.Is(s.err, net.ErrClosed) {
					t.Errorf("%s returned %v, want the error that stopped http.Server.Serve (one matching net.ErrClosed): "+
						"when serving fails before ctx ends, Serve says why", call, s.err)
				}
				if tt.give == 0 {
					if s.at != time.Second {
						t.Errorf("%s returned at %v, want at 1s: nothing was in flight to wait for", call, s.at)
					}
					return
				}
				want := timeline.Want().Done("GET "+tt.give.String(), 0, tt.give).Return(tt.give)
				o := <-results
				switch {
				case !o.ok() || o.at != tt.give:
					t.Errorf("%s: %v; want 200 \"slept %v\" at %v: when the listener fails, shut down gracefully all the same "+
						"(http.Server.Shutdown with a grace period of its own), so the requests in flight can finish%s",
						call, o, tt.give, tt.give, h.drawing(want))
				case s.at < o.at:
					t.Errorf("%s returned at %v, while the request was still in flight (answered at %v); want it to return after that, "+
						"by %v.\nServe returns only once the goroutines it started have finished: when http.Server.Serve fails, "+
						"do not return at once; shut down as when ctx ends (http.Server.Shutdown waits for the requests in flight), "+
						"then return the error%s", call, s.at, o.at, tt.give+shutdownSlack, h.drawing(want))
				case s.at >= tt.give+shutdownSlack:
					t.Errorf("%s returned at %v, want soon after %v (by %v), when the request in flight was answered%s",
						call, s.at, tt.give, tt.give+shutdownSlack, h.drawing(want))
				}
				checkClosed(t, h)
			})
		})
	}
}

// graceStartHint explains a grace period that ran out early because it was counted from
// before ctx ended.
const graceStartHint = "The grace period starts when ctx ends: make the shutdown context after <-ctx.Done(), " +
	"not when Serve starts"

// earlyHint explains a Serve that returned before the requests in flight were done, or the
// grace period was over.
const earlyHint = "The drain is over when http.Server.Shutdown returns, not when http.Server.Serve does: Serve returns\n" +
	"http.ErrServerClosed as soon as Shutdown begins. And give Shutdown a context of its own, one that has not ended\n" +
	"yet: context.WithTimeout(context.WithoutCancel(ctx), grace). With ctx, which has already ended, it gives up at once"

// checkCleanErr checks what Serve returned after a shutdown in which no request was cut off.
func checkCleanErr(t *testing.T, err error) {
	t.Helper()
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled):
		t.Errorf("Serve returned %v after a shutdown that had time to finish, want nil.\n"+
			"Was Shutdown given ctx? It has already ended, so Shutdown gives up at once: "+
			"give it context.WithTimeout(context.WithoutCancel(ctx), grace)", err)
	case errors.Is(err, context.DeadlineExceeded):
		t.Errorf("Serve returned %v after a shutdown in which no request was cut off, want nil: an error matching "+
			"context.DeadlineExceeded tells the caller that requests were cut off. Did you pass on ctx.Err() (or its cause)? "+
			"ctx ending, by a timeout or a cancel, is how the caller asks for the shutdown, not a failure; "+
			"return only what Shutdown and http.Server.Serve report", err)
	case errors.Is(err, net.ErrClosed):
		t.Errorf("Serve returned %v, want nil after a clean shutdown: http.Server.Serve failed because the listener was\n"+
			"closed under it. Stop serving with http.Server.Shutdown, which closes ln itself and then lets the requests\n"+
			"in flight finish", err)
	case errors.Is(err, http.ErrServerClosed):
		t.Errorf("Serve returned %v, want nil: that is how http.Server.Serve says it was shut down, "+
			"the normal way for it to end, not a failure to pass on", err)
	default:
		t.Errorf("Serve returned %v, want nil after a clean shutdown", err)
	}
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
