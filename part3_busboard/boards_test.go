package busboard_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
	busboard "github.com/go-async-katas/katas/part3_busboard"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

// wantHaymarket is what Boards finds near SW1Y 4QU: the two nearest stops, nearest first,
// each with its five soonest buses, soonest first.
var wantHaymarket = []api.Board{
	{Stop: api.StopPoint{NaptanID: "490007960P", Indicator: "Stop P", CommonName: "Haymarket / Charles II Street", Distance: 62.518},
		Buses: []api.Arrival{
			{LineName: "453", DestinationName: "Deptford Bridge", TimeToStation: 95},
			{LineName: "12", DestinationName: "Dulwich Library", TimeToStation: 190},
			{LineName: "159", DestinationName: "Streatham Station", TimeToStation: 420},
			{LineName: "88", DestinationName: "Clapham Common", TimeToStation: 610},
			{LineName: "6", DestinationName: "Aldwych", TimeToStation: 880},
		}},
	{Stop: api.StopPoint{NaptanID: "490007960L", Indicator: "Stop L", CommonName: "Piccadilly Circus  Haymarket", Distance: 73.497},
		Buses: []api.Arrival{{LineName: "19", DestinationName: "Battersea Bridge", TimeToStation: 42}}},
}

func TestBoards(t *testing.T) {
	tests := []struct {
		name          string
		giveLocate    time.Duration
		giveStops     time.Duration
		giveArrivalsP time.Duration // the nearest stop
		giveArrivalsL time.Duration // the second nearest
	}{
		{"nearest answers last", time.Second, time.Second, 4 * time.Second, time.Second},
		{"nearest answers first", time.Second, 2 * time.Second, time.Second, 3 * time.Second},
		{"same time", 500 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				s, mt := newServices()
				mt.RegisterResponder(http.MethodGet, urlLocate, ok(bodyHaymarket, tt.giveLocate))
				mt.RegisterResponder(http.MethodGet, urlStops, ok(bodyStops, tt.giveStops))
				mt.RegisterResponder(http.MethodGet, urlArrivalsP, ok(bodyArrivalsP, tt.giveArrivalsP))
				mt.RegisterResponder(http.MethodGet, urlArrivalsL, ok(bodyArrivalsL, tt.giveArrivalsL))
				mt.RegisterResponder(http.MethodGet, urlArrivalsD, ok(`[]`, 0))
				call := fmt.Sprintf("Boards(ctx, s, %q) with lookup %v, stop search %v, arrivals %v and %v",
					"SW1Y 4QU", tt.giveLocate, tt.giveStops, tt.giveArrivalsP, tt.giveArrivalsL)
				kept := &keptContexts{}
				rec := recordRequests(s, mt, kept.wrap)

				start := time.Now()
				got, err := busboard.Boards(t.Context(), s, "SW1Y 4QU")
				rec.Returned()
				if err != nil {
					t.Fatalf("%s: error %v, want nil", call, err)
				}
				checkBoards(t, call, got, wantHaymarket)
				kept.checkEnded(t, call, t.Context())
				if n := mt.GetCallCountInfo()["GET "+urlArrivalsD]; n > 0 {
					t.Errorf("%s asked for the arrivals of the third stop: only the %d nearest stops are wanted", call, api.StopsPerLookup)
				}
				checkBoardsTook(t, call, start, rec, tt.giveLocate, tt.giveStops, tt.giveArrivalsP, tt.giveArrivalsL)
			})
		})
	}
}

