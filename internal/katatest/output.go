package katatest

import (
	"bytes"
	"strings"
	"sync"
)

// Output is an io.Writer that records what concurrent code prints. It is safe for concurrent
// use, so tasks running at once can share it; its zero value is ready to use.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to what has been recorded.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

// Lines returns the lines recorded so far, without their line endings.
func (o *Output) Lines() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := strings.TrimSuffix(o.buf.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
