package clock_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
)

func TestSleep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		if err := clock.Sleep(t.Context(), 2*time.Second); err != nil {
			t.Errorf("Sleep(ctx, 2s) = %v, want nil", err)
		}
		if took := time.Since(start); took != 2*time.Second {
			t.Errorf("Sleep(ctx, 2s) took %v, want 2s", took)
		}
	})
}

func TestSleepEndsWithCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cause := errors.New("stop")
		ctx, cancel := context.WithCancelCause(t.Context())
		time.AfterFunc(time.Second, func() { cancel(cause) })
		start := time.Now()
		err := clock.Sleep(ctx, time.Hour)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Sleep(ctx, 1h) with ctx cancelled at 1s = %v, want context.Canceled", err)
		}
		if took := time.Since(start); took != time.Second {
			t.Errorf("Sleep(ctx, 1h) with ctx cancelled at 1s took %v, want 1s", took)
		}
	})
}

func TestSleepEndedCtx(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, d := range []time.Duration{-time.Second, 0, time.Second} {
		if err := clock.Sleep(ctx, d); !errors.Is(err, context.Canceled) {
			t.Errorf("Sleep(cancelled ctx, %v) = %v, want context.Canceled", d, err)
		}
	}
}