// checkBoards reports the first way got differs from want.
func checkBoards(t *testing.T, call string, got, want []api.Board) {
	t.Helper()
	names := func(bs []api.Board) []string {
		var ns []string
		for _, b := range bs {
			ns = append(ns, b.Stop.CommonName+" ("+b.Stop.NaptanID+")")
		}
		return ns
	}
	if len(got) == len(want) && slices.ContainsFunc(got, func(b api.Board) bool { return b.Stop.NaptanID == "" }) {
		t.Errorf("%s returned boards for %q, want %q: some boards were never filled in.\n"+
			"Did Boards return before its goroutines finished? Wait for all of them (wg.Wait) before returning",
			call, names(got), names(want))
		return
	}
	if !assert.ObjectsAreEqual(names(got), names(want)) {
		t.Errorf("%s returned boards for %q, want %q: one board per nearest stop, in stop order (nearest first),\n"+
			"whichever answer arrives first; put each result at its stop's index", call, names(got), names(want))
		return
	}
	for i := range want {
		if !assert.ObjectsAreEqual(got[i], want[i]) {
			t.Errorf("%s board %d = %+v,\nwant %+v: build each board with api.NewBoard(stop, arrivals)", call, i, got[i], want[i])
		}
	}
}

// checkBoardsTook checks that a lookup took locate + stop search plus the slowest arrivals
// call (of stops P and L, in that order), and names the likely mistake when it did not,
// drawing the requests rec saw above those the kata wants.
func checkBoardsTook(t *testing.T, call string, start time.Time, rec *timeline.Recorder, locate, search time.Duration, arrivals ...time.Duration) {
	t.Helper()
	took := time.Since(start)
	before := locate + search
	wantLine := timeline.Want().Done("locate", 0, locate).Done("stop search", locate, before)
	var slowest, total time.Duration
	for i, d := range arrivals {
		slowest, total = max(slowest, d), total+d
		wantLine.Done("arrivals "+[]string{"P", "L"}[i], before, before+d)
	}
	want := before + slowest
	wantLine.Return(want)
	hint := "a lookup takes the postcode lookup + the stop search + the slowest arrivals call."
	switch {
	case took == before+total && len(arrivals) > 1:
		hint += "\nThe arrivals calls ran one after another: start every stop's request (go / wg.Go) before waiting for any."
	case took < want:
		hint += "\nBoards returned before every arrivals call had answered: wait for all of them (wg.Wait)."
	}
	if took != want {
		hint += "\n\n" + rec.Diff(wantLine)
	}
	katatest.Elapsed(t, start, want, hint)
}

// keptContexts is a transport that keeps the context of each arrivals request it passes on,
// to check, once Boards has returned, that the context Boards made for them has ended.
type keptContexts struct {
	inner http.RoundTripper
	mu    sync.Mutex
	ctxs  map[string]context.Context // by request name: "arrivals P"
}

// wrap is keptContexts as recordRequests' inner: it passes requests on to rt.
func (k *keptContexts) wrap(rt http.RoundTripper) http.RoundTripper {
	k.inner = rt
	return k
}

func (k *keptContexts) RoundTrip(req *http.Request) (*http.Response, error) {
	if name := requestName(req.URL.Path); strings.HasPrefix(name, "arrivals") {
		k.mu.Lock()
		if k.ctxs == nil {
			k.ctxs = map[string]context.Context{}
		}
		k.ctxs[name] = req.Context()
		k.mu.Unlock()
	}
	return k.inner.RoundTrip(req)
}

// checkEnded checks that the context of every arrivals request has ended, unless the request
// used caller, the context the test gave Boards (which is not Boards' to end).
func (k *keptContexts) checkEnded(t *testing.T, call string, caller context.Context) {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, name := range slices.Sorted(maps.Keys(k.ctxs)) {
		if ctx := k.ctxs[name]; ctx != caller && ctx.Err() == nil {
			t.Errorf("%s returned its boards, but the context of the %s request had not ended, want it ended: "+
				"cancel the context you made for the arrivals requests when Boards returns (defer cancel(nil) "+
				"right after context.WithCancelCause), or it, and whatever watches it, lives on until the caller's ctx ends",
				call, name)
			return
		}
	}
}

