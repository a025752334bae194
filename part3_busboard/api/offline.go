package api

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
)

//go:embed fixtures
var fixtures embed.FS

// Offline latencies: each answer takes this long, as a real one would, so the difference
// between sequential and concurrent lookups shows offline too.
const (
	offlinePostcodeLatency = 100 * time.Millisecond
	offlineStopsLatency    = 100 * time.Millisecond
	offlineArrivalsLatency = 300 * time.Millisecond
)

// OfflinePostcodes lists the postcodes the offline transport knows, each with what it shows.
// Any other well-formed postcode is unknown; anything else is invalid.
var OfflinePostcodes = []struct{ Postcode, Shows string }{
	{"NW5 1TL", "two boards (Lady Somerset Road)"},
	{"SW1Y 4QU", "two boards (Haymarket)"},
	{"N9 0AB", "two boards, one with no buses due"},
	{"AB1 0AA", "a terminated postcode"},
	{"GY1 1AA", "a postcode with no location"},
	{"EH1 1YZ", "no bus stops nearby"},
	{"E20 2ST", "a stop TfL does not recognise"},
	{"E1 6AN", "TfL rate-limiting (HTTP 429)"},
	{"EC1A 1BB", "a TfL server error (HTTP 503)"},
	{"WC2N 5DU", "a broken TfL answer"},
	{"SE1 7PB", "a TfL search that never answers (a timeout)"},
	{"W1A 1AA", "TfL unreachable"},
}

// offlineFault is a TfL stop search that fails, at the location of one offline postcode.
type offlineFault struct {
	lat, lon    float64
	status      int         // answer with this status and body
	body        string      //
	header      http.Header //
	hang        bool        // never answer: wait for the request's context
	unreachable bool        // fail as a dropped connection
}

var offlineFaults = []offlineFault{
	{lat: 51.5200, lon: -0.0750, status: http.StatusTooManyRequests, header: http.Header{"Retry-After": {"58"}},
		body: `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 58 seconds."}`},
	{lat: 51.5202, lon: -0.0977, status: http.StatusServiceUnavailable,
		body: `{"$type":"Tfl.Api.Presentation.Entities.ApiError, Tfl.Api.Presentation.Entities","httpStatusCode":503,"httpStatus":"ServiceUnavailable","message":"The service is temporarily unavailable"}`},
	{lat: 51.5070, lon: -0.1270, status: http.StatusOK, body: `{"centrePoint":[51.507,-0.127],"stopPoints":[{"naptanId":`},
	{lat: 51.5010, lon: -0.1190, hang: true},
	{lat: 51.5185, lon: -0.1438, unreachable: true},
}

// errOfflineDropped is the network failure the offline transport simulates.
var errOfflineDropped = errors.New("offline: connection reset by peer (simulated)")

