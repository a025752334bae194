package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

// registerHaymarket makes the mock answer a whole lookup of SW1Y 4QU, each call after its delay.
func registerHaymarket(mt *httpmock.MockTransport, lookup, stops, arrivalsP, arrivalsL time.Duration) {
	mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/SW1Y%204QU",
		httpmock.NewStringResponder(http.StatusOK, bodyHaymarket).Delay(lookup))
	mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint",
		httpmock.NewStringResponder(http.StatusOK, bodyStops).Delay(stops))
	mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint/490007960P/Arrivals",
		httpmock.NewStringResponder(http.StatusOK, bodyArrivalsP).Delay(arrivalsP))
	mt.RegisterResponder(http.MethodGet, tflBase+"/StopPoint/490007960L/Arrivals",
		httpmock.NewStringResponder(http.StatusOK, bodyArrivalsL).Delay(arrivalsL))
}

func TestBoardsSequential(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		s, mt := newServices(t)
		registerHaymarket(mt, time.Second, 2*time.Second, 3*time.Second, 4*time.Second)

		start := time.Now()
		got, err := s.BoardsSequential("sw1y 4qu")
		katatest.Elapsed(t, start, 10*time.Second, "one request after another: 1s + 2s + 3s + 4s")
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, "490007960P", got[0].Stop.NaptanID, "nearest stop first")
		assert.Equal(t, "490007960L", got[1].Stop.NaptanID)
		assert.Equal(t, []api.Arrival{
			{LineName: "453", DestinationName: "Deptford Bridge", TimeToStation: 95},
			{LineName: "12", DestinationName: "Dulwich Library", TimeToStation: 190, PlatformName: "P"},
		}, got[0].Buses)
		assert.Equal(t, 4, mt.GetTotalCallCount(), "the third stop is not asked for")
	})
}

func TestRunSequential(t *testing.T) {
	s, mt := newServices(t)
	registerHaymarket(mt, 0, 0, 0, 0)
	mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/ZZ1%201ZZ",
		httpmock.NewStringResponder(http.StatusNotFound, bodyNotFound))

	var out strings.Builder
	err := api.RunSequential(strings.NewReader("SW1Y 4QU\nzz1 1zz\n"), &out, s)
	require.NoError(t, err)
	assert.Equal(t, api.Prompt+`Departure board for Haymarket / Charles II Street (Stop P):
  1 minute: 453 to Deptford Bridge
  3 minutes: 12 to Dulwich Library
Departure board for Piccadilly Circus  Haymarket (Stop L):
  due: 19 to Battersea Bridge
`+api.Prompt+"Error: postcodes.io: HTTP 404: postcode not found (Postcode not found)\n"+api.Prompt+"\n", out.String())
}
