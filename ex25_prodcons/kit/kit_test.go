package kit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/ex25_prodcons/kit"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

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
	planned := func(p, c int) int { // the items -seed 7 plans for p producers
		n := 0
		for i := range p {
			n += len(kit.Plan(kit.SeedConfig(p, c, 7), i))
		}
		return n
	}
	tests := []struct {
		name       string
		giveArgs   []string
		giveStats  kit.Stats
		giveErr    error
		wantCode   int
		wantStdout []string // the start of each line
		wantStderr string
	}{
		{"completed", []string{"-p", "2", "-c", "3", "-seed", "7", "-scale", "10ms"}, stats, nil, kit.ExitOK, []string{
			fmt.Sprintf("2 producers, 3 consumers, seed 7, one unit = 10ms: %d items planned, at least ", planned(2, 3)),
			"Producer 0 pausing for 10ms.",
			"1 item consumed; the longest wait was 2s.",
			"Program completed in ",
		}, ""},
		{"failed", []string{"-seed", "7"}, stats, errors.New("disk full"), kit.ExitFailed, []string{
			"5 producers, 10 consumers, seed 7, one unit = 1s: ",
			"Producer 0 pausing for 1s.",
			"1 item consumed; the longest wait was 2s.",
		}, "prodcons: disk full"},
		{"not implemented", []string{"-seed", "7"}, kit.Stats{}, kit.ErrNotImplemented, kit.ExitFailed, []string{
			"5 producers, 10 consumers, seed 7, one unit = 1s: ",
			"Producer 0 pausing for 1s.",
		}, "Run is not written yet"},
		{"no items and no error", []string{"-seed", "7"}, kit.Stats{}, nil, kit.ExitFailed, []string{
			"5 producers, 10 consumers, seed 7, one unit = 1s: ",
			"Producer 0 pausing for 1s.",
		}, "Run is not written yet"},
		{"nothing to do", []string{"-p", "0", "-c", "0", "-seed", "7"}, kit.Stats{}, nil, kit.ExitOK, []string{
			"0 producers, 0 consumers, seed 7, one unit = 1s: 0 items planned, at least 0s.",
			"Producer 0 pausing for 1s.",
			"0 items consumed; the longest wait was 0s.",
			"Program completed in ",
		}, ""},
		{"invalid configuration from Run", []string{"-seed", "7"}, kit.Stats{}, fmt.Errorf("%w: no consumer", kit.ErrInvalidConfig),
			kit.ExitUsage, nil, "prodcons: invalid configuration: no consumer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			var cfg kit.Config
			code := kit.Main(t.Context(), tt.giveArgs, &stdout, &stderr, fakeRun(&cfg, tt.giveStats, tt.giveErr))
			assert.Equal(t, tt.wantCode, code, "exit code")
			if tt.wantStderr == "" {
				assert.Empty(t, stderr.String())
			}
			assert.Contains(t, stderr.String(), tt.wantStderr)
			checkLines(t, stdout.String(), tt.wantStdout)
		})
	}
}

// checkLines checks that out has one line per entry of want, each starting with it.
func checkLines(t *testing.T, out string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if want != nil && assert.Len(t, lines, len(want), "stdout:\n%s", out) {
		for i, w := range want {
			assert.True(t, strings.HasPrefix(lines[i], w), "line %d = %q, want it to start with %q", i, lines[i], w)
		}
	}
}

