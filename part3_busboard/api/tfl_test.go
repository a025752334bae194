package api_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/part3_busboard/api"
)

var haymarket = api.Location{Lat: 51.509364, Lon: -0.132441}

func TestStopsNear(t *testing.T) {
	s, mt := newServices(t)
	var query url.Values
	mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint", func(req *http.Request) (*http.Response, error) {
		query = req.URL.Query()
		return httpmock.NewStringResponse(http.StatusOK, bodyStops), nil
	})

	got, err := s.TfL.StopsNear(t.Context(), haymarket)
	require.NoError(t, err)
	var ids []string
	for _, stop := range got {
		ids = append(ids, stop.NaptanID)
	}
	assert.Equal(t, []string{"490007960P", "490007960L", "490010783D"}, ids, "nearest first")
	assert.Equal(t, api.StopPoint{NaptanID: "490007960P", Indicator: "Stop P", CommonName: "Haymarket / Charles II Street",
		Distance: 62.518, Lat: 51.50898, Lon: -0.132098}, got[0])
	assert.Equal(t, url.Values{
		"lat": {"51.509364"}, "lon": {"-0.132441"}, "stopTypes": {"NaptanPublicBusCoachTram"}, "radius": {"1000"},
	}, query, "no app_key is sent when none is set")
}

func TestStopsNearErrors(t *testing.T) {
	tests := []struct {
		name       string
		giveStatus int
		giveBody   string
		want       error
	}{
		{"no stops", http.StatusOK, bodyNoStops, api.ErrNoStops},
		{"no stops, null", http.StatusOK, `{"stopPoints":null}`, api.ErrNoStops},
		{"rate limited", http.StatusTooManyRequests, body429, api.ErrRateLimited},
		{"server error", http.StatusServiceUnavailable, `{"message":"down"}`, api.ErrUpstream},
		{"malformed", http.StatusOK, `{"stopPoints":[{"naptanId":`, api.ErrMalformed},
		{"wrong shape", http.StatusOK, `[]`, api.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint", httpmock.NewStringResponder(tt.giveStatus, tt.giveBody))
			_, err := s.TfL.StopsNear(t.Context(), haymarket)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestArrivals(t *testing.T) {
	s, mt := newServices(t)
	mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint/490007960P/Arrivals", httpmock.NewStringResponder(http.StatusOK, bodyArrivalsP))
	mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint/490000427Z/Arrivals", httpmock.NewStringResponder(http.StatusOK, `[]`))

	got, err := s.TfL.Arrivals(t.Context(), "490007960P")
	require.NoError(t, err)
	assert.Equal(t, []api.Arrival{
		{LineName: "12", DestinationName: "Dulwich Library", TimeToStation: 190, PlatformName: "P"},
		{LineName: "453", DestinationName: "Deptford Bridge", TimeToStation: 95},
	}, got, "in TfL's order")

	got, err = s.TfL.Arrivals(t.Context(), "490000427Z")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestArrivalsErrors(t *testing.T) {
	tests := []struct {
		name       string
		giveStatus int
		giveBody   string
		want       error
	}{
		{"unknown stop", http.StatusNotFound, bodyStopUnknown, api.ErrStopNotFound},
		{"rate limited", http.StatusTooManyRequests, body429, api.ErrRateLimited},
		{"over quota", http.StatusForbidden, body403Quota, api.ErrRateLimited},
		{"forbidden", http.StatusForbidden, `{"statusCode":403,"message":"Access denied due to invalid subscription key."}`, api.ErrUnexpectedStatus},
		{"server error", http.StatusInternalServerError, ``, api.ErrUpstream},
		{"malformed", http.StatusOK, `[{"lineName":12}]`, api.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint/1a2b3c4d/Arrivals", httpmock.NewStringResponder(tt.giveStatus, tt.giveBody))
			_, err := s.TfL.Arrivals(t.Context(), "1a2b3c4d")
			assert.ErrorIs(t, err, tt.want)
			var statusErr *api.StatusError
			if tt.giveStatus != http.StatusOK {
				require.ErrorAs(t, err, &statusErr)
				assert.Equal(t, api.ServiceTfL, statusErr.Service)
				assert.Equal(t, tt.giveStatus, statusErr.StatusCode)
			}
		})
	}
}

func TestArrivalsEscapesID(t *testing.T) {
	s, mt := newServices(t)
	var path string
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		path = req.URL.EscapedPath()
		return httpmock.NewStringResponse(http.StatusOK, `[]`), nil
	})
	_, err := s.TfL.Arrivals(t.Context(), "a/b?c")
	require.NoError(t, err)
	assert.Equal(t, "/StopPoint/a%2Fb%3Fc/Arrivals", path)
}

// TestAppKeyNeverPrinted checks that the key is sent, and that no error, and no printing of
// the client, shows it.
func TestAppKeyNeverPrinted(t *testing.T) {
	const key = "s3cr3t-app-key"
	t.Setenv(api.AppKeyEnv, key)
	tests := []struct {
		name      string
		responder httpmock.Responder
	}{
		{"status error", httpmock.NewStringResponder(http.StatusTooManyRequests, body429)},
		{"malformed", httpmock.NewStringResponder(http.StatusOK, `{`)},
		{"unreachable", httpmock.NewErrorResponder(errors.New("connection refused"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			c := api.NewTfL(&http.Client{Transport: mt})
			c.BaseURL = tflBase
			var sent string
			mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint", func(req *http.Request) (*http.Response, error) {
				sent = req.URL.Query().Get("app_key")
				return tt.responder(req)
			})

			_, err := c.StopsNear(t.Context(), haymarket)
			require.Error(t, err)
			assert.Equal(t, key, sent, "the key from %s is sent as app_key", api.AppKeyEnv)
			assert.NotContains(t, err.Error(), key)
			assert.NotContains(t, fmt.Sprintf("%v %+v %s", c, c, c), key)
		})
	}
}
