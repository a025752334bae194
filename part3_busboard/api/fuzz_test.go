package api_test

import (
	"errors"
	"testing"

	"github.com/jarcoal/httpmock"
)

// FuzzResponses checks that no answer a service can send — any status, any body — panics a
// client, and that every failure lands in one of the classes the console can explain.
func FuzzResponses(f *testing.F) {
	for _, body := range []string{bodyHaymarket, bodyInvalid, bodyTerminated, bodyNoLocation, bodyStops, bodyNoStops,
		bodyArrivalsP, bodyStopUnknown, body429, ``, `null`, `{"result":null}`, `{"stopPoints":[null]}`, `[null]`, `{`, "\xff"} {
		for _, status := range []int{200, 404, 429, 500} {
			f.Add(status, body, "SW1Y 4QU")
		}
	}
	f.Fuzz(func(t *testing.T, status int, body, postcode string) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		s, mt := newServices(t)
		mt.RegisterNoResponder(httpmock.NewStringResponder(status, body))

		loc, err := s.Postcodes.Locate(t.Context(), postcode)
		checkClassified(t, "Locate", status, body, err)
		_, err = s.TfL.StopsNear(t.Context(), loc)
		checkClassified(t, "StopsNear", status, body, err)
		_, err = s.TfL.Arrivals(t.Context(), postcode)
		checkClassified(t, "Arrivals", status, body, err)
	})
}

func checkClassified(t *testing.T, call string, status int, body string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, class := range classes {
		if errors.Is(err, class) {
			return
		}
	}
	t.Fatalf("%s with HTTP %d %q: error %v wraps none of the api package's classes", call, status, body, err)
}
