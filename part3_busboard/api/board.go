package api

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
)

// BusesPerBoard is how many buses a departure board shows.
const BusesPerBoard = 5

// StopsPerLookup is how many stops, nearest first, a lookup shows boards for.
const StopsPerLookup = 2

// Board is the departure board of one stop: its next buses, soonest first.
type Board struct {
	Stop  StopPoint
	Buses []Arrival // at most BusesPerBoard, sorted by TimeToStation
}

// NewBoard builds the board of stop from its arrivals, in any order: it keeps the
// BusesPerBoard soonest, sorted by TimeToStation. It does not modify arrivals.
func NewBoard(stop StopPoint, arrivals []Arrival) Board {
	buses := slices.Clone(arrivals)
	slices.SortStableFunc(buses, func(a, b Arrival) int { return cmp.Compare(a.TimeToStation, b.TimeToStation) })
	return Board{Stop: stop, Buses: buses[:min(len(buses), BusesPerBoard)]}
}

// Print writes the boards in order, each like
//
//	Departure board for Haymarket / Charles II Street (Stop P):
//	  3 minutes: 12 to Dulwich Library
func Print(w io.Writer, boards []Board) error {
	for _, b := range boards {
		name := b.Stop.CommonName
		if b.Stop.Indicator != "" {
			name += " (" + b.Stop.Indicator + ")"
		}
		if _, err := fmt.Fprintf(w, "Departure board for %s:\n", name); err != nil {
			return err
		}
		if len(b.Buses) == 0 {
			if _, err := fmt.Fprintln(w, "  No buses due at the moment."); err != nil {
				return err
			}
		}
		for _, a := range b.Buses {
			if _, err := fmt.Fprintf(w, "  %s: %s to %s\n", minutes(a.TimeToStation), a.LineName, a.DestinationName); err != nil {
				return err
			}
		}
	}
	return nil
}

// minutes says how far away a bus is, the way a board at a stop does.
func minutes(secs int) string {
	switch m := secs / 60; {
	case m < 1:
		return "due"
	case m == 1:
		return "1 minute"
	default:
		return fmt.Sprintf("%d minutes", m)
	}
}

// Services is what a lookup needs: the two clients. Its zero value talks to the real APIs
// through http.DefaultClient without an app_key.
type Services struct {
	Postcodes Postcodes
	TfL       TfL
}

// NewServices returns services using hc for every request (nil means
// http.DefaultClient) and the TfL app_key from the environment.
func NewServices(hc *http.Client) Services {
	return Services{Postcodes: Postcodes{HTTP: hc}, TfL: *NewTfL(hc)}
}

// BoardsFunc looks up the departure boards near a postcode. It is the shape of
// Services.BoardsSequential (with a context) and of the katas' Boards.
type BoardsFunc func(ctx context.Context, postcode string) ([]Board, error)
