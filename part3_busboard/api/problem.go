package api

import "strconv"

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
	StopNotFound:       {"StopNotFound", "Sorry, TfL doesn't recognise one of the nearby stops. Please try again later."},
	RateLimited:        {"RateLimited", "Sorry, we've asked for too much too quickly. Please wait a minute and try again."},
	ServerError:        {"ServerError", "Sorry, the travel service is having problems. Please try again later."},
	BadResponse:        {"BadResponse", "Sorry, the travel service sent an answer I couldn't read."},
	TimedOut:           {"TimedOut", "Sorry, that took too long. Please try again."},
	Cancelled:          {"Cancelled", "Cancelled."},
	Unreachable:        {"Unreachable", "Sorry, I couldn't reach the travel service. Are you online?"},
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
