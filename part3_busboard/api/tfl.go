package api

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
)

// TfLBaseURL is where the TfL Unified API lives.
const TfLBaseURL = "https://api.tfl.gov.uk"

// AppKeyEnv is the environment variable NewTfL reads the optional TfL app_key from. Without a
// key TfL still answers, but throttles sooner (HTTP 429).
const AppKeyEnv = "TFL_APP_KEY"

// SearchRadius is how far from a location StopsNear looks for bus stops, in metres.
const SearchRadius = 1000

// StopPoint is a bus stop, as TfL's StopPoint search describes it.
type StopPoint struct {
	NaptanID   string  `json:"naptanId"`
	Indicator  string  `json:"indicator"` // "Stop P"
	CommonName string  `json:"commonName"`
	Distance   float64 `json:"distance"` // metres from the searched location
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
}

// Arrival is one bus expected at a stop.
type Arrival struct {
	LineName        string `json:"lineName"`
	DestinationName string `json:"destinationName"`
	TimeToStation   int    `json:"timeToStation"` // seconds
	PlatformName    string `json:"platformName"`
}

// TfL is a client for the parts of the TfL Unified API BusBoard uses. The zero value uses
// TfLBaseURL, http.DefaultClient and no app_key. It is safe for concurrent use.
type TfL struct {
	BaseURL string       // "" means TfLBaseURL
	HTTP    *http.Client // nil means http.DefaultClient
	AppKey  string       // sent as the app_key query parameter; never appears in errors
}

// NewTfL returns a client using hc (nil means http.DefaultClient) and the app_key in the
// AppKeyEnv environment variable, if it is set.
func NewTfL(hc *http.Client) *TfL {
	return &TfL{HTTP: hc, AppKey: os.Getenv(AppKeyEnv)}
}

// String describes the client without its key, so printing it never shows the key.
func (c *TfL) String() string {
	return fmt.Sprintf("TfL client for %s (app_key set: %t)", cmpOr(c.BaseURL, TfLBaseURL), c.AppKey != "")
}

// StopsNear returns the bus stops within SearchRadius of loc, nearest first. Errors:
// ErrNoStops when there is none, or one of the classes every request can end in.
func (c *TfL) StopsNear(ctx context.Context, loc Location) ([]StopPoint, error) {
	u, err := c.url("/StopPoint", url.Values{
		"lat":       {strconv.FormatFloat(loc.Lat, 'f', -1, 64)},
		"lon":       {strconv.FormatFloat(loc.Lon, 'f', -1, 64)},
		"stopTypes": {"NaptanPublicBusCoachTram"},
		"radius":    {strconv.Itoa(SearchRadius)},
	})
	if err != nil {
		return nil, err
	}
	var body struct {
		StopPoints []StopPoint `json:"stopPoints"`
	}
	if err := get(ctx, c.HTTP, ServiceTfL, u, &body, classifyTfL(ErrUnexpectedStatus)); err != nil {
		return nil, err
	}
	if len(body.StopPoints) == 0 {
		return nil, fmt.Errorf("%s: within %d m of %v,%v: %w", ServiceTfL, SearchRadius, loc.Lat, loc.Lon, ErrNoStops)
	}
	stops := slices.Clone(body.StopPoints)
	slices.SortStableFunc(stops, func(a, b StopPoint) int { return cmp.Compare(a.Distance, b.Distance) })
	return stops, nil
}

// Arrivals returns the buses expected at the stop with the given NaPTAN id, in the order TfL
// lists them (which is not arrival order). A stop with nothing due gives an empty slice.
// Errors: ErrStopNotFound, or one of the classes every request can end in.
func (c *TfL) Arrivals(ctx context.Context, naptanID string) ([]Arrival, error) {
	u, err := c.url("/StopPoint/"+url.PathEscape(naptanID)+"/Arrivals", url.Values{})
	if err != nil {
		return nil, err
	}
	var arrivals []Arrival
	if err := get(ctx, c.HTTP, ServiceTfL, u, &arrivals, classifyTfL(ErrStopNotFound)); err != nil {
		return nil, fmt.Errorf("arrivals at %s: %w", naptanID, err)
	}
	return arrivals, nil
}

// url builds a request URL from an already escaped path and a query, adding the app_key.
func (c *TfL) url(escapedPath string, q url.Values) (*url.URL, error) {
	base, err := parseBase(ServiceTfL, cmpOr(c.BaseURL, TfLBaseURL))
	if err != nil {
		return nil, err
	}
	if c.AppKey != "" {
		q.Set("app_key", c.AppKey)
	}
	u, err := url.Parse(base.String() + escapedPath)
	if err != nil {
		return nil, fmt.Errorf("%s: bad path %q", ServiceTfL, escapedPath)
	}
	u.RawQuery = q.Encode()
	return u, nil
}

// classifyTfL picks the class of a TfL error response; notFound is the class of a 404.
func classifyTfL(notFound error) func(int, []byte) (string, error) {
	return func(status int, body []byte) (string, error) {
		// TfL's error bodies are not consistent (httpStatusCode is sometimes a string):
		// read only the message.
		var e struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(body, &e)
		if status == http.StatusNotFound {
			return truncate(e.Message, 200), notFound
		}
		// Anonymous callers over TfL's quota may get a 403 "Out of call volume quota"
		// rather than a 429: it is the same "too many requests".
		if status == http.StatusForbidden && strings.Contains(strings.ToLower(e.Message), "quota") {
			return truncate(e.Message, 200), ErrRateLimited
		}
		return truncate(e.Message, 200), classifyStatus(status)
	}
}
