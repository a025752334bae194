package timeline_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRecorder(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		rec := timeline.New()
		a := rec.Start("a")
		time.Sleep(s)
		a.Done()
		b, c := rec.Start("b"), rec.Start("c")
		rec.Start("d") // never ends
		time.Sleep(500 * ms)
		b.End(errors.New("boom"))
		c.End(fmt.Errorf("load: %w", context.Canceled))
		a.Fail() // only the first end counts
		rec.Returned()
		time.Sleep(s)
		rec.Returned() // only the first return counts

		want := timeline.Timeline{
			Spans: []timeline.Span{
				{Name: "a", End: s, Outcome: timeline.Done},
				{Name: "b", Start: s, End: 1500 * ms, Outcome: timeline.Failed},
				{Name: "c", Start: s, End: 1500 * ms, Outcome: timeline.Cancelled},
				{Name: "d", Start: s, End: 2500 * ms, Outcome: timeline.Running},
			},
			Returned: true, ReturnAt: 1500 * ms,
		}
		assert.Equal(t, want, rec.Timeline())
	})
}

func TestMark(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		rec := timeline.New()
		b1 := rec.Start("b1")
		time.Sleep(s)
		b1.Done()
		time.Sleep(2 * s)
		rec.Mark("handle b1") // handled 2s after it finished
		rec.Returned()

		want := timeline.Want().Done("b1", 0, s).Mark("handle b1", s).Return(3 * s)
		assert.Equal(t, []timeline.Span{{Name: "handle b1", Start: 3 * s, End: 3 * s, Outcome: timeline.Done}}, rec.Timeline().Spans[1:],
			"Recorder.Mark notes a span of no length at the instant")
		assert.Equal(t, `
  fake time  0s        1s        2s        3s
your code (> marks a difference):
  b1         ##########                       done 1s
> handle b1                                #  done 3s
  returned                                 ^  at 3s
the kata wants:
  b1         ##########                       done 1s
  handle b1            #                      done 1s
  returned                                 ^  at 3s
`, "\n"+timeline.Diff(rec.Timeline(), *want, timeline.Style{ASCII: true}), "a mark is one cell at its instant")
	})
}

func TestTaskEnd(t *testing.T) {
	tests := []struct {
		give error
		want timeline.Outcome
	}{
		{nil, timeline.Done},
		{errors.New("boom"), timeline.Failed},
		{context.Canceled, timeline.Cancelled},
		{fmt.Errorf("wait: %w", context.DeadlineExceeded), timeline.Cancelled},
	}
	for _, tt := range tests {
		rec := timeline.New()
		rec.Start("x").End(tt.give)
		if got := rec.Timeline().Spans[0].Outcome; got != tt.want {
			t.Errorf("End(%v) noted %v, want %v", tt.give, got, tt.want)
		}
	}
}

// TestRecorderTies checks that tasks starting and ending at one fake instant come out in
// the same order whatever order their goroutines ran in.
func TestRecorderTies(t *testing.T) {
	var first []timeline.Span
	for i := range 20 {
		katatest.Bubble(t, func(t *testing.T) {
			rec := timeline.New()
			var wg sync.WaitGroup
			for j := range 8 {
				wg.Go(func() {
					task := rec.Start(fmt.Sprintf("task %d", 7-j))
					time.Sleep(s)
					task.Done()
				})
			}
			wg.Wait()
			got := rec.Timeline().Spans
			if i == 0 {
				first = got
				if !slices.IsSortedFunc(got, func(a, b timeline.Span) int { return cmp.Compare(a.Name, b.Name) }) {
					t.Errorf("Timeline() spans at one instant = %v, want them sorted by name", got)
				}
			} else if !slices.Equal(got, first) {
				t.Errorf("run %d: Timeline() = %v, want %v as in the first run", i, got, first)
			}
		})
	}
}

func TestNilRecorder(t *testing.T) {
	var rec *timeline.Recorder
	allocs := testing.AllocsPerRun(100, func() {
		task := rec.Start("x")
		task.Done()
		task.End(errors.ErrUnsupported)
		rec.Returned()
		_ = timeline.FromWriter(io.Discard)
		_ = timeline.FromContext(context.Background())
	})
	assert.Zero(t, allocs, "a nil Recorder must cost nothing")
	assert.Equal(t, timeline.Timeline{}, rec.Timeline())
	assert.Nil(t, timeline.FromWriter(io.Discard))
	assert.Nil(t, timeline.FromContext(t.Context()))
}