func TestBoardsOneStop(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		s, mt := newServices()
		mt.RegisterResponder(http.MethodGet, urlLocate, ok(bodyHaymarket, time.Second))
		mt.RegisterResponder(http.MethodGet, urlStops, ok(bodyOneStop, time.Second))
		mt.RegisterResponder(http.MethodGet, urlArrivalsP, ok(bodyArrivalsP, time.Second))
		rec := recordRequests(s, mt, nil)

		start := time.Now()
		got, err := busboard.Boards(t.Context(), s, "SW1Y 4QU")
		rec.Returned()
		if err != nil {
			t.Fatalf("Boards(ctx, s, \"SW1Y 4QU\") with one stop nearby: error %v, want nil", err)
		}
		checkBoards(t, "Boards(ctx, s, \"SW1Y 4QU\") with one stop nearby", got, wantHaymarket[:1])
		checkBoardsTook(t, "Boards(ctx, s, \"SW1Y 4QU\") with one stop nearby", start, rec, time.Second, time.Second, time.Second)
	})
}

// answer is how the mock answers one request of a table row: after how long, with which
// status and body. bad says the client cannot use a successful answer's body (no stops,
// broken JSON): the lookup fails on it all the same.
type answer struct {
	after  time.Duration
	status int
	body   string
	bad    bool
}

func (a answer) responder() httpmock.Responder {
	return httpmock.NewStringResponder(a.status, a.body).Delay(a.after)
}

// fails reports whether the lookup fails on a.
func (a answer) fails() bool { return a.bad || a.status >= 400 }

// outcome is how the transport sees a request answered with a.
func (a answer) outcome() timeline.Outcome {
	if a.status >= 400 {
		return timeline.Failed
	}
	return timeline.Done
}

// wantLookup returns the timeline Boards wants when its four requests are answered so: one
// after the other until a failure, then both stops' arrivals at once, those still running at
// the first failure cancelled then.
func wantLookup(locate, search, arrivalsP, arrivalsL answer) *timeline.Timeline {
	want := timeline.Want().Task("locate", 0, locate.after, locate.outcome())
	if locate.fails() {
		return want.Return(locate.after)
	}
	before := locate.after + search.after
	want.Task("stop search", locate.after, before, search.outcome())
	if search.fails() {
		return want.Return(before)
	}
	stop := time.Duration(-1) // the first failure, after the stop search
	for _, a := range []answer{arrivalsP, arrivalsL} {
		if a.fails() && (stop < 0 || a.after < stop) {
			stop = a.after
		}
	}
	var last time.Duration
	for i, a := range []answer{arrivalsP, arrivalsL} {
		name := "arrivals " + []string{"P", "L"}[i]
		if stop >= 0 && a.after > stop {
			want.Task(name, before, before+stop, timeline.Cancelled)
			last = max(last, stop)
			continue
		}
		want.Task(name, before, before+a.after, a.outcome())
		last = max(last, a.after)
	}
	return want.Return(before + last)
}

