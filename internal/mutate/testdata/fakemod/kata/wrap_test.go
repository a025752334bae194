package kata

import (
	"errors"
	"testing"
)

func TestWrap(t *testing.T) {
	if err := Wrap("here", ErrBoom); !errors.Is(err, ErrBoom) {
		t.Errorf("Wrap(here, ErrBoom) = %v, want an error that matches ErrBoom", err)
	}
}