func TestWriterAndContext(t *testing.T) {
	rec := timeline.New()
	var buf bytes.Buffer
	w := rec.Writer(&buf)
	fmt.Fprint(w, "hello")
	assert.Equal(t, "hello", buf.String(), "Writer writes through")
	assert.Same(t, rec, timeline.FromWriter(w))
	assert.Same(t, rec, timeline.FromContext(timeline.NewContext(t.Context(), rec)))
}

func TestTimelineStringAndEqual(t *testing.T) {
	want := timeline.Want().Done("load 4", 0, s).Task("load 8", 0, 2*s, timeline.Failed).Return(2 * s)
	assert.Equal(t, "load 4: 0s->1s done; load 8: 0s->2s failed; return at 2s", want.String())
	running := timeline.Timeline{Spans: []timeline.Span{{Name: "x", Start: s, End: 2 * s}}}
	assert.Equal(t, "x: 1s->(not finished)", running.String())

	swapped := timeline.Want().Task("load 8", 0, 2*s, timeline.Failed).Done("load 4", 0, s).Return(2 * s)
	assert.True(t, want.Equal(*swapped), "Equal ignores the order of spans")
	assert.False(t, want.Equal(*timeline.Want().Done("load 4", 0, s).Task("load 8", 0, 2*s, timeline.Failed)), "Equal compares the return")
	assert.False(t, want.Equal(*timeline.Want().Done("load 4", 0, s).Done("load 8", 0, 2*s).Return(2 * s)), "Equal compares outcomes")
}

func TestStyleFromEnv(t *testing.T) {
	tests := []struct {
		name                          string
		giveASCII, giveAll, giveCtype string
		giveLang                      string
		want                          bool
	}{
		{"utf-8 lang", "", "", "", "en_GB.UTF-8", false},
		{"utf8 lang", "", "", "", "C.utf8", false},
		{"c locale", "", "", "", "C", true},
		{"nothing set", "", "", "", "", true},
		{"LC_ALL first", "", "POSIX", "", "en_GB.UTF-8", true},
		{"LC_CTYPE before LANG", "", "", "en_US.UTF-8", "C", false},
		{"KATA_ASCII=1", "1", "", "", "en_GB.UTF-8", true},
		{"KATA_ASCII=0", "0", "", "", "C", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KATA_ASCII", tt.giveASCII)
			t.Setenv("LC_ALL", tt.giveAll)
			t.Setenv("LC_CTYPE", tt.giveCtype)
			t.Setenv("LANG", tt.giveLang)
			if got := timeline.StyleFromEnv().ASCII; got != tt.want {
				t.Errorf("StyleFromEnv().ASCII = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		rec := timeline.New()
		boom := errors.New("boom")
		sleep := func(d time.Duration, v string, err error) func(context.Context) (string, error) {
			return func(ctx context.Context) (string, error) {
				select {
				case <-time.After(d):
					return v, err
				case <-ctx.Done():
					return "", ctx.Err()
				}
			}
		}
		ctx, cancel := context.WithTimeout(t.Context(), 2*s)
		defer cancel()
		a := timeline.Wrap(rec, "a", sleep(s, "a", nil))
		b := timeline.Wrap(rec, "b", sleep(s, "", boom))
		c := timeline.Wrap(rec, "c", sleep(3*s, "c", nil))
		var wg sync.WaitGroup
		for _, task := range []func(context.Context) (string, error){a, b, c} {
			wg.Go(func() { _, _ = task(ctx) })
		}
		wg.Wait()
		rec.Returned()
		want := timeline.Want().Done("a", 0, s).Task("b", 0, s, timeline.Failed).
			Task("c", 0, 2*s, timeline.Cancelled).Return(2 * s)
		if got := rec.Timeline(); !got.Equal(*want) {
			t.Errorf("Wrap noted\n%s", rec.Diff(want))
		}
		got, err := timeline.Wrap(nil, "x", sleep(0, "x", nil))(t.Context())
		assert.Equal(t, "x", got, "Wrap(nil, ...) runs the task")
		assert.NoError(t, err)
	})
}
