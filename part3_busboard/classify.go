package busboard

import (
	"context"
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
	// TODO: return the api.Problem err wraps: use errors.Is for the sentinels and the
	// context errors, errors.As for *api.TerminatedError.
	return api.OtherProblem
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
	// TODO: prompt, wait for a line or for ctx to end, look the line up with boards, and
	// print the boards or Classify(err).Explain(err); repeat until lines is closed.
	return api.ErrNotImplemented
}