func TestBoardsErrors(t *testing.T) {
	var (
		locateOK   = answer{time.Second, http.StatusOK, bodyHaymarket, false}
		searchOK   = answer{time.Second, http.StatusOK, bodyStops, false}
		arrivalsP  = answer{time.Minute, http.StatusOK, bodyArrivalsP, false} // a failure of the other stop makes waiting for it pointless
		arrivalsL  = answer{time.Second, http.StatusOK, bodyArrivalsL, false}
		notFound   = func(after time.Duration) answer { return answer{after, http.StatusNotFound, bodyStopUnknown, false} }
		serverDown = func(after time.Duration) answer { return answer{after, http.StatusServiceUnavailable, `{}`, false} }
	)
	tests := []struct {
		name          string
		giveLocate    answer
		giveSearch    answer
		giveArrivalsP answer // the nearest stop
		giveArrivalsL answer
		wantErr       error
	}{
		{"invalid postcode", answer{time.Second, http.StatusNotFound, bodyInvalid, false}, searchOK, arrivalsP, arrivalsL, api.ErrInvalidPostcode},
		{"no stops", locateOK, answer{time.Second, http.StatusOK, bodyNoStops, true}, arrivalsP, arrivalsL, api.ErrNoStops},
		{"stop not found", locateOK, searchOK, arrivalsP, notFound(time.Second), api.ErrStopNotFound},
		{"rate limited", locateOK, searchOK, arrivalsP, answer{2 * time.Second, http.StatusTooManyRequests, `{}`, false}, api.ErrRateLimited},
		{"malformed", locateOK, searchOK, arrivalsP, answer{time.Second, http.StatusOK, `{"oops":`, true}, api.ErrMalformed},
		// The roles swapped: the nearest stop's request fails, the other takes a minute.
		{"nearest stop not found", locateOK, searchOK, notFound(time.Second), answer{time.Minute, http.StatusOK, bodyArrivalsL, false}, api.ErrStopNotFound},
		// Both fail: the first failure in time wins, whichever stop it is.
		{"both fail, nearest first", locateOK, searchOK, notFound(time.Second), serverDown(2 * time.Second), api.ErrStopNotFound},
		{"both fail, other first", locateOK, searchOK, serverDown(2 * time.Second), notFound(time.Second), api.ErrStopNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				s, mt := newServices()
				mt.RegisterResponder(http.MethodGet, urlLocate, tt.giveLocate.responder())
				mt.RegisterResponder(http.MethodGet, urlStops, tt.giveSearch.responder())
				mt.RegisterResponder(http.MethodGet, urlArrivalsP, tt.giveArrivalsP.responder())
				mt.RegisterResponder(http.MethodGet, urlArrivalsL, tt.giveArrivalsL.responder())
				rec := recordRequests(s, mt, nil)
				want := wantLookup(tt.giveLocate, tt.giveSearch, tt.giveArrivalsP, tt.giveArrivalsL)
				call := fmt.Sprintf("Boards(ctx, s, %q) when %s", "SW1Y 4QU", tt.name)

				start := time.Now()
				got, err := busboard.Boards(t.Context(), s, "SW1Y 4QU")
				rec.Returned()
				checkBoardsErr(t, call, got, err, tt.wantErr)
				took := time.Since(start)
				if took == want.ReturnAt {
					return
				}
				hint := "when a request fails, return its error at once"
				switch {
				case took == want.ReturnAt+time.Minute:
					hint += ": the arrivals calls ran one after another, so the minute-long request\n" +
						"was waited for before the other was even sent. Start both first"
				case took > want.ReturnAt:
					hint += ": Boards waited for the other stop's request. Cancel the requests still\n" +
						"running when one fails: make a context with context.WithCancelCause(ctx), give that one (not ctx)\n" +
						"to every arrivals request, cancel it at the first failure, then wait for them"
				default:
					hint += ", once the requests you started have stopped: wait for them (wg.Wait) even after a failure"
				}
				t.Errorf("%s took %v of fake time, want %v: %s\n\n%s", call, took, want.ReturnAt, hint, rec.Diff(want))
			})
		})
	}
}

// checkBoardsErr checks that Boards returned nil boards and an error wrapping want, the
// first failure.
func checkBoardsErr(t *testing.T, call string, got []api.Board, err, want error) {
	t.Helper()
	switch {
	case errors.Is(err, want):
	case errors.Is(err, context.Canceled):
		t.Errorf("%s: error %v, want one wrapping %v: that is the error of the request Boards cancelled,\n"+
			"not of the failure that made it cancel. Keep the first error (sync.Once) and return that one", call, err, want)
	case err != nil && strings.Contains(err.Error(), want.Error()):
		t.Errorf("%s: error %v, want one wrapping %v; errors.Is(err, want) = false although the text says %q:\n"+
			"the error value is gone, turned into text (%%v, err.Error(), errors.New). Same text is not the same error:\n"+
			"return the request's error as it is, or wrap it with %%w, so errors.Is can find it", call, err, want, want)
	case err != nil:
		t.Errorf("%s: error %v, want one wrapping %v: that is a later failure, or the error was replaced.\n"+
			"Return the first request to fail in time (whatever its stop's place in the list), as it is or wrapped with %%w",
			call, err, want)
	default:
		t.Errorf("%s: error nil, want one wrapping %v: a request's error must reach the caller", call, want)
	}
	if got != nil {
		t.Errorf("%s = %d boards, want nil with the error: a failed lookup has no boards", call, len(got))
	}
}

