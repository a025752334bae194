// Package clock is the one home of "wait d, unless the context ends first", which the given
// code and the tests' fake tasks all need. Inside a testing/synctest bubble the wait is on
// fake time and costs no real time.
package clock

import (
	"context"
	"time"
)

// Sleep waits d and returns nil, or returns ctx.Err() as soon as ctx ends, whichever comes
// first. If ctx has already ended it returns ctx.Err() at once, even when d <= 0, so a caller
// never starts work on a context that is already over. Callers that want the reason ctx ended
// ask context.Cause(ctx). It starts no goroutine and leaves no timer behind.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
