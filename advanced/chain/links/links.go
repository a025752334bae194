// Package links is the given code of the chain katas: the shape of one link of a chain, the
// error a failing link ends the chain with, and a log that records the order things happen
// in. The katas in advanced/chain use it; you do not need to change it.
package links

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// Step is the work of one link of a chain: it receives the previous link's result (0 for the
// first link) and returns its own. A step that waits should give up when ctx is done and
// return ctx's error.
type Step func(ctx context.Context, in int) (int, error)

// LinkError reports that link number Link (counting from 1) of a chain failed with Err, which
// stopped the chain. Use errors.As to find the link and errors.Is to match Err.
type LinkError struct {
	Link int
	Err  error
}

func (e *LinkError) Error() string { return fmt.Sprintf("link %d: %v", e.Link, e.Err) }

// Unwrap returns the step's error, so errors.Is and errors.As see through a LinkError.
func (e *LinkError) Unwrap() error { return e.Err }

// Log records events in the order they happen, so a test can check that order. It is safe
// for concurrent use; its zero value is ready to use.
type Log struct {
	mu      sync.Mutex
	entries []string
}

// Add records one event, formatted as with fmt.Sprintf.
func (l *Log) Add(format string, args ...any) {
	entry := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, entry)
}

// Entries returns a copy of the events recorded so far, oldest first.
func (l *Log) Entries() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}
