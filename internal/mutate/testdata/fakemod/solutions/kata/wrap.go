package kata

import (
	"errors"
	"fmt"
)

// ErrBoom is what Wrap wraps.
var ErrBoom = errors.New("boom")

// Wrap returns an error that says where err came from and still matches it.
func Wrap(where string, err error) error {
	return fmt.Errorf("%s: %w", where, err)
}
