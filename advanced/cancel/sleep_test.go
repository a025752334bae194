package cancellation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	cancellation "github.com/go-async-katas/katas/advanced/cancel"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestSleep(t *testing.T) {
	tests := []struct {
		name          string
		giveSleep     time.Duration
		giveCancelAt  time.Duration // when to cancel the context; 0: never
		giveCause     error         // the cause to cancel with
		giveTimeout   time.Duration // the context's timeout, under the cancellable parent; 0: none
		giveTimeCause error         // the cause the timeout ends it with (context.WithTimeoutCause); nil: none
		wantErrs      []error       // what the error must match; none: want nil
		wantTook      time.Duration
	}{
		{"full sleep", time.Second, 0, nil, 0, nil, nil, time.Second},
		{"zero", 0, 0, nil, 0, nil, nil, 0},
		{"negative", -time.Second, 0, nil, 0, nil, nil, 0},
		{"cancelled", time.Second, 10 * time.Millisecond, nil, 0, nil, []error{context.Canceled}, 10 * time.Millisecond},
		{"cancelled with cause", time.Second, 10 * time.Millisecond, errAbort, 0, nil, []error{context.Canceled, errAbort}, 10 * time.Millisecond},
		{"cancelled too late", time.Second, 2 * time.Second, errAbort, 0, nil, nil, time.Second},
		{"deadline", time.Hour, 0, nil, 2 * time.Second, nil, []error{context.DeadlineExceeded}, 2 * time.Second},
		{"deadline with cause", time.Hour, 0, nil, 2 * time.Second, errSlow, []error{context.DeadlineExceeded, errSlow}, 2 * time.Second},
		{"parent cancelled with cause", time.Hour, 10 * time.Millisecond, errAbort, time.Hour, nil, []error{context.Canceled, errAbort}, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx, cancel := context.WithCancelCause(t.Context())
				defer cancel(nil)
				if tt.giveTimeout > 0 {
					var stop context.CancelFunc
					ctx, stop = context.WithTimeoutCause(ctx, tt.giveTimeout, tt.giveTimeCause)
					defer stop()
				}
				if tt.giveCancelAt > 0 {
					timer := time.AfterFunc(tt.giveCancelAt, func() { cancel(tt.giveCause) })
					defer timer.Stop()
				}

				call := fmt.Sprintf("Sleep(ctx, %v)", tt.giveSleep)
				switch {
				case tt.giveCancelAt > 0:
					call += fmt.Sprintf(" with ctx cancelled at %v, cause %v", tt.giveCancelAt, tt.giveCause)
				case tt.giveTimeout > 0 && tt.giveTimeCause != nil:
					call += fmt.Sprintf(" with a %v timeout, cause %v", tt.giveTimeout, tt.giveTimeCause)
				case tt.giveTimeout > 0:
					call += fmt.Sprintf(" with a %v timeout", tt.giveTimeout)
				}
				if tt.giveCancelAt > 0 && tt.giveTimeout > 0 {
					call += fmt.Sprintf(" (a %v timeout under it)", tt.giveTimeout)
				}
				drawing := drawSleep(tt.giveSleep, tt.giveCancelAt, tt.giveTimeout)
				err := cancellation.Sleep(ctx, tt.giveSleep)
				drawing.returned(err)
				if !matchesAll(err, tt.wantErrs) {
					t.Errorf("%s = %v, want %s.\n"+
						"When ctx ends first, return ctx.Err(), and when context.Cause(ctx) is something else, wrap both (two %%w)",
						call, err, describeWant(err, tt.wantErrs))
				}
				drawing.elapsed(t, tt.wantTook, len(tt.wantErrs) > 0,
					call+": sleep the full time, unless ctx ends first — select on a timer and ctx.Done()")
			})
		})
	}
}

func TestSleepAlreadyCancelled(t *testing.T) {
	tests := []struct {
		name      string
		giveSleep time.Duration
	}{
		{"1s", time.Second},
		{"zero", 0}, // a zero timer is ready at once too: a select alone would pick either
		{"negative", -time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx, cancel := context.WithCancelCause(t.Context())
				cancel(errAbort)
				want := []error{context.Canceled, errAbort}
				start := time.Now()
				// A select with several ready cases picks one at random: one call could be lucky.
				for n := range 100 {
					if err := cancellation.Sleep(ctx, tt.giveSleep); !matchesAll(err, want) {
						hint := "When ctx has ended before Sleep starts, return its error before waiting for anything:\n" +
							"a select whose cases are both ready picks one at random"
						if err != nil {
							hint = "Return ctx.Err(), and when context.Cause(ctx) is something else, wrap both (two %w)"
						}
						t.Errorf("Sleep(already cancelled ctx, %v) = %v on call %d of 100, want %s.\n%s",
							tt.giveSleep, err, n+1, describeWant(err, want), hint)
						return
					}
				}
				katatest.Elapsed(t, start, 0, "a context that has already ended must stop Sleep before it starts")
			})
		})
	}
}