// deafTo is a transport that ignores the cancellation of requests for one URL, like a
// server that goes on answering however early the caller gave up: the request ends only
// when its answer comes.
type deafTo struct {
	inner http.RoundTripper
	url   string
}

func (d deafTo) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.String() == d.url {
		req = req.WithContext(context.WithoutCancel(req.Context()))
	}
	return d.inner.RoundTrip(req)
}

// TestBoardsFirstFailureInTime has the nearest stop's request ignore its cancellation and
// fail late: the first failure is still the other stop's, although it comes second in the
// list, and Boards returns when the deaf request has.
func TestBoardsFirstFailureInTime(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		s, mt := newServices()
		rec := recordRequests(s, mt, func(rt http.RoundTripper) http.RoundTripper { return deafTo{inner: rt, url: urlArrivalsP} })
		mt.RegisterResponder(http.MethodGet, urlLocate, ok(bodyHaymarket, time.Second))
		mt.RegisterResponder(http.MethodGet, urlStops, ok(bodyStops, time.Second))
		mt.RegisterResponder(http.MethodGet, urlArrivalsP,
			httpmock.NewStringResponder(http.StatusServiceUnavailable, `{}`).Delay(5*time.Second))
		mt.RegisterResponder(http.MethodGet, urlArrivalsL,
			httpmock.NewStringResponder(http.StatusNotFound, bodyStopUnknown).Delay(time.Second))
		call := `Boards(ctx, s, "SW1Y 4QU") when stop L's arrivals fail at 3s, and stop P's, ignoring cancellation, fail at 7s`

		start := time.Now()
		got, err := busboard.Boards(t.Context(), s, "SW1Y 4QU")
		rec.Returned()
		checkBoardsErr(t, call, got, err, api.ErrStopNotFound)
		want := timeline.Want().Done("locate", 0, time.Second).Done("stop search", time.Second, 2*time.Second).
			Task("arrivals P", 2*time.Second, 7*time.Second, timeline.Failed).
			Task("arrivals L", 2*time.Second, 3*time.Second, timeline.Failed).Return(7 * time.Second)
		if took := time.Since(start); took != want.ReturnAt {
			t.Errorf("%s took %v of fake time, want %v: stop P's request ignores the cancel, so Boards returns once it has "+
				"(wg.Wait), with the first failure\n\n%s", call, took, want.ReturnAt, rec.Diff(want))
		}
	})
}

// gate answers requests with status and body when open is closed, whatever their context:
// requests answered by one close run at the very same time, with nothing ordering them, so
// the race detector sees what their goroutines share without a lock.
func gate(open <-chan struct{}, status int, body string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		<-open
		return httpmock.NewStringResponse(status, body), nil
	}
}

