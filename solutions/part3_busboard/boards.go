package busboard

import (
	"context"
	"sync"

	"github.com/go-async-katas/katas/part3_busboard/api"
)

// Boards looks up the departure boards near postcode. Like api.Services.BoardsSequential it
// finds where postcode is (s.Postcodes.Locate), then the stops near it (s.TfL.StopsNear),
// then the arrivals of the api.StopsPerLookup nearest stops (s.TfL.Arrivals) — but it asks
// for those arrivals all at the same time, so it takes lookup + stop search + the slowest
// arrivals call, not the sum of them all. The boards (api.NewBoard) come back in stop order,
// nearest first, whichever answer arrived first.
//
// Every request uses ctx. If a request fails, Boards returns nil boards and that request's
// error, as it is or wrapped with %w (the first to fail in time, if several fail, whichever
// its stop), and cancels the arrivals requests still running. Every goroutine it starts has
// finished when it returns, and the context it gave the arrivals requests has ended, success
// or not, so nothing left watching it lives on. It is safe for concurrent use.
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

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	boards := make([]api.Board, len(stops)) // goroutine i writes only boards[i]
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for i, stop := range stops {
		wg.Go(func() {
			arrivals, err := s.TfL.Arrivals(ctx, stop.NaptanID)
			if err != nil {
				once.Do(func() {
					firstErr = err
					cancel(err) // the other requests are no use now
				})
				return
			}
			boards[i] = api.NewBoard(stop, arrivals)
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return boards, nil
}
