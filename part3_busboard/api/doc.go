// Package api is the given code of part 3: typed clients for postcodes.io and the TfL Unified
// API, the departure boards built from them, the "half-built" blocking console app the katas
// start from, the classes of failure a lookup can end in, and an offline transport that
// serves embedded fixtures so the program runs with no network. You do not need to change it.
//
// The clients are safe for concurrent use. Each request uses the context it is given: when
// the context ends, the request is abandoned and the error wraps context.Canceled or
// context.DeadlineExceeded.
package api