func TestMainProgramBadFlags(t *testing.T) {
	tests := []struct {
		name       string
		giveArgs   []string
		wantStderr string
	}{
		{"unknown flag", []string{"-x"}, "prodcons: flag provided but not defined: -x (prodcons -h lists the flags)"},
		{"bad number", []string{"-p", "many"}, `prodcons: invalid value "many" for flag -p`},
		{"extra argument", []string{"extra"}, `prodcons: unexpected arguments ["extra"]`},
		{"zero scale", []string{"-scale", "0"}, "prodcons: -scale 0s: one unit of pause or work must be longer than 0"},
		{"negative scale", []string{"-scale", "-1s"}, "prodcons: -scale -1s: one unit"},
		{"negative producers", []string{"-p", "-1"}, "prodcons: -p -1: the number of producers must be from 0 to 1000"},
		{"too many producers", []string{"-p", "100000", "-c", "1"}, "prodcons: -p 100000: the number of producers must be from 0 to 1000"},
		{"negative consumers", []string{"-c", "-1"}, "prodcons: -c -1: the number of consumers must be from 0 to 1000"},
		{"too many consumers", []string{"-c", "5000"}, "prodcons: -c 5000: the number of consumers must be from 0 to 1000"},
		{"producers but no consumer", []string{"-p", "3", "-c", "0"}, "prodcons: -p 3 -c 0: producers need at least one consumer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			ran := false
			code := kit.Main(t.Context(), tt.giveArgs, &stdout, &stderr, func(context.Context, kit.Config) (kit.Stats, error) {
				ran = true
				return kit.Stats{}, nil
			})
			assert.Equal(t, kit.ExitUsage, code, "exit code")
			assert.False(t, ran, "Run was called")
			assert.Empty(t, stdout.String(), "nothing on stdout (no banner) before a bad flag")
			assert.True(t, strings.HasPrefix(stderr.String(), tt.wantStderr), "stderr = %q, want it to start with %q", stderr.String(), tt.wantStderr)
			assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one line on stderr: %q", stderr.String())
		})
	}
}

func TestMainProgramHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		var stdout, stderr strings.Builder
		code := kit.Main(t.Context(), []string{arg}, &stdout, &stderr, nil)
		assert.Equal(t, kit.ExitOK, code, "%s: help asked for is not an error", arg)
		assert.Empty(t, stderr.String(), arg)
		assert.Contains(t, stdout.String(), "usage: prodcons [flags]", arg)
		assert.Contains(t, stdout.String(), "producer/consumer program", arg)
		assert.Contains(t, stdout.String(), "-scale", arg)
	}
}

func TestMainProgramInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr strings.Builder
	code := kit.Main(ctx, []string{"-seed", "7"}, &stdout, &stderr, func(ctx context.Context, cfg kit.Config) (kit.Stats, error) {
		cancel() // Ctrl-C while it runs
		return kit.Stats{Records: []kit.Record{{}}}, fmt.Errorf("stopped: %w", ctx.Err())
	})
	assert.Equal(t, kit.ExitInterrupted, code, "Ctrl-C exits 130")
	assert.Empty(t, stderr.String())
	checkLines(t, stdout.String(), []string{
		"5 producers, 10 consumers, seed 7, one unit = 1s: ",
		"1 item consumed; the longest wait was 0s.",
		"Stopped early after ",
		"Bye.",
	})
}

func TestMainProgramRandomSeed(t *testing.T) {
	var cfg kit.Config
	code := kit.Main(t.Context(), nil, &strings.Builder{}, &strings.Builder{}, fakeRun(&cfg, kit.Stats{Records: []kit.Record{{}}}, nil))
	assert.Equal(t, 0, code)
	assert.NotZero(t, cfg.Seed, "a -seed of 0 picks a seed")
	assert.Equal(t, 3, cfg.MaxItems, "the seed script's values")
}

func TestMainProgramSaysHowLong(t *testing.T) {
	var stdout strings.Builder
	var cfg kit.Config
	code := kit.Main(t.Context(), []string{"-p", "1000", "-c", "1", "-seed", "7"}, &stdout, &strings.Builder{},
		fakeRun(&cfg, kit.Stats{Records: []kit.Record{{}}}, nil))
	require.Equal(t, kit.ExitOK, code)
	banner, _, _ := strings.Cut(stdout.String(), "\n")
	_, least, ok := strings.Cut(banner, "at least ")
	require.True(t, ok, "the banner %q says how long the run takes at least", banner)
	d, err := time.ParseDuration(strings.TrimSuffix(least, "."))
	require.NoError(t, err, "banner %q", banner)
	var work time.Duration
	for p := range cfg.Producers {
		for _, s := range kit.Plan(cfg, p) {
			work += s.Item.Work
		}
	}
	assert.Equal(t, work, d, "1000 producers and one consumer: the consumer's work alone, one item after another")
	assert.Greater(t, d, 30*time.Minute, "banner %q", banner)
}
