package state_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/future/state"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

func TestErrorsAreInvalidState(t *testing.T) {
	tests := []struct {
		name        string
		give        error
		wantInvalid bool
	}{
		{"not done", state.ErrNotDone, true},
		{"already done", state.ErrAlreadyDone, true},
		{"cancelled", state.ErrCancelled, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.wantInvalid, errors.Is(tt.give, state.ErrInvalidState))
		})
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	all := []error{state.ErrNotDone, state.ErrAlreadyDone, state.ErrCancelled}
	for i, a := range all {
		for j, b := range all {
			if i != j && errors.Is(a, b) {
				t.Errorf("errors.Is(%v, %v) = true, want false: each state error is its own case", a, b)
			}
		}
	}
}
