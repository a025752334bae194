package katatest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/katatest"
)

// recorder is a testing.TB that keeps what Errorf reports instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestElapsed(t *testing.T) {
	tests := []struct {
		name      string
		giveSleep time.Duration
		want      time.Duration
		wantOK    bool
		wantMsg   string
	}{
		{"exact", 2 * time.Second, 2 * time.Second, true, ""},
		{"too slow", 3 * time.Second, 2 * time.Second, false, "took 3s of fake time, want 2s: run them at once"},
		{"too fast", 0, 2 * time.Second, false, "took 0s of fake time, want 2s: run them at once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				r := &recorder{TB: t}
				start := time.Now()
				time.Sleep(tt.giveSleep)
				ok := katatest.Elapsed(r, start, tt.want, "run them at once")
				assert.Equal(t, tt.wantOK, ok)
				if tt.wantOK {
					assert.Empty(t, r.errors)
				} else {
					assert.Equal(t, []string{tt.wantMsg}, r.errors)
				}
			})
		})
	}
}

func TestOutput(t *testing.T) {
	var out katatest.Output
	assert.Nil(t, out.Lines(), "nothing written yet")
	done := make(chan struct{})
	for i := range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			fmt.Fprintf(&out, "line %d\n", i)
		}()
	}
	<-done
	<-done
	assert.ElementsMatch(t, []string{"line 0", "line 1"}, out.Lines())
}
