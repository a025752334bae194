package api

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Problem is a class of failure as the person at the console sees it. Each has its own
// friendly message; the katas' Classify maps an error to one.
type Problem int

// The problems a lookup can end in. OtherProblem, the zero value, is for errors that fit no
// class (including nil).
const (
	OtherProblem Problem = iota
	InvalidPostcode
	UnknownPostcode
	TerminatedPostcode
	NoLocation
	NoStops
	StopNotFound
	RateLimited
	ServerError
	BadResponse
	TimedOut
	Cancelled
	Unreachable
)

// Problems lists every Problem, OtherProblem last.
var Problems = []Problem{
	InvalidPostcode, UnknownPostcode, TerminatedPostcode, NoLocation, NoStops, StopNotFound,
	RateLimited, ServerError, BadResponse, TimedOut, Cancelled, Unreachable, OtherProblem,
}

var problemInfo = map[Problem]struct{ name, message string }{
	OtherProblem:       {"OtherProblem", "Sorry, something went wrong. Please try again."},
	InvalidPostcode:    {"InvalidPostcode", "Sorry, I didn't recognise that postcode. A postcode looks like SW1A 2AA."},
	UnknownPostcode:    {"UnknownPostcode", "Sorry, that postcode doesn't exist. Please check it and try again."},
	TerminatedPostcode: {"TerminatedPostcode", "Sorry, that postcode is no longer in use. Try the one that replaced it."},
	NoLocation:         {"NoLocation", "Sorry, I don't know where that postcode is on the map."},
	NoStops:            {"NoStops", "Sorry, there are no bus stops near there."},
	StopNotFound:       {"StopNotFound", "Sorry, TfL doesn't know one of the stops near there, so I can't show its buses."},
	RateLimited:        {"RateLimited", "Sorry, we've asked for too much too quickly. Please wait a minute and try again."},
	ServerError:        {"ServerError", "Sorry, a service I need is having problems. Please try again later."},
	BadResponse:        {"BadResponse", "Sorry, a service I need sent an answer I couldn't read."},
	TimedOut:           {"TimedOut", "Sorry, that took too long. Please try again."},
	Cancelled:          {"Cancelled", "Cancelled."},
	Unreachable:        {"Unreachable", "Sorry, I couldn't reach the services I need. Are you online?"},
}

// String returns the constant's name, e.g. "NoStops".
func (p Problem) String() string {
	if info, ok := problemInfo[p]; ok {
		return info.name
	}
	return "Problem(" + strconv.Itoa(int(p)) + ")"
}

// Message returns the friendly sentence the console prints for p. Every Problem has its own.
func (p Problem) Message() string {
	if info, ok := problemInfo[p]; ok {
		return info.message
	}
	return problemInfo[OtherProblem].message
}

// Explain returns the sentence the console prints for a lookup that failed with err, p being
// the problem err was classified as: p's Message, made precise where err says more — which
// service could not be reached or is having problems, and when a postcode was terminated.
// When err says nothing more (or is nil), it is p.Message().
func (p Problem) Explain(err error) string {
	var (
		unreachable *UnreachableError
		status      *StatusError
		terminated  *TerminatedError
	)
	switch {
	case p == Unreachable && errors.As(err, &unreachable):
		return fmt.Sprintf("Sorry, I couldn't reach %s. Are you online?", unreachable.Service)
	case p == ServerError && errors.As(err, &status):
		return fmt.Sprintf("Sorry, %s is having problems. Please try again later.", status.Service)
	case p == TerminatedPostcode && errors.As(err, &terminated) && terminated.Year > 0 &&
		terminated.Month >= 1 && terminated.Month <= 12:
		return fmt.Sprintf("Sorry, %s is no longer in use: it was terminated in %s %d. Try the one that replaced it.",
			terminated.Postcode, time.Month(terminated.Month), terminated.Year)
	}
	return p.Message()
}
