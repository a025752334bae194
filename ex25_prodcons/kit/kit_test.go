package kit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/go-async-katas/katas/ex25_prodcons/kit"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestSleep(t *testing.T) {
	tests := []struct {
		name     string
		giveD    time.Duration
		giveStop time.Duration // cancel the context after this long; 0: never
		wantTook time.Duration
		wantErr  error
	}{
		{"full", 2 * time.Second, 0, 2 * time.Second, nil},
		{"zero", 0, 0, 0, nil},
		{"negative", -time.Second, 0, 0, nil},
		{"cancelled midway", 3 * time.Second, time.Second, time.Second, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if tt.giveStop > 0 {
					time.AfterFunc(tt.giveStop, cancel)
				}
				start := time.Now()
				err := kit.Sleep(ctx, tt.giveD)
				assert.ErrorIs(t, err, tt.wantErr)
				if tt.wantErr == nil {
					assert.NoError(t, err)
				}
				katatest.Elapsed(t, start, tt.wantTook, "Sleep waits d or until ctx ends")
			})
		})
	}
}

func TestSleepAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, kit.Sleep(ctx, 0), context.Canceled, "a zero sleep still reports an ended context")
}

func TestTask(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var out katatest.Output
		start := time.Now()
		got, err := kit.Task(t.Context(), &out, "job", 3*time.Second)
		require.NoError(t, err)
		assert.Equal(t, "job result", got)
		katatest.Elapsed(t, start, 3*time.Second, "Task takes d")
		assert.Equal(t, []string{"job: started (3s of work)", "job: finished"}, out.Lines())
	})
}

func TestTaskCancelled(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var out katatest.Output
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		got, err := kit.Task(ctx, &out, "job", 3*time.Second)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Empty(t, got)
		katatest.Elapsed(t, start, time.Second, "Task stops when ctx ends")
		assert.Equal(t, []string{"job: started (3s of work)", "job: stopped: context canceled"}, out.Lines())
	})
}

func TestPlan(t *testing.T) {
	cfg := kit.SeedConfig(5, 10, 42)
	total := 0
	for p := range cfg.Producers {
		plan := kit.Plan(cfg, p)
		assert.Equal(t, plan, kit.Plan(cfg, p), "the same config and producer give the same plan")
		assert.True(t, len(plan) >= 1 && len(plan) <= 3, "producer %d makes %d items, want 1 to 3", p, len(plan))
		for i, s := range plan {
			assert.Equal(t, p, s.Item.Producer)
			assert.Equal(t, i, s.Item.Seq)
			assert.Len(t, s.Item.Value, 4, "two bytes in hex")
			assert.Contains(t, []time.Duration{0, time.Second, 2 * time.Second}, s.Pause)
			assert.Contains(t, []time.Duration{0, time.Second, 2 * time.Second}, s.Item.Work)
			assert.True(t, s.Item.Made.IsZero(), "the producer stamps Made")
		}
		total += len(plan)
	}
	assert.Greater(t, total, 5, "seed 42 should give some producer more than one item")
	assert.NotEqual(t, kit.Plan(cfg, 0), kit.Plan(kit.SeedConfig(5, 10, 43), 0), "another seed, another plan")
}

func TestPlanFixedCount(t *testing.T) {
	cfg := kit.Config{MinItems: 1000, MaxItems: 1000, ItemSize: 3, Seed: 1}
	plan := kit.Plan(cfg, 0)
	require.Len(t, plan, 1000)
	for _, s := range plan {
		assert.Zero(t, s.Pause, "no Unit: no pause")
		assert.Zero(t, s.Item.Work)
		assert.Len(t, s.Item.Value, 6)
	}
}

func TestPlanClamps(t *testing.T) {
	plan := kit.Plan(kit.Config{MinItems: -3, MaxItems: -1, MaxPause: -2, MaxWork: -1, Unit: time.Second, ItemSize: -1}, 0)
	assert.Empty(t, plan, "no items when both bounds are below zero")
	plan = kit.Plan(kit.Config{MinItems: 2, MaxItems: 1, MaxPause: -2, Unit: time.Second}, 0)
	require.Len(t, plan, 2, "a MaxItems below MinItems counts as MinItems")
	assert.Zero(t, plan[0].Pause)
	assert.Empty(t, plan[0].Item.Value)
}

func TestRecord(t *testing.T) {
	made := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	r := kit.Record{Item: kit.Item{Made: made}, Received: made.Add(3 * time.Second)}
	assert.Equal(t, 3*time.Second, r.Waited())
	s := kit.Stats{Records: []kit.Record{r, {Item: kit.Item{Made: made}, Received: made.Add(time.Second)}}}
	assert.Equal(t, 3*time.Second, s.MaxWait())
	assert.Zero(t, kit.Stats{}.MaxWait())
}

