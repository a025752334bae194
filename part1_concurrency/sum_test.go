package concurrency_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/katatest"
	concurrency "github.com/go-async-katas/katas/part1_concurrency"
)

func TestSumConcurrent(t *testing.T) {
	tests := []struct {
		name  string
		give1 time.Duration
		give2 time.Duration
	}{
		{"seed delays", time.Second, 2 * time.Second},
		{"first is slower", 3 * time.Second, time.Second},
		{"same delay", time.Second, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("SumConcurrent(%v, %v)", tt.give1, tt.give2)
				start := time.Now()
				got := concurrency.SumConcurrent(io.Discard, tt.give1, tt.give2)

				if got != 12 {
					t.Errorf("%s = %d, want 12: the sum of both tasks' results (4 + 8)", call, got)
				}
				checkTook(t, call, start, tt.give1, tt.give2)
			})
		})
	}
}

func TestSumConcurrentStartsBothFirst(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var out katatest.Output
		concurrency.SumConcurrent(&out, time.Second, 2*time.Second)
		checkStartsBeforeLoads(t, "SumConcurrent(1s, 2s)", out.Lines(), 4, 8)
	})
}
