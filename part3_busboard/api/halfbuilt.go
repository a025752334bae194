package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
)

// Prompt is what the console runners print before reading a postcode.
const Prompt = "Enter your postcode: "

// BoardsSequential is the "half-built" lookup the katas start from. It finds where postcode
// is, then the stops near it, then asks for the arrivals of the StopsPerLookup nearest stops
// one after the other, and returns their boards in that order.
//
// It is blocking in the way the Python starter's requests calls are: it takes no context, so
// nothing can cancel it or put a time limit on it, and each request waits for the one
// before. It takes lookup + stop search + every arrivals call added together.
func (s *Services) BoardsSequential(postcode string) ([]Board, error) {
	ctx := context.Background() // nothing can cancel this: that is the problem
	loc, err := s.Postcodes.Locate(ctx, postcode)
	if err != nil {
		return nil, err
	}
	stops, err := s.TfL.StopsNear(ctx, loc)
	if err != nil {
		return nil, err
	}
	var boards []Board
	for _, stop := range stops[:min(len(stops), StopsPerLookup)] {
		arrivals, err := s.TfL.Arrivals(ctx, stop.NaptanID)
		if err != nil {
			return nil, err
		}
		boards = append(boards, NewBoard(stop, arrivals))
	}
	return boards, nil
}

// RunSequential is the "half-built" console app: it prompts with Prompt, reads a postcode
// per line from in, and prints the boards from BoardsSequential to out. On any error it
// prints the error's raw text — it cannot tell one failure from another — and prompts again.
// It returns nil at the end of in, or the first error reading in (a line longer than
// bufio.MaxScanTokenSize, 64 KB, is one: it says so rather than drop the rest of the input)
// or writing to out. Nothing can interrupt it while a lookup is running.
func RunSequential(in io.Reader, out io.Writer, s *Services) error {
	lines := bufio.NewScanner(in)
	for {
		if _, err := fmt.Fprint(out, Prompt); err != nil {
			return err
		}
		if !lines.Scan() {
			if _, err := fmt.Fprintln(out); err != nil {
				return err
			}
			switch err := lines.Err(); {
			case errors.Is(err, bufio.ErrTooLong):
				return fmt.Errorf("reading a postcode: a line of input is longer than the %d bytes the half-built app can read: %w",
					bufio.MaxScanTokenSize, err)
			case err != nil:
				return fmt.Errorf("reading a postcode: %w", err)
			}
			return nil
		}
		boards, err := s.BoardsSequential(lines.Text())
		if err != nil {
			if _, err := fmt.Fprintf(out, "Error: %v\n", err); err != nil {
				return err
			}
			continue
		}
		if err := Print(out, boards); err != nil {
			return err
		}
	}
}
