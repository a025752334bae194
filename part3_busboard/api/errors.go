package api

import (
	"errors"
	"fmt"
	"time"
)

// The classes of failure a BusBoard lookup can end in. Every error the clients return wraps
// exactly one of them (or context.Canceled / context.DeadlineExceeded), so callers tell them
// apart with errors.Is, never by reading the message.
var (
	// ErrInvalidPostcode means the text is not shaped like a postcode (postcodes.io says
	// "Invalid postcode", or the text is empty or far too long to be one).
	ErrInvalidPostcode = errors.New("invalid postcode")
	// ErrPostcodeNotFound means the postcode is well formed but unknown, or no longer in
	// use (then the error is also a *TerminatedError).
	ErrPostcodeNotFound = errors.New("postcode not found")
	// ErrNoLocation means postcodes.io knows the postcode but has no coordinates for it.
	ErrNoLocation = errors.New("postcode has no known location")
	// ErrNoStops means TfL found no bus stop within the search radius.
	ErrNoStops = errors.New("no bus stops nearby")
	// ErrStopNotFound means TfL does not recognise a stop id (HTTP 404 for its arrivals).
	ErrStopNotFound = errors.New("stop not found")
	// ErrRateLimited means a service refused the request because too many were made
	// (HTTP 429, or TfL's 403 "Out of call volume quota" for anonymous callers). The
	// *StatusError says how long to wait, when the service said.
	ErrRateLimited = errors.New("rate limited")
	// ErrUpstream means a service failed on its side (HTTP 5xx).
	ErrUpstream = errors.New("upstream server error")
	// ErrUnexpectedStatus means a service answered with an HTTP status the client does not
	// expect (a 4xx other than those above).
	ErrUnexpectedStatus = errors.New("unexpected HTTP status")
	// ErrMalformed means a service answered successfully but its body was not the JSON the
	// client expects (or was larger than the client reads).
	ErrMalformed = errors.New("malformed response")
	// ErrUnreachable means the request never got an answer: DNS, connection or TLS failure,
	// or the connection dropped. Cancellation and timeouts are not this: they wrap
	// context.Canceled or context.DeadlineExceeded instead.
	ErrUnreachable = errors.New("service unreachable")
	// ErrNotImplemented is what the kata stubs return until you write them.
	ErrNotImplemented = errors.New("not implemented yet")
)

// Service names, as they appear in errors.
const (
	ServicePostcodes = "postcodes.io"
	ServiceTfL       = "TfL"
)

// StatusError is an HTTP error response from a service. Unwrap gives its class
// (ErrInvalidPostcode, ErrPostcodeNotFound, a *TerminatedError, ErrStopNotFound,
// ErrRateLimited, ErrUpstream or ErrUnexpectedStatus), so both errors.Is(err, ErrRateLimited)
// and errors.As(err, &statusErr) work on the same error.
type StatusError struct {
	Service    string        // ServicePostcodes or ServiceTfL
	StatusCode int           // the HTTP status
	Message    string        // the service's own explanation, if its body had one
	RetryAfter time.Duration // from a Retry-After header in seconds; 0 if there was none
	Err        error         // the class of failure
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: HTTP %d: %v", e.Service, e.StatusCode, e.Err)
	if e.Message != "" {
		msg += fmt.Sprintf(" (%s)", e.Message)
	}
	return msg
}

func (e *StatusError) Unwrap() error { return e.Err }

// UnreachableError is a request to Service that never got an answer: DNS, connection or TLS
// failure, or the connection dropped. It wraps both ErrUnreachable and the transport's error,
// so errors.Is(err, ErrUnreachable) finds it, and errors.As says which service it was.
type UnreachableError struct {
	Service string // ServicePostcodes or ServiceTfL
	Err     error  // what the transport said
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%s: %v: %v", e.Service, ErrUnreachable, e.Err)
}

func (e *UnreachableError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }

// TerminatedError means a postcode existed once but is no longer in use. It wraps
// ErrPostcodeNotFound.
type TerminatedError struct {
	Postcode string // as postcodes.io spells it, e.g. "AB1 0AA"
	Year     int    // when it was terminated
	Month    int
}

func (e *TerminatedError) Error() string {
	return fmt.Sprintf("postcode %s was terminated in %d-%02d", e.Postcode, e.Year, e.Month)
}

func (e *TerminatedError) Unwrap() error { return ErrPostcodeNotFound }