// TestBoardsAtOnce has both arrivals calls answer at the same instant, again and again:
// with both answers, the boards are in stop order; with both failing, the error is one of
// the two failures, not the cancellation of the other request.
func TestBoardsAtOnce(t *testing.T) {
	tests := []struct {
		name    string
		giveP   func(open <-chan struct{}) httpmock.Responder
		giveL   func(open <-chan struct{}) httpmock.Responder
		wantErr []error // nil: the boards
	}{
		{"both answer",
			func(open <-chan struct{}) httpmock.Responder { return gate(open, http.StatusOK, bodyArrivalsP) },
			func(open <-chan struct{}) httpmock.Responder { return gate(open, http.StatusOK, bodyArrivalsL) },
			nil},
		{"both fail",
			func(open <-chan struct{}) httpmock.Responder { return gate(open, http.StatusNotFound, bodyStopUnknown) },
			func(open <-chan struct{}) httpmock.Responder { return gate(open, http.StatusServiceUnavailable, `{}`) },
			[]error{api.ErrStopNotFound, api.ErrUpstream}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf(`Boards(ctx, s, "SW1Y 4QU") when the arrivals calls of both stops %s at the same instant`, tt.name[5:])
				for range 50 {
					s, mt := newServices()
					open := make(chan struct{})
					time.AfterFunc(3*time.Second, func() { close(open) })
					mt.RegisterResponder(http.MethodGet, urlLocate, ok(bodyHaymarket, time.Second))
					mt.RegisterResponder(http.MethodGet, urlStops, ok(bodyStops, time.Second))
					mt.RegisterResponder(http.MethodGet, urlArrivalsP, tt.giveP(open))
					mt.RegisterResponder(http.MethodGet, urlArrivalsL, tt.giveL(open))

					start := time.Now()
					got, err := busboard.Boards(t.Context(), s, "SW1Y 4QU")
					if tt.wantErr == nil {
						if err != nil {
							t.Fatalf("%s: error %v, want nil", call, err)
						}
						checkBoards(t, call, got, wantHaymarket)
					} else {
						want := tt.wantErr[0]
						if errors.Is(err, tt.wantErr[1]) {
							want = tt.wantErr[1]
						}
						checkBoardsErr(t, call+" (either failure may come first)", got, err, want)
					}
					katatest.Elapsed(t, start, 3*time.Second, "both answers come at 3s")
					if t.Failed() {
						return
					}
				}
			})
		})
	}
}

// answered is a transport that notes whether the last request it passed on for one URL got
// an answer (a response, not an error).
type answered struct {
	inner http.RoundTripper
	url   string
	mu    sync.Mutex
	ok    bool
}

func (a *answered) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := a.inner.RoundTrip(req)
	if req.URL.String() == a.url {
		a.mu.Lock()
		a.ok = err == nil
		a.mu.Unlock()
	}
	return resp, err
}

func (a *answered) answered() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ok
}

// TestBoardsFinishAsCtxEnds has the last arrivals call answer at the very instant the
// caller's ctx times out, again and again: when it was answered, every request succeeded and
// Boards returns the boards; when ctx won, the lookup failed with ctx's error.
func TestBoardsFinishAsCtxEnds(t *testing.T) {
	call := `Boards(ctx timing out at 4s, s, "SW1Y 4QU") when stop L's arrivals answer at 4s, the same instant`
	katatest.Bubble(t, func(t *testing.T) {
		for range 50 {
			s, mt := newServices()
			last := &answered{url: urlArrivalsL}
			recordRequests(s, mt, func(rt http.RoundTripper) http.RoundTripper { last.inner = rt; return last })
			mt.RegisterResponder(http.MethodGet, urlLocate, ok(bodyHaymarket, time.Second))
			mt.RegisterResponder(http.MethodGet, urlStops, ok(bodyStops, time.Second))
			mt.RegisterResponder(http.MethodGet, urlArrivalsP, ok(bodyArrivalsP, time.Second))
			mt.RegisterResponder(http.MethodGet, urlArrivalsL, ok(bodyArrivalsL, 2*time.Second))
			ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
			got, err := busboard.Boards(ctx, s, "SW1Y 4QU")
			cancel()
			if !last.answered() {
				checkBoardsErr(t, call+" (ctx came first)", got, err, context.DeadlineExceeded)
			} else if err != nil {
				t.Errorf("%s: error %v, want nil: stop L's request was answered, so every request succeeded.\n"+
					"When every request succeeded, return the boards; ctx.Err() after the requests have returned says\n"+
					"only that ctx has ended since, not that a request failed", call, err)
			} else {
				checkBoards(t, call, got, wantHaymarket)
			}
			if t.Failed() {
				return
			}
		}
	})
}

