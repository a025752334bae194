package concurrency_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/katatest"
	concurrency "github.com/go-async-katas/katas/part1_concurrency"
	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

// sumConcurrent runs SumConcurrent(w, d1, d2) as the checks see it.
func sumConcurrent(d1, d2 time.Duration) (*loads, int) {
	var got int
	r := runLoads(fmt.Sprintf("SumConcurrent(%v, %v)", d1, d2),
		[]loader.Job{{N: 4, Delay: d1}, {N: 8, Delay: d2}},
		func(w io.Writer) { got = concurrency.SumConcurrent(w, d1, d2) })
	return r, got
}

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
				r, got := sumConcurrent(tt.give1, tt.give2)
				if got != 12 {
					t.Errorf("%s = %d, want 12: the sum of both tasks' results (4 + 8)", r.call, got)
				}
				r.checkTimeline(t)
			})
		})
	}
}

// TestSumConcurrentTogether has both tasks finish at the same instant, many times over:
// which goroutine runs first then changes from run to run, so code that gets the sum right
// only in some orders fails here.
func TestSumConcurrentTogether(t *testing.T) {
	inRounds(t, 100, func(t *testing.T, round string) {
		r, got := sumConcurrent(time.Second, time.Second)
		r.call = round + ": " + r.call
		if got != 12 {
			t.Errorf("%s = %d, want 12: both tasks finish at the same instant here.\n"+
				"Read each result only after its goroutine has finished (after wg.Wait(), or by\n"+
				"receiving it from a channel), and let no two goroutines write the same variable.",
				r.call, got)
		}
		r.checkTimeline(t)
	})
}

func TestSumConcurrentStartsBothFirst(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		r, _ := sumConcurrent(time.Second, 2*time.Second)
		r.checkStartsBeforeLoads(t)
	})
}
