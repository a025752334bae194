package busboard

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/go-async-katas/katas/part3_busboard/api"
)

// Classify says which api.Problem err is, so the console can say something useful: a
// *api.TerminatedError is api.TerminatedPostcode, api.ErrInvalidPostcode is
// api.InvalidPostcode, context.DeadlineExceeded is api.TimedOut, and so on for every class
// in the api package's errors that has a Problem of its own, however deeply err wraps it.
// nil, api.ErrUnexpectedStatus (a status the clients do not expect: no advice fits it), and
// errors that wrap none of the classes are api.OtherProblem.
//
// It decides by identity (errors.Is, errors.As), never by an error's text.
func Classify(err error) api.Problem {
	var terminated *api.TerminatedError
	switch {
	case err == nil:
		return api.OtherProblem
	case errors.Is(err, context.Canceled):
		return api.Cancelled
	case errors.Is(err, context.DeadlineExceeded):
		return api.TimedOut
	case errors.As(err, &terminated): // before ErrPostcodeNotFound, which it wraps
		return api.TerminatedPostcode
	case errors.Is(err, api.ErrInvalidPostcode):
		return api.InvalidPostcode
	case errors.Is(err, api.ErrPostcodeNotFound):
		return api.UnknownPostcode
	case errors.Is(err, api.ErrNoLocation):
		return api.NoLocation
	case errors.Is(err, api.ErrNoStops):
		return api.NoStops
	case errors.Is(err, api.ErrStopNotFound):
		return api.StopNotFound
	case errors.Is(err, api.ErrRateLimited):
		return api.RateLimited
	case errors.Is(err, api.ErrUpstream):
		return api.ServerError
	case errors.Is(err, api.ErrMalformed):
		return api.BadResponse
	case errors.Is(err, api.ErrUnreachable):
		return api.Unreachable
	default:
		return api.OtherProblem
	}
}

// Run is the console app. It prints api.Prompt to out, takes the next line from lines (what
// the person typed), looks it up with boards(ctx, line), and prints the boards (api.Print)
// or, if the lookup failed, what the problem Classify finds says of the error
// (Classify(err).Explain(err)), on a line of its own.
// Then it prompts again: no failed lookup stops it.
//
// When lines is closed (the end of the input, Ctrl-D) Run prints a newline and returns nil.
// When ctx ends (Ctrl-C) Run returns ctx's error at once, without prompting again, whether it
// was waiting for a line or for a lookup, which boards abandons because it has ctx too. Run
// returns the first error writing to out. It starts no goroutines.
func Run(ctx context.Context, lines <-chan string, out io.Writer, boards api.BoardsFunc) error {
	for {
		if _, err := fmt.Fprint(out, api.Prompt); err != nil {
			return err
		}
		var line string
		select {
		case <-ctx.Done():
			return ctx.Err()
		case l, ok := <-lines:
			if !ok {
				_, err := fmt.Fprintln(out)
				return err
			}
			line = l
		}
		found, err := boards(ctx, line)
		if ctx.Err() != nil {
			return ctx.Err() // Ctrl-C: whatever boards said, stop here
		}
		if err != nil {
			if _, err := fmt.Fprintln(out, Classify(err).Explain(err)); err != nil {
				return err
			}
			continue
		}
		if err := api.Print(out, found); err != nil {
			return err
		}
	}
}