// TestBoardsConcurrent runs several lookups at once with the same services, as the doc
// allows: each gets its own boards, in its own time.
func TestBoardsConcurrent(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		s, mt := newServices()
		mt.RegisterResponder(http.MethodGet, urlLocate, ok(bodyHaymarket, time.Second))
		mt.RegisterResponder(http.MethodGet, urlStops, ok(bodyStops, time.Second))
		mt.RegisterResponder(http.MethodGet, urlArrivalsP, ok(bodyArrivalsP, 2*time.Second))
		mt.RegisterResponder(http.MethodGet, urlArrivalsL, ok(bodyArrivalsL, time.Second))
		const n = 3
		got := make([][]api.Board, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := time.Now()
		for i := range n {
			wg.Go(func() {
				time.Sleep(time.Duration(i) * 500 * time.Millisecond) // the lookups overlap, each at its own stage
				got[i], errs[i] = busboard.Boards(t.Context(), s, "SW1Y 4QU")
			})
		}
		wg.Wait()
		for i := range n {
			call := fmt.Sprintf(`Boards(ctx, s, "SW1Y 4QU") started at %v, with %d lookups running at once`, time.Duration(i)*500*time.Millisecond, n)
			if errs[i] != nil {
				t.Errorf("%s: error %v, want nil", call, errs[i])
				continue
			}
			checkBoards(t, call+" (each lookup keeps its boards in its own variables, not shared ones)", got[i], wantHaymarket)
		}
		katatest.Elapsed(t, start, time.Second+4*time.Second,
			"the last lookup starts at 1s and takes 1s + 1s + 2s: lookups at once do not wait for each other")
	})
}

// TestBoardsWaitsForCancelledRequest checks that Boards, after cancelling the requests still
// running, waits for them to return: here a cancelled request takes 100ms to wind down.
func TestBoardsWaitsForCancelledRequest(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		s, mt := newServices()
		rec := recordRequests(s, mt, func(rt http.RoundTripper) http.RoundTripper {
			return slowToStop{inner: rt, windDown: 100 * time.Millisecond}
		})
		mt.RegisterResponder(http.MethodGet, urlLocate, ok(bodyHaymarket, time.Second))
		mt.RegisterResponder(http.MethodGet, urlStops, ok(bodyStops, time.Second))
		mt.RegisterResponder(http.MethodGet, urlArrivalsP, ok(bodyArrivalsP, time.Minute))
		mt.RegisterResponder(http.MethodGet, urlArrivalsL,
			httpmock.NewStringResponder(http.StatusNotFound, bodyStopUnknown).Delay(time.Second))
		call := `Boards(ctx, s, "SW1Y 4QU") when stop L's arrivals fail at 3s and stop P's request takes 0.1s to stop once cancelled`

		start := time.Now()
		got, err := busboard.Boards(t.Context(), s, "SW1Y 4QU")
		rec.Returned()
		if !errors.Is(err, api.ErrStopNotFound) || got != nil {
			t.Errorf("%s = %d boards, error %v; want nil, an error wrapping %v: return the first failure as it is",
				call, len(got), err, api.ErrStopNotFound)
			return
		}
		hint := "cancel stop P's request when stop L's fails, then wait for it to stop (0.1s)"
		switch took := time.Since(start); {
		case took == 3*time.Second:
			hint = "Boards returned while the request it had cancelled was still running. Cancelling is not waiting:\n" +
				"wait for every goroutine you started (wg.Wait) before returning, even after a failure"
		case took >= time.Minute:
			hint = "Boards waited for stop P's minute-long request: cancel the requests still running when one fails"
		}
		want := timeline.Want().Done("locate", 0, time.Second).Done("stop search", time.Second, 2*time.Second).
			Task("arrivals P", 2*time.Second, 3100*time.Millisecond, timeline.Cancelled).
			Task("arrivals L", 2*time.Second, 3*time.Second, timeline.Failed).Return(3100 * time.Millisecond)
		if took := time.Since(start); took != want.ReturnAt {
			hint += "\n\n" + rec.Diff(want)
		}
		katatest.Elapsed(t, start, want.ReturnAt, hint)
	})
}

