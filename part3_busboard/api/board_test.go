package api_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/part3_busboard/api"
)

func TestNewBoard(t *testing.T) {
	stop := api.StopPoint{NaptanID: "490008660N", CommonName: "Lady Somerset Road"}
	give := []api.Arrival{
		{LineName: "214", TimeToStation: 1086}, {LineName: "C2", TimeToStation: 245},
		{LineName: "214", TimeToStation: 412}, {LineName: "C2", TimeToStation: 1510},
		{LineName: "214", TimeToStation: 1790}, {LineName: "C2", TimeToStation: 2030},
		{LineName: "214", TimeToStation: 75},
	}
	before := append([]api.Arrival(nil), give...)

	got := api.NewBoard(stop, give)
	var times []int
	for _, a := range got.Buses {
		times = append(times, a.TimeToStation)
	}
	assert.Equal(t, stop, got.Stop)
	assert.Equal(t, []int{75, 245, 412, 1086, 1510}, times, "the five soonest, soonest first")
	assert.Equal(t, before, give, "NewBoard must not reorder its argument")
	assert.Empty(t, api.NewBoard(stop, nil).Buses)
}

func TestPrint(t *testing.T) {
	boards := []api.Board{
		{Stop: api.StopPoint{CommonName: "Haymarket / Charles II Street", Indicator: "Stop P"}, Buses: []api.Arrival{
			{LineName: "453", DestinationName: "Deptford Bridge", TimeToStation: 30},
			{LineName: "12", DestinationName: "Dulwich Library", TimeToStation: 95},
			{LineName: "88", DestinationName: "Clapham Common", TimeToStation: 190},
		}},
		{Stop: api.StopPoint{CommonName: "Church Street"}},
	}
	var out strings.Builder
	require.NoError(t, api.Print(&out, boards))
	assert.Equal(t, `Departure board for Haymarket / Charles II Street (Stop P):
  due: 453 to Deptford Bridge
  1 minute: 12 to Dulwich Library
  3 minutes: 88 to Clapham Common
Departure board for Church Street:
  No buses due at the moment.
`, out.String())
}

func TestProblemMessages(t *testing.T) {
	seen := map[string]api.Problem{}
	for _, p := range api.Problems {
		msg := p.Message()
		assert.NotEmpty(t, msg, p.String())
		if other, ok := seen[msg]; ok {
			t.Errorf("%v and %v share the message %q: each problem needs its own", p, other, msg)
		}
		seen[msg] = p
		assert.NotContains(t, p.String(), "Problem(", "every listed problem has a name")
	}
	assert.Equal(t, api.OtherProblem, api.Problem(0), "the zero value is OtherProblem")
	assert.Equal(t, api.OtherProblem.Message(), api.Problem(99).Message())
}

func TestProblemExplain(t *testing.T) {
	unreachable := func(service string) error {
		return fmt.Errorf("lookup: %w", &api.UnreachableError{Service: service, Err: errors.New("dial tcp: connection refused")})
	}
	tests := []struct {
		name string
		give api.Problem
		err  error
		want string
	}{
		{"postcodes.io unreachable", api.Unreachable, unreachable(api.ServicePostcodes), "Sorry, I couldn't reach postcodes.io. Are you online?"},
		{"TfL unreachable", api.Unreachable, unreachable(api.ServiceTfL), "Sorry, I couldn't reach TfL. Are you online?"},
		{"TfL failing", api.ServerError, &api.StatusError{Service: api.ServiceTfL, StatusCode: 503, Err: api.ErrUpstream},
			"Sorry, TfL is having problems. Please try again later."},
		{"terminated", api.TerminatedPostcode, &api.TerminatedError{Postcode: "AB1 0AA", Year: 1996, Month: 6},
			"Sorry, AB1 0AA is no longer in use: it was terminated in June 1996. Try the one that replaced it."},
		{"terminated, no date", api.TerminatedPostcode, &api.TerminatedError{Postcode: "AB1 0AA"}, api.TerminatedPostcode.Message()},
		{"nothing more to say", api.NoStops, api.ErrNoStops, api.NoStops.Message()},
		{"another problem's detail", api.ServerError, unreachable(api.ServiceTfL), api.ServerError.Message()},
		{"nil", api.Unreachable, nil, api.Unreachable.Message()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.give.Explain(tt.err), "%v.Explain(%v)", tt.give, tt.err)
		})
	}
}
