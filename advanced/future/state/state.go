// Package state holds the errors a future reports about its state. It is given code: the
// future kata and its solution both use it, so you do not edit it.
//
// Python's asyncio raises one exception, InvalidStateError, both when you read a result
// that is not there yet and when you set a result twice. Here each case has its own
// sentinel, and both wrap ErrInvalidState, so errors.Is finds either the precise case or
// the family.
package state

import (
	"errors"
	"fmt"
)

// ErrInvalidState is what ErrNotDone and ErrAlreadyDone both wrap: the operation does not
// fit the future's current state (Python's asyncio.InvalidStateError).
var ErrInvalidState = errors.New("invalid future state")

// ErrNotDone reports that a future's outcome was asked for before it had one: nothing has
// set a result or an error, and it was not cancelled.
var ErrNotDone = fmt.Errorf("%w: not done yet", ErrInvalidState)

// ErrAlreadyDone reports an attempt to complete a future that already has its outcome: a
// future is set once, and the first outcome stays.
var ErrAlreadyDone = fmt.Errorf("%w: already done", ErrInvalidState)

// ErrCancelled is the outcome of a future that was cancelled before anything set it
// (Python's asyncio.CancelledError).
var ErrCancelled = errors.New("future cancelled")
