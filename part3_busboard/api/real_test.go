package api_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/part3_busboard/api"
)

// The tests in this file run the clients against real responses of postcodes.io and the TfL
// Unified API, recorded by other projects or taken from the services' own documentation and
// source. Those files are not ours to commit: they stay in the project's shared collection,
// shared/real_api/ beside the repository (its SOURCES.md says where each comes from), or in
// the folder KATA_REAL_API names. Each file is served as the service served it, and what the
// client makes of it is checked against the file itself. Without the collection the tests
// skip, except in CI (CI=true), where they must run.

// realDir returns the folder of real responses, or skips the test when there is none.
func realDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KATA_REAL_API")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "real_api") // beside the repository's root
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		msg := fmt.Sprintf("no real API responses at %s (set KATA_REAL_API to the shared/real_api folder)", dir)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dir
}

// realFiles returns the JSON files of the real responses' folder dir and their contents.
func realFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(realDir(t), dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, names, "no files in real_api/%s", dir)
	files := map[string][]byte{}
	for _, name := range names {
		body, err := os.ReadFile(name)
		require.NoError(t, err)
		files[filepath.Base(name)] = body
	}
	return files
}

func TestRealPostcodeLookups(t *testing.T) {
	for name, body := range realFiles(t, "postcodes_lookup") {
		t.Run(name, func(t *testing.T) {
			var want struct {
				Result *struct {
					Postcode  string  `json:"postcode"`
					Latitude  float64 `json:"latitude"`
					Longitude float64 `json:"longitude"`
				} `json:"result"`
			}
			require.NoError(t, json.Unmarshal(body, &want))
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/SW1A%202AA",
				httpmock.NewBytesResponder(http.StatusOK, body))

			got, err := s.Postcodes.Locate(t.Context(), "SW1A 2AA")
			if want.Result == nil {
				// {"status":200,"result":null} is the reverse-geocode endpoint's miss; from
				// /postcodes/{pc} it would be a broken answer.
				assert.ErrorIs(t, err, api.ErrMalformed)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, api.Location{Lat: want.Result.Latitude, Lon: want.Result.Longitude}, got, "location of %s", want.Result.Postcode)
		})
	}
}

func TestRealPostcodeErrors(t *testing.T) {
	for name, body := range realFiles(t, "postcodes_lookup_404") {
		t.Run(name, func(t *testing.T) {
			var e struct {
				Status     int    `json:"status"`
				Error      string `json:"error"`
				Terminated *struct {
					Postcode string `json:"postcode"`
					Year     int    `json:"year_terminated"`
					Month    int    `json:"month_terminated"`
				} `json:"terminated"`
			}
			require.NoError(t, json.Unmarshal(body, &e))
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/AB1%200AA", httpmock.NewBytesResponder(e.Status, body))

			_, err := s.Postcodes.Locate(t.Context(), "AB1 0AA")
			var status *api.StatusError
			require.ErrorAs(t, err, &status)
			assert.Equal(t, e.Status, status.StatusCode)
			var terminated *api.TerminatedError
			switch {
			case e.Status >= 500:
				assert.ErrorIs(t, err, api.ErrUpstream)
			case e.Error == "Invalid postcode":
				assert.ErrorIs(t, err, api.ErrInvalidPostcode)
			case e.Terminated != nil: // postcodes.io 17.7.0 (December 2025) and later
				require.ErrorAs(t, err, &terminated)
				assert.Equal(t, api.TerminatedError{Postcode: e.Terminated.Postcode, Year: e.Terminated.Year, Month: e.Terminated.Month}, *terminated)
				assert.ErrorIs(t, err, api.ErrPostcodeNotFound)
			default: // before 17.7.0 a terminated postcode was this plain 404 too
				assert.ErrorIs(t, err, api.ErrPostcodeNotFound)
				assert.False(t, errors.As(err, &terminated), "a plain 404 says nothing of a termination")
			}
		})
	}
}

func TestRealStopPoints(t *testing.T) {
	for name, body := range realFiles(t, "tfl_stoppoint_radius") {
		t.Run(name, func(t *testing.T) {
			var want struct {
				StopPoints []api.StopPoint `json:"stopPoints"`
			}
			require.NoError(t, json.Unmarshal(body, &want))
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint", httpmock.NewBytesResponder(http.StatusOK, body))

			got, err := s.TfL.StopsNear(t.Context(), api.Location{Lat: 51.509, Lon: -0.133})
			require.NoError(t, err)
			assert.ElementsMatch(t, want.StopPoints, got, "every stop, with its id, indicator, name and distance")
			assert.True(t, slices.IsSortedFunc(got, func(a, b api.StopPoint) int {
				return cmpFloat(a.Distance, b.Distance)
			}), "nearest first")
			for _, stop := range got {
				assert.NotEmpty(t, stop.NaptanID, "every stop has its NaPTAN id")
			}
		})
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestRealArrivals(t *testing.T) {
	for name, body := range realFiles(t, "tfl_arrivals") {
		t.Run(name, func(t *testing.T) {
			var want []struct {
				LineName        string `json:"lineName"`
				DestinationName string `json:"destinationName"`
				TimeToStation   int    `json:"timeToStation"`
				PlatformName    string `json:"platformName"`
			}
			require.NoError(t, json.Unmarshal(body, &want))
			require.NotEmpty(t, want)
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint/490007960P/Arrivals", httpmock.NewBytesResponder(http.StatusOK, body))

			got, err := s.TfL.Arrivals(t.Context(), "490007960P")
			require.NoError(t, err)
			require.Len(t, got, len(want))
			for i, w := range want {
				assert.Equal(t, api.Arrival{LineName: w.LineName, DestinationName: w.DestinationName,
					TimeToStation: w.TimeToStation, PlatformName: w.PlatformName}, got[i], "prediction %d", i)
			}
			board := api.NewBoard(api.StopPoint{NaptanID: "490007960P"}, got)
			assert.LessOrEqual(t, len(board.Buses), 5)
			assert.True(t, slices.IsSortedFunc(board.Buses, func(a, b api.Arrival) int { return a.TimeToStation - b.TimeToStation }))
		})
	}
}

func TestRealTfLErrors(t *testing.T) {
	for name, body := range realFiles(t, "tfl_error") {
		t.Run(name, func(t *testing.T) {
			var e struct {
				Message string `json:"message"`
			}
			require.NoError(t, json.Unmarshal(body, &e))
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint/1a2b3c4d/Arrivals", httpmock.NewBytesResponder(http.StatusNotFound, body))

			_, err := s.TfL.Arrivals(t.Context(), "1a2b3c4d")
			assert.ErrorIs(t, err, api.ErrStopNotFound)
			var status *api.StatusError
			require.ErrorAs(t, err, &status)
			assert.Equal(t, e.Message, status.Message, "the service's own explanation is kept")
		})
	}
	for name, body := range realFiles(t, "tfl_429_proxy") {
		t.Run(name, func(t *testing.T) {
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint/490007960P/Arrivals", httpmock.NewBytesResponder(http.StatusTooManyRequests, body))

			_, err := s.TfL.Arrivals(t.Context(), "490007960P")
			assert.ErrorIs(t, err, api.ErrRateLimited)
		})
	}
}
