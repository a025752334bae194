package busboard_test

import (
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