func TestEventString(t *testing.T) {
	item := kit.Item{Producer: 2, Seq: 1, Value: "beef", Work: time.Second}
	tests := []struct {
		give kit.Event
		want string
	}{
		{kit.Event{Kind: kit.Pausing, Producer: 2, Pause: 2 * time.Second}, "Producer 2 pausing for 2s."},
		{kit.Event{Kind: kit.Added, Producer: 2, Item: item}, "Producer 2 handed over <beef>."},
		{kit.Event{Kind: kit.Got, Consumer: 7, Item: item, Waited: time.Second}, "Consumer 7 got <beef> from producer 2 after it waited 1s."},
		{kit.Event{Kind: kit.Handling, Consumer: 7, Item: item, Pause: time.Second}, "Consumer 7 handling <beef> for 1s."},
		{kit.Event{}, "unknown event 0"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.give.String())
	}
	assert.Equal(t, "<beef> (producer 2, #1)", item.String())
}

func TestPrinter(t *testing.T) {
	var out katatest.Output
	report := kit.Printer(&out)
	done := make(chan struct{})
	for i := range 3 {
		go func() {
			defer func() { done <- struct{}{} }()
			report(kit.Event{Kind: kit.Pausing, Producer: i})
		}()
	}
	for range 3 {
		<-done
	}
	assert.ElementsMatch(t, []string{"Producer 0 pausing for 0s.", "Producer 1 pausing for 0s.", "Producer 2 pausing for 0s."}, out.Lines())
}

// fakeRun is a kit.RunFunc that reports one event and returns stats and err.
func fakeRun(got *kit.Config, stats kit.Stats, err error) kit.RunFunc {
	return func(ctx context.Context, cfg kit.Config) (kit.Stats, error) {
		*got = cfg
		cfg.Report(kit.Event{Kind: kit.Pausing, Producer: 0, Pause: cfg.Unit})
		return stats, err
	}
}

func TestMainProgram(t *testing.T) {
	made := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	stats := kit.Stats{Records: []kit.Record{{Item: kit.Item{Made: made}, Received: made.Add(2 * time.Second)}}}
	tests := []struct {
		name       string
		giveArgs   []string
		giveErr    error
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{"completed", []string{"-p", "2", "-c", "3", "-seed", "7", "-scale", "10ms"}, nil, 0, []string{
			"2 producers, 3 consumers, seed 7, one unit = 10ms.",
			"Producer 0 pausing for 10ms.",
			"1 items consumed; the longest wait was 2s.",
			"Program completed in ",
		}, ""},
		{"stopped", []string{"-seed", "7"}, context.Canceled, 1, []string{
			"5 producers, 10 consumers, seed 7, one unit = 1s.",
			"Producer 0 pausing for 1s.",
			"1 items consumed; the longest wait was 2s.",
			"Stopped early after ",
		}, ""},
		{"invalid", []string{"-p", "3", "-c", "0", "-seed", "7"}, fmt.Errorf("%w: no consumer", kit.ErrInvalidConfig), 2, nil, "prodcons: invalid configuration: no consumer"},
		{"bad flag", []string{"-x"}, nil, 2, nil, "flag provided but not defined: -x"},
		{"extra argument", []string{"extra"}, nil, 2, nil, `unexpected arguments ["extra"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			var cfg kit.Config
			code := kit.Main(t.Context(), tt.giveArgs, &stdout, &stderr, fakeRun(&cfg, stats, tt.giveErr))
			assert.Equal(t, tt.wantCode, code)
			assert.Contains(t, stderr.String(), tt.wantStderr)
			lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
			if tt.wantStdout != nil && assert.Len(t, lines, len(tt.wantStdout), "stdout:\n%s", stdout.String()) {
				for i, want := range tt.wantStdout {
					assert.True(t, strings.HasPrefix(lines[i], want), "line %d = %q, want it to start with %q", i, lines[i], want)
				}
			}
		})
	}
}

func TestMainProgramRandomSeed(t *testing.T) {
	var cfg kit.Config
	code := kit.Main(t.Context(), nil, &strings.Builder{}, &strings.Builder{}, fakeRun(&cfg, kit.Stats{}, nil))
	assert.Equal(t, 0, code)
	assert.NotZero(t, cfg.Seed, "a -seed of 0 picks a seed")
	assert.Equal(t, 3, cfg.MaxItems, "the seed script's values")
}
