package steps_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/part2_errors/steps"
)

func TestMain(m *testing.M) { katatest.Main(m) }

func TestSteps(t *testing.T) {
	tests := []struct {
		name       string
		give       steps.Step
		wantName   string
		wantResult string
		wantErr    error
		wantTook   time.Duration
	}{
		{"p1 succeeds", steps.P1(steps.Succeed), "p1", "p1 succeeded", nil, 500 * time.Millisecond},
		{"p1 fails", steps.P1(steps.Fail), "p1", "", steps.ErrPromiseRejected, 500 * time.Millisecond},
		{"p2 succeeds", steps.P2(steps.Succeed), "p2", "p2 succeeded", nil, time.Second},
		{"p2 fails", steps.P2(steps.Fail), "p2", "", steps.ErrErrorThrown, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				start := time.Now()
				got, err := tt.give.Run(t.Context())
				katatest.Elapsed(t, start, tt.wantTook, "a step waits its delay")
				assert.Equal(t, tt.wantName, tt.give.Name)
				assert.Equal(t, tt.wantResult, got)
				if tt.wantErr == nil {
					assert.NoError(t, err)
				} else {
					assert.ErrorIs(t, err, tt.wantErr)
				}
			})
		})
	}
}

func TestStepStopsWhenContextEnds(t *testing.T) {
	tests := []struct {
		name string
		give steps.Step
	}{
		{"p1", steps.P1(steps.Succeed)},
		{"p2", steps.P2(steps.Fail)},
		{"panicking", steps.Panicking("p3", time.Second, "boom")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
				defer cancel()
				start := time.Now()
				got, err := tt.give.Run(ctx)
				katatest.Elapsed(t, start, 200*time.Millisecond, "a step stops waiting when its context ends")
				assert.Empty(t, got)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			})
		})
	}
}

func TestStepAlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		start := time.Now()
		_, err := steps.P2(steps.Succeed).Run(ctx)
		katatest.Elapsed(t, start, 0, "a cancelled context stops the step at once")
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestPanicking(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		step := steps.Panicking("p1", steps.P1Delay, "boom")
		assert.Equal(t, "p1", step.Name)
		start := time.Now()
		assert.PanicsWithValue(t, "boom", func() { _, _ = step.Run(t.Context()) })
		katatest.Elapsed(t, start, steps.P1Delay, "the step panics after its delay")
	})
}

func TestCoin(t *testing.T) {
	flip := steps.Coin(rand.New(rand.NewPCG(1, 2)))
	again := steps.Coin(rand.New(rand.NewPCG(1, 2)))
	var heads int
	for range 100 {
		got := flip()
		assert.Equal(t, again(), got, "the same seed gives the same flips")
		if got {
			heads++
		}
	}
	assert.InDelta(t, 50, heads, 20, "a fair coin")
}

func TestCoinConcurrentUse(t *testing.T) {
	flip := steps.Coin(rand.New(rand.NewPCG(3, 4)))
	done := make(chan struct{})
	for range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				flip()
			}
		}()
	}
	<-done
	<-done
}

func TestStepError(t *testing.T) {
	err := fmt.Errorf("run: %w", &steps.StepError{Step: "p2", Err: steps.ErrErrorThrown})
	assert.EqualError(t, err, "run: p2: error thrown")
	assert.ErrorIs(t, err, steps.ErrErrorThrown)
	var stepErr *steps.StepError
	if assert.ErrorAs(t, err, &stepErr) {
		assert.Equal(t, "p2", stepErr.Step)
	}
}

func TestNilStepError(t *testing.T) {
	var nilStepErr *steps.StepError
	var err error = nilStepErr // not a nil error: the mistake these methods survive
	assert.EqualError(t, err, "<nil *steps.StepError>")
	assert.NotErrorIs(t, err, steps.ErrErrorThrown)
	assert.NotErrorIs(t, &steps.StepError{Step: "p1"}, steps.ErrErrorThrown)
	assert.EqualError(t, &steps.StepError{Step: "p1"}, "p1: <nil>")
}

func TestPanicError(t *testing.T) {
	tests := []struct {
		name       string
		give       any
		wantText   string
		wantUnwrap error
	}{
		{"string", "boom", "panic: boom", nil},
		{"error", steps.ErrErrorThrown, "panic: error thrown", steps.ErrErrorThrown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &steps.PanicError{Value: tt.give}
			assert.EqualError(t, err, tt.wantText)
			assert.Equal(t, tt.wantUnwrap, errors.Unwrap(err))
		})
	}
}

func ExampleNew() {
	// Examples run on the real clock, so these steps take no time; the tests check timing on fake time.
	step := steps.New("p1", 0, "p1 succeeded", steps.ErrPromiseRejected, steps.Fail)
	result, err := step.Run(context.Background())
	fmt.Printf("%q %v\n", result, err)
	// Output: "" promise rejected
}
