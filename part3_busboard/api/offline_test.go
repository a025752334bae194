package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

// lookup does what BoardsSequential does, with a context, so a hanging fixture can time out.
func lookup(ctx context.Context, s *api.Services, postcode string) ([]api.Board, error) {
	loc, err := s.Postcodes.Locate(ctx, postcode)
	if err != nil {
		return nil, err
	}
	stops, err := s.TfL.StopsNear(ctx, loc)
	if err != nil {
		return nil, err
	}
	var boards []api.Board
	for _, stop := range stops[:min(len(stops), api.StopsPerLookup)] {
		arrivals, err := s.TfL.Arrivals(ctx, stop.NaptanID)
		if err != nil {
			return nil, err
		}
		boards = append(boards, api.NewBoard(stop, arrivals))
	}
	return boards, nil
}

func TestOffline(t *testing.T) {
	tests := []struct {
		give       string
		wantStops  []string
		wantBuses  []int
		wantErr    error
		wantStatus int
	}{
		{give: "NW5 1TL", wantStops: []string{"490008660S", "490008660N"}, wantBuses: []int{4, 5}},
		{give: "sw1y4qu", wantStops: []string{"490007960P", "490007960L"}, wantBuses: []int{5, 5}},
		{give: "N9 0AB", wantStops: []string{"490009190E", "490000427Z"}, wantBuses: []int{3, 0}},
		{give: "AB1 0AA", wantErr: api.ErrPostcodeNotFound, wantStatus: 404},
		{give: "ZZ1 1ZZ", wantErr: api.ErrPostcodeNotFound, wantStatus: 404},
		{give: "NOTAPOSTCODE", wantErr: api.ErrInvalidPostcode, wantStatus: 404},
		{give: "sw1a-2aa", wantErr: api.ErrInvalidPostcode},
		{give: "GY1 1AA", wantErr: api.ErrNoLocation},
		{give: "EH1 1YZ", wantErr: api.ErrNoStops},
		{give: "E20 2ST", wantErr: api.ErrStopNotFound, wantStatus: 404},
		{give: "E1 6AN", wantErr: api.ErrRateLimited, wantStatus: 429},
		{give: "EC1A 1BB", wantErr: api.ErrUpstream, wantStatus: 503},
		{give: "WC2N 5DU", wantErr: api.ErrMalformed},
		{give: "SE1 7PB", wantErr: context.DeadlineExceeded},
		{give: "W1A 1AA", wantErr: api.ErrUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				hc := &http.Client{Transport: api.Offline()}
				s := &api.Services{Postcodes: api.Postcodes{HTTP: hc}, TfL: api.TfL{HTTP: hc}}
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				defer cancel()

				got, err := lookup(ctx, s, tt.give)
				if tt.wantErr != nil {
					assert.ErrorIs(t, err, tt.wantErr)
					var statusErr *api.StatusError
					if tt.wantStatus != 0 && assert.ErrorAs(t, err, &statusErr) {
						assert.Equal(t, tt.wantStatus, statusErr.StatusCode)
					}
					return
				}
				require.NoError(t, err)
				var stops []string
				var buses []int
				for _, b := range got {
					stops, buses = append(stops, b.Stop.NaptanID), append(buses, len(b.Buses))
				}
				assert.Equal(t, tt.wantStops, stops)
				assert.Equal(t, tt.wantBuses, buses)
			})
		})
	}
}

func TestOfflineListsEveryFixture(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		hc := &http.Client{Transport: api.Offline()}
		p := api.Postcodes{HTTP: hc}
		for _, o := range api.OfflinePostcodes {
			_, err := p.Locate(t.Context(), o.Postcode)
			assert.NotErrorIs(t, err, api.ErrInvalidPostcode, o.Postcode)
			if o.Postcode != "AB1 0AA" {
				assert.NotErrorIs(t, err, api.ErrPostcodeNotFound, "%s has a fixture", o.Postcode)
			}
		}
	})
}

func TestOfflineOtherHosts(t *testing.T) {
	hc := &http.Client{Transport: api.Offline()}
	p := api.Postcodes{BaseURL: "https://elsewhere.test", HTTP: hc}
	_, err := p.Locate(t.Context(), "N9 0AB")
	assert.ErrorIs(t, err, api.ErrUnreachable)
}

// TestOfflineFixturesLikeReal checks that the embedded fixtures keep what the real services
// send (compare shared/real_api): each prediction's expectedArrival is its timestamp plus its
// timeToStation, and a postcode's country and grid reference are filled in.
func TestOfflineFixturesLikeReal(t *testing.T) {
	arrivals, err := filepath.Glob("fixtures/arrivals/*.json")
	require.NoError(t, err)
	for _, name := range arrivals {
		body, err := os.ReadFile(name)
		require.NoError(t, err)
		var predictions []struct {
			Timestamp       time.Time `json:"timestamp"`
			TimeToStation   int       `json:"timeToStation"`
			ExpectedArrival time.Time `json:"expectedArrival"`
		}
		require.NoError(t, json.Unmarshal(body, &predictions), name)
		for i, p := range predictions {
			want := p.Timestamp.Add(time.Duration(p.TimeToStation) * time.Second).Truncate(time.Second)
			assert.Equal(t, want, p.ExpectedArrival, "%s prediction %d: expectedArrival = timestamp + timeToStation", name, i)
		}
	}
	postcodes, err := filepath.Glob("fixtures/postcodes/*.json")
	require.NoError(t, err)
	for _, name := range postcodes {
		body, err := os.ReadFile(name)
		require.NoError(t, err)
		var pc struct {
			Result *struct {
				Postcode      string   `json:"postcode"`
				Country       string   `json:"country"`
				Latitude      *float64 `json:"latitude"`
				Eastings      *int     `json:"eastings"`
				AdminDistrict *string  `json:"admin_district"`
			} `json:"result"`
		}
		require.NoError(t, json.Unmarshal(body, &pc), name)
		if r := pc.Result; r != nil && r.Latitude != nil {
			assert.NotNil(t, r.Eastings, "%s: eastings", name)
			assert.NotNil(t, r.AdminDistrict, "%s: admin_district", name)
			if strings.HasPrefix(r.Postcode, "EH") {
				assert.Equal(t, "Scotland", r.Country, "%s: Edinburgh is in Scotland", name)
			}
		}
	}
}
