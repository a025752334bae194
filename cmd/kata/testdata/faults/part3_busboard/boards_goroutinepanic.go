package busboard

import (
	"context"
	"sync"

	"github.com/go-async-katas/katas/part3_busboard/api"
)

// Boards makes its slice of boards one short, so the last stop's goroutine indexes past
// its end and panics.
func Boards(ctx context.Context, s *api.Services, postcode string) ([]api.Board, error) {
	loc, err := s.Postcodes.Locate(ctx, postcode)
	if err != nil {
		return nil, err
	}
	stops, err := s.TfL.StopsNear(ctx, loc)
	if err != nil {
		return nil, err
	}
	stops = stops[:min(len(stops), api.StopsPerLookup)]
	boards := make([]api.Board, len(stops)-1)
	errs := make([]error, len(stops))
	var wg sync.WaitGroup
	for i, stop := range stops {
		wg.Go(func() {
			arrivals, err := s.TfL.Arrivals(ctx, stop.NaptanID)
			if err != nil {
				errs[i] = err
				return
			}
			boards[i] = api.NewBoard(stop, arrivals) // fault
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return boards, nil
}
