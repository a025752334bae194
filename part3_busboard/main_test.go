package busboard_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// Test base URLs: the katas must use the clients they are given, never the real services.
const (
	postcodesBase = "https://postcodes.test"
	tflBase       = "https://tfl.test"
)

// newServices returns services whose requests all go to a fresh mock transport.
func newServices() (*api.Services, *httpmock.MockTransport) {
	mt := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mt}
	return &api.Services{
		Postcodes: api.Postcodes{BaseURL: postcodesBase, HTTP: hc},
		TfL:       api.TfL{BaseURL: tflBase, HTTP: hc},
	}, mt
}

// recordRequests makes every request of s go through a transport that notes it in a new
// timeline.Recorder, and returns the recorder: each request is a task named for what it
// asks ("locate", "stop search", "arrivals P"), cancelled when its context ended, failed
// when the service answered with an error. inner wraps the mock transport, for tests that
// change how requests behave (nil for none).
func recordRequests(s *api.Services, mt *httpmock.MockTransport, inner func(http.RoundTripper) http.RoundTripper) *timeline.Recorder {
	rec := timeline.New()
	var rt http.RoundTripper = mt
	if inner != nil {
		rt = inner(mt)
	}
	hc := &http.Client{Transport: noted{inner: rt, rec: rec}}
	s.Postcodes.HTTP, s.TfL.HTTP = hc, hc
	return rec
}

// noted is a transport that notes each request as a task of rec.
type noted struct {
	inner http.RoundTripper
	rec   *timeline.Recorder
}

func (n noted) RoundTrip(req *http.Request) (*http.Response, error) {
	task := n.rec.Start(requestName(req.URL.Path))
	resp, err := n.inner.RoundTrip(req)
	switch {
	case err != nil:
		task.End(err)
	case resp.StatusCode >= 400:
		task.Fail()
	default:
		task.Done()
	}
	return resp, err
}

// requestName names a request for a timeline: "locate", "stop search", "arrivals P".
func requestName(path string) string {
	switch {
	case strings.HasPrefix(path, "/postcodes/"):
		return "locate"
	case path == "/StopPoint":
		return "stop search"
	case strings.HasSuffix(path, "/Arrivals"):
		id := strings.TrimSuffix(path, "/Arrivals")
		return "arrivals " + id[len(id)-1:] // the stop's letter ends its NaPTAN id
	}
	return path
}

// Bodies in the shapes the real services send (see the api package's tests).
const (
	bodyHaymarket = `{"status":200,"result":{"postcode":"SW1Y 4QU","longitude":-0.132441,"latitude":51.509364}}`
	bodyInvalid   = `{"status":404,"error":"Invalid postcode"}`
	bodyStops     = `{"centrePoint":[51.509,-0.133],"stopPoints":[
		{"naptanId":"490007960L","indicator":"Stop L","commonName":"Piccadilly Circus  Haymarket","distance":73.497},
		{"naptanId":"490007960P","indicator":"Stop P","commonName":"Haymarket / Charles II Street","distance":62.518},
		{"naptanId":"490010783D","indicator":"Stop D","commonName":"Trafalgar Square","distance":390.1}]}`
	bodyOneStop   = `{"stopPoints":[{"naptanId":"490007960P","indicator":"Stop P","commonName":"Haymarket / Charles II Street","distance":62.518}]}`
	bodyNoStops   = `{"stopPoints":[]}`
	bodyArrivalsP = `[{"lineName":"12","destinationName":"Dulwich Library","timeToStation":190},
		{"lineName":"453","destinationName":"Deptford Bridge","timeToStation":95},
		{"lineName":"88","destinationName":"Clapham Common","timeToStation":610},
		{"lineName":"159","destinationName":"Streatham Station","timeToStation":420},
		{"lineName":"6","destinationName":"Aldwych","timeToStation":880},
		{"lineName":"23","destinationName":"Westbourne Park","timeToStation":1200}]`
	bodyArrivalsL   = `[{"lineName":"19","destinationName":"Battersea Bridge","timeToStation":42}]`
	bodyStopUnknown = `{"exceptionType":"EntityNotFoundException","httpStatusCode":404,"message":"The following stop point is not recognised: 490007960L"}`
)

// Where the mock answers a lookup of SW1Y 4QU.
const (
	urlLocate    = postcodesBase + "/postcodes/SW1Y%204QU"
	urlStops     = tflBase + "/StopPoint"
	urlArrivalsP = tflBase + "/StopPoint/490007960P/Arrivals"
	urlArrivalsL = tflBase + "/StopPoint/490007960L/Arrivals"
	urlArrivalsD = tflBase + "/StopPoint/490010783D/Arrivals"
)

// ok answers 200 with body after delay (of fake time, inside a bubble).
func ok(body string, delay time.Duration) httpmock.Responder {
	return httpmock.NewStringResponder(http.StatusOK, body).Delay(delay)
}

// blockedSince returns the goroutines started since before whose stacks call fn and that
// are blocked in state (such as "chan send"). Goroutines leaked by earlier tests are in
// before, so they are not blamed on this one.
func blockedSince(before gotrace.Snapshot, fn, state string) []gotrace.Goroutine {
	var found []gotrace.Goroutine
	for _, g := range before.Started(gotrace.All()) {
		if g.Blocked(state) && g.Calls(fn) {
			found = append(found, g)
		}
	}
	return found
}

// endings are the ways a context ends, as endingAt names them: its deadline passes, it is
// cancelled with a cause (errCtrlC), its parent is cancelled.
var endings = []string{"deadline", "cancel", "parent"}

// errCtrlC is the cause endingAt's "cancel" gives: context.Cause(ctx) returns it, ctx.Err()
// is context.Canceled.
var errCtrlC = errors.New("the user pressed Ctrl-C")

// endingAt returns a context that ends after d in the way end names (one of endings), and
// its ctx.Err() once it has ended, which whatever it cuts short returns (or wraps).
func endingAt(t *testing.T, end string, d time.Duration) (context.Context, error) {
	switch end {
	case "cancel":
		ctx, cancel := context.WithCancelCause(t.Context())
		time.AfterFunc(d, func() { cancel(errCtrlC) })
		return ctx, context.Canceled
	case "parent":
		parent, cancel := context.WithCancel(t.Context())
		time.AfterFunc(d, cancel)
		ctx, stop := context.WithTimeout(parent, time.Hour)
		t.Cleanup(stop)
		return ctx, context.Canceled
	default:
		ctx, cancel := context.WithTimeout(t.Context(), d)
		t.Cleanup(cancel)
		return ctx, context.DeadlineExceeded
	}
}

// checkCtxErr checks that err, which call (of the kata named kata) returned after its ctx
// ended, is or wraps wantErr, ctx.Err(); hint says what to do when it is some other error.
func checkCtxErr(t *testing.T, call, kata string, err, wantErr error, hint string) {
	t.Helper()
	switch {
	case errors.Is(err, errCtrlC):
		t.Errorf("%s error = %v, want %v: that is context.Cause(ctx), the reason given to cancel. %s returns ctx.Err()",
			call, err, wantErr, kata)
	case !errors.Is(err, wantErr):
		t.Errorf("%s error = %v, want %v: %s", call, err, wantErr, hint)
	}
}