// slowToStop is a transport whose requests, once their context has ended, take windDown
// more to return, like a connection being torn down: it shows, in fake time, whether the
// caller waited for a request it cancelled.
type slowToStop struct {
	inner    http.RoundTripper
	windDown time.Duration
}

func (s slowToStop) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.inner.RoundTrip(req)
	if req.Context().Err() != nil {
		time.Sleep(s.windDown)
	}
	return resp, err
}

// TestBoardsContext checks that every request uses the caller's context: when it ends, the
// lookup ends too, wherever it is.
func TestBoardsContext(t *testing.T) {
	tests := []struct {
		name        string
		giveSlow    string // the URL whose answer takes a minute
		giveTimeout time.Duration
		giveEnd     string // how ctx ends at giveTimeout: one of endings
	}{
		{"during lookup", urlLocate, 5 * time.Second, "deadline"},
		{"during stop search", urlStops, 5 * time.Second, "deadline"},
		{"during arrivals", urlArrivalsL, 5 * time.Second, "deadline"},
		{"cancel during lookup", urlLocate, 500 * time.Millisecond, "cancel"},
		{"cancel during stop search", urlStops, 1500 * time.Millisecond, "cancel"},
		{"cancel during arrivals", urlArrivalsL, 5 * time.Second, "cancel"},
		{"parent cancelled during arrivals", urlArrivalsP, 5 * time.Second, "parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				s, mt := newServices()
				delay := func(u string) time.Duration {
					if u == tt.giveSlow {
						return time.Minute
					}
					return time.Second
				}
				mt.RegisterResponder(http.MethodGet, urlLocate, ok(bodyHaymarket, delay(urlLocate)))
				mt.RegisterResponder(http.MethodGet, urlStops, ok(bodyStops, delay(urlStops)))
				mt.RegisterResponder(http.MethodGet, urlArrivalsP, ok(bodyArrivalsP, delay(urlArrivalsP)))
				mt.RegisterResponder(http.MethodGet, urlArrivalsL, ok(bodyArrivalsL, delay(urlArrivalsL)))
				ctx, wantErr := endingAt(t, tt.giveEnd, tt.giveTimeout)
				call := fmt.Sprintf("Boards(ctx ending at %v (%s), s, %q), slow %s", tt.giveTimeout, tt.giveEnd, "SW1Y 4QU", tt.name)

				rec := recordRequests(s, mt, nil)
				want := timeline.Want()
				stage := func(name string, from time.Duration, u string) bool { // false: cut short by ctx
					if from+delay(u) > tt.giveTimeout {
						want.Task(name, from, tt.giveTimeout, timeline.Cancelled)
						return false
					}
					want.Done(name, from, from+delay(u))
					return true
				}
				if stage("locate", 0, urlLocate) && stage("stop search", time.Second, urlStops) {
					stage("arrivals P", 2*time.Second, urlArrivalsP)
					stage("arrivals L", 2*time.Second, urlArrivalsL)
				}
				want.Return(tt.giveTimeout)

				start := time.Now()
				got, err := busboard.Boards(ctx, s, "SW1Y 4QU")
				rec.Returned()
				checkCtxErr(t, call, "Boards", err, wantErr, "pass ctx to every request, and return the error of the request it ended")
				if got != nil {
					t.Errorf("%s = %d boards, want nil with the error: a failed lookup has no boards", call, len(got))
				}
				if took := time.Since(start); took != tt.giveTimeout {
					t.Errorf("%s took %v of fake time, want %v: Boards kept waiting after its context ended: "+
						"pass ctx (or a context made from it) to every request\n\n%s", call, took, tt.giveTimeout, rec.Diff(want))
				}
			})
		})
	}
}
