package busboard_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	busboard "github.com/go-async-katas/katas/part3_busboard"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

// statusErr is what the clients return for an HTTP error response of class err.
func statusErr(service string, status int, err error) error {
	return fmt.Errorf("arrivals at 490007960L: %w", &api.StatusError{Service: service, StatusCode: status, Err: err})
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		give error
		want api.Problem
	}{
		{"invalid postcode", statusErr(api.ServicePostcodes, 404, api.ErrInvalidPostcode), api.InvalidPostcode},
		{"invalid, found locally", fmt.Errorf("%q: %w", "SW1A-2AA", api.ErrInvalidPostcode), api.InvalidPostcode},
		{"unknown postcode", statusErr(api.ServicePostcodes, 404, api.ErrPostcodeNotFound), api.UnknownPostcode},
		{"terminated postcode", statusErr(api.ServicePostcodes, 404, &api.TerminatedError{Postcode: "AB1 0AA", Year: 1996, Month: 6}), api.TerminatedPostcode},
		{"no location", fmt.Errorf("postcodes.io: GY1 1AA: %w", api.ErrNoLocation), api.NoLocation},
		{"no stops", fmt.Errorf("TfL: within 1000 m: %w", api.ErrNoStops), api.NoStops},
		{"stop not found", statusErr(api.ServiceTfL, 404, api.ErrStopNotFound), api.StopNotFound},
		{"rate limited", statusErr(api.ServiceTfL, 429, api.ErrRateLimited), api.RateLimited},
		{"server error", statusErr(api.ServiceTfL, 503, api.ErrUpstream), api.ServerError},
		{"malformed", fmt.Errorf("TfL: %w: %w", api.ErrMalformed, errors.New("unexpected end of JSON input")), api.BadResponse},
		{"timeout", fmt.Errorf("TfL: %w", &url.Error{Op: "Get", URL: "https://tfl.test/StopPoint", Err: context.DeadlineExceeded}), api.TimedOut},
		{"cancelled", fmt.Errorf("postcodes.io: %w", &url.Error{Op: "Get", URL: "https://postcodes.test", Err: context.Canceled}), api.Cancelled},
		{"unreachable", fmt.Errorf("TfL: %w: %w", api.ErrUnreachable, errors.New("dial tcp: connection refused")), api.Unreachable},
		{"unexpected status", statusErr(api.ServiceTfL, 418, api.ErrUnexpectedStatus), api.OtherProblem},
		{"something else", errors.New("disk on fire"), api.OtherProblem},
		{"nil", nil, api.OtherProblem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := busboard.Classify(tt.give); got != tt.want {
				t.Errorf("Classify(%v) = %v, want %v: %s", tt.give, got, tt.want, classifyHint(tt.want))
			}
		})
	}
}

// classifyHint names what a problem is found by.
func classifyHint(want api.Problem) string {
	switch want {
	case api.OtherProblem:
		return "an error that wraps none of the api package's classes is OtherProblem"
	case api.TerminatedPostcode:
		return "find the *api.TerminatedError with errors.As (a type assertion sees only the outermost error), " +
			"before checking for ErrPostcodeNotFound (which it wraps)"
	case api.TimedOut, api.Cancelled:
		return "the context errors (context.DeadlineExceeded, context.Canceled) are found with errors.Is too"
	default:
		return "find the sentinel the error wraps with errors.Is"
	}
}

// disguised wraps an error under a text that says nothing about it.
type disguised struct{ err error }

func (d *disguised) Error() string { return "lookup failed" }
func (d *disguised) Unwrap() error { return d.err }

// TestClassifyByIdentity checks that Classify goes by what an error is, not by what its text
// says: the text of an error is for people, and anyone may reword it.
func TestClassifyByIdentity(t *testing.T) {
	tests := []struct {
		name string
		give error
		want api.Problem
	}{
		{"disguised no stops", &disguised{api.ErrNoStops}, api.NoStops},
		{"disguised rate limit", &disguised{statusErr(api.ServiceTfL, 429, api.ErrRateLimited)}, api.RateLimited},
		{"disguised timeout", &disguised{context.DeadlineExceeded}, api.TimedOut},
		{"disguised terminated", &disguised{&api.TerminatedError{Postcode: "AB1 0AA"}}, api.TerminatedPostcode},
		{"joined", errors.Join(errors.New("first"), &disguised{api.ErrUnreachable}), api.Unreachable},
		{"look-alike invalid", errors.New("invalid postcode"), api.OtherProblem},
		{"look-alike not found", errors.New("TfL: HTTP 404: stop not found"), api.OtherProblem},
		{"look-alike timeout", errors.New("context deadline exceeded"), api.OtherProblem},
		{"look-alike rate limit", fmt.Errorf("HTTP 429: %s", api.ErrRateLimited.Error()), api.OtherProblem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := busboard.Classify(tt.give)
			if got == tt.want {
				return
			}
			if tt.want == api.TerminatedPostcode && got == api.UnknownPostcode {
				// Found by identity, but the wrong one first: the TerminatedError wraps ErrPostcodeNotFound.
				t.Errorf("Classify(%s) = %v, want %v: %s", tt.name, got, tt.want, classifyHint(tt.want))
				return
			}
			what := fmt.Sprintf("it wraps the error of %v", tt.want)
			if tt.want == api.OtherProblem {
				what = "it is only a look-alike: it wraps none of the api package's errors"
			}
			t.Errorf("Classify(%s) = %v, want %v: the error's text is %q, but %s.\n"+
				"Decide by identity with errors.Is / errors.As, never by the error's text (err.Error(), strings.Contains)",
				tt.name, got, tt.want, tt.give.Error(), what)
		})
	}
}