// postcodeShape is what a well-formed postcode looks like, spaces removed.
var postcodeShape = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$`)

// Offline returns an http.RoundTripper that answers postcodes.io and TfL requests from
// embedded fixtures, as the real services would (same bodies, statuses and failures), after a
// short fake latency that ends early when the request's context does. Requests for any other
// host fail. Use it as the Transport of an http.Client to run BusBoard with no network; the
// postcodes it knows are in OfflinePostcodes. It is safe for concurrent use.
func Offline() http.RoundTripper { return offlineTransport{} }

type offlineTransport struct{}

func (offlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	switch req.URL.Host {
	case hostOf(PostcodesBaseURL):
		return offlinePostcode(req)
	case hostOf(TfLBaseURL):
		return offlineTfL(req)
	default:
		return nil, fmt.Errorf("offline: no fixtures for host %q", req.URL.Host)
	}
}

func offlinePostcode(req *http.Request) (*http.Response, error) {
	if err := wait(req, offlinePostcodeLatency); err != nil {
		return nil, err
	}
	escaped, ok := strings.CutPrefix(req.URL.EscapedPath(), "/postcodes/")
	if !ok {
		return respond(req, http.StatusNotFound, `{"status":404,"error":"Resource not found"}`, nil), nil
	}
	pc, err := url.PathUnescape(escaped)
	if err != nil {
		return respond(req, http.StatusBadRequest, `{"status":400,"error":"Bad request"}`, nil), nil
	}
	compact := strings.ToUpper(strings.ReplaceAll(pc, " ", ""))
	if body, err := fixtures.ReadFile("fixtures/postcodes/" + compact + ".json"); err == nil && postcodeShape.MatchString(compact) {
		var head struct {
			Status int `json:"status"`
		}
		_ = json.Unmarshal(body, &head)
		return respond(req, cmpInt(head.Status, http.StatusOK), string(body), nil), nil
	}
	if postcodeShape.MatchString(compact) {
		return respond(req, http.StatusNotFound, `{"status":404,"error":"Postcode not found"}`, nil), nil
	}
	return respond(req, http.StatusNotFound, `{"status":404,"error":"Invalid postcode"}`, nil), nil
}

func offlineTfL(req *http.Request) (*http.Response, error) {
	p := req.URL.EscapedPath()
	if p == "/StopPoint" {
		return offlineStops(req)
	}
	if id, ok := strings.CutSuffix(strings.TrimPrefix(p, "/StopPoint/"), "/Arrivals"); ok && strings.HasPrefix(p, "/StopPoint/") {
		if err := wait(req, offlineArrivalsLatency); err != nil {
			return nil, err
		}
		id, _ = url.PathUnescape(id)
		if body, err := fixtures.ReadFile("fixtures/arrivals/" + path.Base(id) + ".json"); err == nil && fs.ValidPath(id) {
			return respond(req, http.StatusOK, string(body), nil), nil
		}
		msg, _ := json.Marshal("The following stop point is not recognised: " + id)
		return respond(req, http.StatusNotFound, `{"$type":"Tfl.Api.Presentation.Entities.ApiError, Tfl.Api.Presentation.Entities",`+
			`"timestampUtc":"2017-12-07T13:00:00Z","exceptionType":"EntityNotFoundException","httpStatusCode":404,`+
			`"httpStatus":"NotFound","relativeUri":"/StopPoint/x/Arrivals","message":`+string(msg)+`}`, nil), nil
	}
	return respond(req, http.StatusNotFound, `{"message":"No HTTP resource was found that matches the request URI."}`, nil), nil
}

func offlineStops(req *http.Request) (*http.Response, error) {
	q := req.URL.Query()
	lat, err1 := strconv.ParseFloat(q.Get("lat"), 64)
	lon, err2 := strconv.ParseFloat(q.Get("lon"), 64)
	if err1 != nil || err2 != nil {
		return respond(req, http.StatusBadRequest, `{"message":"The request is invalid."}`, nil), nil
	}
	for _, f := range offlineFaults {
		if !near(lat, lon, f.lat, f.lon, 0.001) {
			continue
		}
		switch {
		case f.hang:
			<-req.Context().Done()
			return nil, req.Context().Err()
		case f.unreachable:
			if err := wait(req, offlineStopsLatency); err != nil {
				return nil, err
			}
			return nil, errOfflineDropped
		}
		if err := wait(req, offlineStopsLatency); err != nil {
			return nil, err
		}
		return respond(req, f.status, f.body, f.header), nil
	}
	if err := wait(req, offlineStopsLatency); err != nil {
		return nil, err
	}
	entries, _ := fixtures.ReadDir("fixtures/stoppoints")
	for _, e := range entries {
		body, err := fixtures.ReadFile("fixtures/stoppoints/" + e.Name())
		if err != nil {
			continue
		}
		var head struct {
			CentrePoint [2]float64 `json:"centrePoint"`
		}
		if json.Unmarshal(body, &head) == nil && near(lat, lon, head.CentrePoint[0], head.CentrePoint[1], 0.01) {
			return respond(req, http.StatusOK, string(body), nil), nil
		}
	}
	// Far from every fixture (outside London, say): TfL finds nothing.
	return respond(req, http.StatusOK, fmt.Sprintf(`{"centrePoint":[%v,%v],"stopPoints":[],"pageSize":0,"total":0,"page":0}`, lat, lon), nil), nil
}

// wait waits d, or until the request's context ends.
func wait(req *http.Request, d time.Duration) error {
	return clock.Sleep(req.Context(), d)
}

func respond(req *http.Request, status int, body string, header http.Header) *http.Response {
	h := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	for k, v := range header {
		h[k] = v
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader([]byte(body))),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

func near(lat1, lon1, lat2, lon2, within float64) bool {
	return math.Abs(lat1-lat2) <= within && math.Abs(lon1-lon2) <= within
}

func hostOf(base string) string {
	u, _ := url.Parse(base)
	return u.Host
}

func cmpInt(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}
