package failure_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/supervise/failure"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

var errBoom = errors.New("boom")

func TestTaskError(t *testing.T) {
	err := error(&failure.TaskError{Name: "shorter", Err: errBoom})
	assert.Equal(t, `task "shorter": boom`, err.Error())
	assert.ErrorIs(t, err, errBoom)
}

func TestPanicError(t *testing.T) {
	tests := []struct {
		name      string
		giveValue any
		wantMsg   string
		wantErr   error
	}{
		{"string", "boom", "panic: boom", nil},
		{"error", errBoom, "panic: boom", errBoom},
		{"nil", nil, "panic: <nil>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := &failure.PanicError{Value: tt.giveValue}
			assert.Equal(t, tt.wantMsg, err.Error())
			assert.Equal(t, tt.wantErr, err.Unwrap())
		})
	}
}

func TestPanicInsideTaskError(t *testing.T) {
	err := error(&failure.TaskError{Name: "t", Err: &failure.PanicError{Value: errBoom}})
	var pe *failure.PanicError
	assert.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, errBoom)
}
