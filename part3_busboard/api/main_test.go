package api_test

import (
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// Test base URLs: the clients must use the configured base, never the real one.
const (
	postcodesBase = "https://postcodes.test"
	tflBase       = "https://tfl.test"
)

// newServices returns services whose requests all go to a fresh mock transport.
func newServices(t *testing.T) (*api.Services, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mt}
	return &api.Services{
		Postcodes: api.Postcodes{BaseURL: postcodesBase, HTTP: hc},
		TfL:       api.TfL{BaseURL: tflBase, HTTP: hc},
	}, mt
}

// Bodies in the shapes the real services send, as their documentation shows them
// (https://postcodes.io/docs and https://api.tfl.gov.uk, the Unified API's Swagger pages);
// the project's shared collection of whole real responses (shared/real_api, beside the
// repository) is what real_test.go runs the clients on.
const (
	bodyHaymarket  = `{"status":200,"result":{"postcode":"SW1Y 4QU","longitude":-0.132441,"latitude":51.509364,"region":"London","outcode":"SW1Y","incode":"4QU"}}`
	bodyInvalid    = `{"status":404,"error":"Invalid postcode"}`
	bodyNotFound   = `{"status":404,"error":"Postcode not found"}`
	bodyTerminated = `{"status":404,"error":"Postcode not found","terminated":{"postcode":"AB1 0AA","year_terminated":1996,"month_terminated":6,"longitude":-2.242835,"latitude":57.101474}}`
	bodyNoLocation = `{"status":200,"result":{"postcode":"GY1 1AA","longitude":null,"latitude":null}}`
	bodyServer500  = `{"status":500,"error":"Internal server error"}`
	bodyStops      = `{"centrePoint":[51.509,-0.133],"stopPoints":[
		{"naptanId":"490007960L","indicator":"Stop L","commonName":"Piccadilly Circus  Haymarket","distance":73.497,"lat":51.509637,"lon":-0.13272,"modes":["bus"]},
		{"naptanId":"490007960P","indicator":"Stop P","commonName":"Haymarket / Charles II Street","distance":62.518,"lat":51.50898,"lon":-0.132098,"modes":["bus"]},
		{"naptanId":"490010783D","indicator":"Stop D","commonName":"Trafalgar Square","distance":390.1,"lat":51.50772,"lon":-0.12783,"modes":["bus"]}],
		"pageSize":0,"total":0,"page":0}`
	bodyNoStops     = `{"centrePoint":[55.95,-3.19],"stopPoints":[],"pageSize":0,"total":0,"page":0}`
	bodyArrivalsP   = `[{"naptanId":"490007960P","lineName":"12","destinationName":"Dulwich Library","timeToStation":190,"platformName":"P","timing":{"read":"2017-12-07T12:52:30.397"}},{"naptanId":"490007960P","lineName":"453","destinationName":"Deptford Bridge","timeToStation":95}]`
	bodyArrivalsL   = `[{"naptanId":"490007960L","lineName":"19","destinationName":"Battersea Bridge","timeToStation":42}]`
	bodyStopUnknown = `{"exceptionType":"EntityNotFoundException","httpStatusCode":404,"httpStatus":"NotFound","message":"The following stop point is not recognised: 1a2b3c4d"}`
	body429         = `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 58 seconds."}`
	body403Quota    = `{"statusCode":403,"message":"Out of call volume quota. Quota will be replenished in 00:00:59."}`
)

// classes are the errors every failure of a client wraps one of.
var classes = []error{
	api.ErrInvalidPostcode, api.ErrPostcodeNotFound, api.ErrNoLocation, api.ErrNoStops, api.ErrStopNotFound,
	api.ErrRateLimited, api.ErrUpstream, api.ErrUnexpectedStatus, api.ErrMalformed, api.ErrUnreachable,
}
