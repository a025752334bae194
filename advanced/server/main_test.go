package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/server"
	"github.com/go-async-katas/katas/advanced/server/memnet"
	"github.com/go-async-katas/katas/internal/clock"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// requestTimeout bounds every test request, so a server that never answers fails the test
// with a message instead of blocking it forever.
const requestTimeout = time.Minute

// shutdownSlack is how late http.Server.Shutdown may notice that the last request in flight
// has finished. It does not wait on the connections: it polls them, first after 1ms, then
// doubling the interval up to 500ms (net/http's shutdownPollIntervalMax), each interval
// plus up to 10% of random jitter from math/rand, which fake time does not make
// deterministic. So the poll that sees the last request done comes less than 550ms after
// it, and the time Serve returns after a drain is known only within [end, end+550ms). With
// nothing in flight Shutdown returns at once, and that time is exact.
const shutdownSlack = 550 * time.Millisecond

// work is the handler every test serves: GET /?d=1s works for 1s and answers 200 "slept
// 1s". If its request's context ends first, it stops and answers 503 "cut off".
func work(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.URL.Query().Get("d"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if clock.Sleep(r.Context(), d) != nil {
		http.Error(w, "cut off", http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintf(w, "slept %v", d)
}

// outcome is what a client saw of one request, and when (since the test started).
type outcome struct {
	d      time.Duration // the work the request asked for
	at     time.Duration
	status int
	body   string
	err    error
}

func (o outcome) String() string {
	if o.err != nil {
		return fmt.Sprintf("GET /?d=%v failed at %v: %v", o.d, o.at, o.err)
	}
	return fmt.Sprintf("GET /?d=%v answered %d %q at %v", o.d, o.status, o.body, o.at)
}

// ok reports whether the request was answered in full.
func (o outcome) ok() bool {
	return o.err == nil && o.status == http.StatusOK && o.body == fmt.Sprintf("slept %v", o.d)
}

// harness runs server.Serve on an in-memory listener and sends it requests.
type harness struct {
	t      *testing.T
	start  time.Time
	ln     *memnet.Listener
	client *http.Client
	cancel context.CancelFunc
	served chan served
	rec    *timeline.Recorder // each request's span, and when Serve returned, for a drawing
}

// served is what Serve returned, and when.
type served struct {
	err error
	at  time.Duration
}

// serve starts Serve(ctx, ln, work, grace) on its own goroutine, with a ctx that h.cancel
// ends. Call it inside a bubble.
func serve(t *testing.T, grace time.Duration) *harness {
	ctx, cancel := context.WithCancel(t.Context())
	return serveCtx(t, ctx, cancel, grace)
}

// serveCtx is serve with the test's own ctx, which cancel releases (and may end).
func serveCtx(t *testing.T, ctx context.Context, cancel context.CancelFunc, grace time.Duration) *harness {
	h := &harness{t: t, start: time.Now(), ln: memnet.Listen(), cancel: cancel, served: make(chan served, 1), rec: timeline.New()}
	tr := h.ln.Transport()
	t.Cleanup(tr.CloseIdleConnections)
	t.Cleanup(func() { h.ln.Close() }) // a test that failed early: end dials still waiting
	t.Cleanup(cancel)
	h.client = &http.Client{Transport: tr}
	go func() {
		var p katatest.Panic
		err := func() error {
			defer katatest.Recover(&p) // a panic of Serve on this goroutine fails the test, not the binary
			return server.Serve(ctx, h.ln, http.HandlerFunc(work), grace)
		}()
		if p.Panicked() {
			t.Errorf("Serve: %v", p)
			err = fmt.Errorf("Serve panicked: %v", p.Value)
		}
		h.rec.Returned()
		h.served <- served{err, time.Since(h.start)} // size one: never blocks
	}()
	return h
}

// get sends GET /?d=<d> and returns, on the channel, what came back. The drawing shows it as
// "GET <d>": done when answered in full, cancelled when cut off (503), failed otherwise.
func (h *harness) get(d time.Duration, results chan<- outcome) {
	h.getAs("GET "+d.String(), d, results)
}

// getAs is get with the request's name in the drawing.
func (h *harness) getAs(name string, d time.Duration, results chan<- outcome) {
	span := h.rec.Start(name)
	ctx, cancel := context.WithTimeout(h.t.Context(), requestTimeout)
	defer cancel()
	o := outcome{d: d}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://kata.test/?d=%v", d), nil)
	if err == nil {
		var resp *http.Response
		if resp, err = h.client.Do(req); err == nil {
			var body []byte
			body, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			o.status, o.body = resp.StatusCode, strings.TrimSpace(string(body))
		}
	}
	o.err, o.at = err, time.Since(h.start)
	switch {
	case o.ok():
		span.Done()
	case o.err == nil && o.status == http.StatusServiceUnavailable:
		span.Cancel() // cut off
	default:
		span.Fail()
	}
	results <- o
}

// drawing draws what the requests and Serve did above want, for a failure message.
func (h *harness) drawing(want *timeline.Timeline) string { return "\n\n" + h.rec.Diff(want) }

// since returns how much fake time has passed since the test started.
func (h *harness) since() time.Duration { return time.Since(h.start) }

// wait returns what Serve returned, or fails the test if it is still running after limit
// more fake time.
func (h *harness) wait(limit time.Duration) (served, bool) {
	h.t.Helper()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case s := <-h.served:
		return s, true
	case <-timer.C:
		h.t.Errorf("Serve has not returned %v after ctx ended: after the grace period, cut off what is still running "+
			"(http.Server.Close) and return", limit)
		return served{}, false
	}
}

// stillServing checks that Serve has not returned yet: ctx has not ended.
func (h *harness) stillServing() bool {
	h.t.Helper()
	select {
	case s := <-h.served:
		h.t.Errorf("Serve returned at %v (error: %v) before ctx ended: serve until ctx ends "+
			"(http.Server.Serve blocks while it serves; run it on its own goroutine and wait for ctx)", s.at, s.err)
		return false
	default:
		return true
	}
}
