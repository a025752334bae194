package loader_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
	"github.com/go-async-katas/katas/part1_concurrency/loader"
)

func TestMain(m *testing.M) { katatest.Main(m) }

func TestLoad(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var out katatest.Output
		start := time.Now()
		got := loader.Load(&out, 3*time.Second, 7)
		assert.Equal(t, 7, got)
		katatest.Elapsed(t, start, 3*time.Second, "Load sleeps for its delay")
		assert.Equal(t, []string{"number 7 is loading...", "...number 7 has loaded"}, out.Lines())
	})
}

func TestSumSequential(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var out katatest.Output
		start := time.Now()
		got := loader.SumSequential(&out, time.Second, 2*time.Second)
		assert.Equal(t, 12, got)
		katatest.Elapsed(t, start, 3*time.Second, "one task after the other: 1s + 2s")
		assert.Equal(t, []string{
			"number 4 is loading...",
			"...number 4 has loaded",
			"number 8 is loading...",
			"...number 8 has loaded",
		}, out.Lines())
	})
}

func TestLoadNotesTimeline(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var out katatest.Output
		rec := timeline.New()
		w := rec.Writer(&out)
		loader.Load(w, time.Second, 4)
		loader.Load(w, 2*time.Second, 8)
		rec.Returned()
		want := timeline.Want().Done("load 4", 0, time.Second).Done("load 8", time.Second, 3*time.Second).Return(3 * time.Second)
		if got := rec.Timeline(); !got.Equal(*want) {
			t.Errorf("two Loads one after the other noted\n%s", rec.Diff(want))
		}
		assert.Len(t, out.Lines(), 4, "Load writes through the timeline's writer")
	})
}
