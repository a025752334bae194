package prodcons_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/ex25_prodcons/kit"
	"github.com/go-async-katas/katas/internal/katatest"
)

// closeConfigs are the runs TestRunClosesItemsOnce makes: several producers finishing at
// different times, so a channel closed twice or too early panics.
var closeConfigs = []kit.Config{kit.SeedConfig(5, 10, 31), kit.SeedConfig(5, 2, 32), kit.SeedConfig(3, 1, 33)}

// TestRunClosesItemsOnce runs Run in a child process (katatest.Isolated), so that a panic in a
// goroutine Run started (closing the channel twice, or sending on it after it was closed)
// fails this test with an explanation instead of ending the whole test binary. It comes first
// in this file, so it runs, and explains, before another test of Run meets the same panic and
// ends the test binary.
func TestRunClosesItemsOnce(t *testing.T) {
	katatest.Isolated(t, explainClose, func(t *testing.T) {
		for _, cfg := range closeConfigs {
			t.Run(describe(cfg), func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					cfg, _ := record(t, cfg)
					stats, err := run(t, t.Context(), cfg)
					if err != nil {
						t.Errorf("%s returned the error %v, want none", describe(cfg), err)
					}
					checkRecords(t, describe(cfg), cfg, stats, allItems(cfg))
				})
			})
		}
	})
}

// explainClose names the likely mistake behind a failed child of TestRunClosesItemsOnce.
func explainClose(c katatest.Child) string {
	var calls []string
	for _, cfg := range closeConfigs {
		calls = append(calls, describe(cfg))
	}
	runs := strings.Join(calls, ", ")
	switch {
	case strings.Contains(c.Output, "panic: close of closed channel"):
		return runs + ": panic: close of closed channel.\n" +
			"The channel was closed more than once. Only one goroutine may close it, once, after every\n" +
			"producer has finished: wait for all the producers (a sync.WaitGroup), then close it."
	case strings.Contains(c.Output, "panic: send on closed channel"):
		return runs + ": panic: send on closed channel.\n" +
			"The channel was closed while a producer still had items to send: close it only after every\n" +
			"producer has finished (wait for all of them, then close)."
	case strings.Contains(c.Output, "WARNING: DATA RACE"):
		return runs + ": the race detector found a data race: two goroutines touched the same memory\n" +
			"at once, one of them writing. Are the consumers appending to the stats without a sync.Mutex,\n" +
			"or is Run reading them before every consumer has finished? (The report is above.)"
	case c.Crash != "":
		return "It crashed in one of " + runs + "."
	}
	return ""
}

func TestRunConsumesEveryItemOnce(t *testing.T) {
	tests := []struct {
		name    string
		giveCfg kit.Config
	}{
		{"seed program", kit.SeedConfig(5, 10, 1)},
		{"few consumers", kit.SeedConfig(5, 2, 2)},
		{"one consumer", kit.SeedConfig(3, 1, 3)},
		{"one of each", kit.SeedConfig(1, 1, 4)},
		{"crowd", withItems(kit.SeedConfig(20, 4, 5), 1, 5)},
		{"no producers", kit.SeedConfig(0, 3, 6)},
		{"nobody", kit.SeedConfig(0, 0, 7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				cfg, _ := record(t, tt.giveCfg)
				stats, err := run(t, t.Context(), cfg)
				if err != nil {
					t.Errorf("%s returned the error %v, want none", describe(cfg), err)
				}
				checkRecords(t, describe(cfg), cfg, stats, allItems(cfg))
			})
		})
	}
}

// Configurations whose timing does not depend on which of several goroutines ready at the
// same instant goes first (see simulate), with seeds picked so that items wait for a free
// consumer or consumers are still handling items when the producers are done.
var (
	oneOfEach         = withItems(kit.SeedConfig(1, 1, 13), 3, 6) // 6 items; 3 wait; producer done at 6s, consumer at 8s
	plentyOfConsumers = kit.SeedConfig(5, 15, 11)                 // 10 items; producers done at 3s, consumers at 5s
	quickConsumers    = withWork(kit.SeedConfig(5, 2, 14), 0)     // 10 items, all done at 3s
)

func TestRunTiming(t *testing.T) {
	// Only configurations whose timing does not depend on which of several goroutines ready
	// at the same instant goes first: one producer, a free consumer for every item, or
	// consumers that take no time.
	tests := []struct {
		name    string
		giveCfg kit.Config
	}{
		{"one of each", oneOfEach},
		{"one producer, three consumers", withItems(kit.SeedConfig(1, 3, 54), 5, 8)},
		{"a free consumer for every item", plentyOfConsumers},
		{"consumers take no time", quickConsumers},
		{"seed program, consumers take no time", withWork(kit.SeedConfig(5, 10, 15), 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := simulate(tt.giveCfg)
			katatest.Bubble(t, func(t *testing.T) {
				cfg, _ := record(t, tt.giveCfg)
				call := describe(cfg)
				start := time.Now()
				stats, err := run(t, t.Context(), cfg)
				took := time.Since(start)
				if err != nil {
					t.Errorf("%s returned the error %v, want none", call, err)
				}
				katatest.Elapsed(t, start, want.end, timingHint(call, took, want))
				checkWaits(t, call, stats, want, start)
			})
		})
	}
}

// timingHint names the likely mistake when a run took took instead of want.end.
func timingHint(call string, took time.Duration, want outcome) string {
	switch {
	case took < want.closed:
		return fmt.Sprintf("%s returned before its producers were done (at %v): wait for every producer", call, want.closed)
	case took < want.end:
		return fmt.Sprintf("%s returned when its producers were done (%v), but a consumer was still handling\n"+
			"an item until %v: wait for the consumers too, and let each finish the item it holds\n"+
			"(close the channel to tell them there is no more; do not cancel them)", call, want.closed, want.end)
	default:
		return fmt.Sprintf("%s took longer than its plans allow: do the producers run at the same time, and does\n"+
			"a free consumer take an item at once (receive first, then handle it for item.Work)?", call)
	}
}

func TestRunCancelled(t *testing.T) {
	tests := []struct {
		name     string
		giveCfg  kit.Config
		giveStop time.Duration // when the context is cancelled: between two events
	}{
		{"a free consumer for every item", plentyOfConsumers, 2500 * time.Millisecond},
		{"consumers take no time", quickConsumers, 1500 * time.Millisecond},
		{"one of each", oneOfEach, 4500 * time.Millisecond},
		{"one of each, while the producer waits to hand over", oneOfEach, 1500 * time.Millisecond},
		{"early", plentyOfConsumers, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := simulate(tt.giveCfg)
			if tt.giveStop >= want.end {
				t.Fatalf("bad test: the run ends at %v, before the cancel at %v", want.end, tt.giveStop)
			}
			wantItems := map[itemKey]bool{}
			for k, at := range want.got {
				if at < tt.giveStop {
					wantItems[k] = true
				}
			}
			katatest.Bubble(t, func(t *testing.T) {
				cfg, _ := record(t, tt.giveCfg)
				call := fmt.Sprintf("%s with ctx cancelled after %v", describe(cfg), tt.giveStop)
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				time.AfterFunc(tt.giveStop, cancel)
				start := time.Now()
				stats, err := run(t, ctx, cfg)

				if !errors.Is(err, context.Canceled) {
					t.Errorf("%s returned the error %v, want one wrapping context.Canceled: when ctx ends, return its error", call, err)
				}
				katatest.Elapsed(t, start, tt.giveStop, "Run should stop as soon as ctx is cancelled, with everything it started stopped:\n"+
					"every pause and handling (kit.Sleep with ctx), every send and every receive must also watch ctx.Done()")
				checkRecords(t, call, cfg, stats, wantItems)
			})
		})
	}
}

func TestRunInvalidConfig(t *testing.T) {
	tests := []struct {
		name    string
		giveCfg kit.Config
	}{
		{"negative producers", kit.SeedConfig(-1, 2, 1)},
		{"negative consumers", kit.SeedConfig(2, -1, 1)},
		{"producers but no consumer", kit.SeedConfig(3, 0, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				cfg, events := record(t, tt.giveCfg)
				call := describe(cfg)
				start := time.Now()
				stats, err := run(t, t.Context(), cfg)
				if !errors.Is(err, kit.ErrInvalidConfig) {
					t.Errorf("%s returned the error %v, want one wrapping kit.ErrInvalidConfig:\n"+
						"check the counts before starting anything (with producers and no consumer, every send would block for ever)", call, err)
				}
				if len(stats.Records) > 0 || len(events.all()) > 0 {
					t.Errorf("%s started work (%d records, %d events), want it to refuse before starting anything", call, len(stats.Records), len(events.all()))
				}
				katatest.Elapsed(t, start, 0, "an invalid configuration is refused at once")
			})
		})
	}
}

func TestRunReportsEvents(t *testing.T) {
	tests := []struct {
		name    string
		giveCfg kit.Config
	}{
		{"seed program", kit.SeedConfig(5, 10, 21)},
		{"one consumer", kit.SeedConfig(3, 1, 22)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				cfg, events := record(t, tt.giveCfg)
				call := describe(cfg)
				stats, err := run(t, t.Context(), cfg)
				if err != nil {
					t.Errorf("%s returned the error %v, want none", call, err)
				}
				all := events.all()
				for p := range cfg.Producers {
					var got, want []string
					for _, e := range all {
						if (e.Kind == kit.Pausing || e.Kind == kit.Added) && e.Producer == p {
							got = append(got, eventLine(e))
						}
					}
					for _, s := range kit.Plan(cfg, p) {
						want = append(want, eventLine(kit.Event{Kind: kit.Pausing, Producer: p, Pause: s.Pause}),
							eventLine(kit.Event{Kind: kit.Added, Producer: p, Item: s.Item}))
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s: producer %d reported\n%s\nwant\n%s\nReport kit.Pausing before each pause and kit.Added after each hand-off, from the producer's goroutine.",
							call, p, lines(got), lines(want))
						return
					}
				}
				for c := range cfg.Consumers {
					var got, want []string
					for _, e := range all {
						if (e.Kind == kit.Got || e.Kind == kit.Handling) && e.Consumer == c {
							got = append(got, eventLine(e))
							if e.Kind == kit.Got {
								want = append(want, eventLine(e), eventLine(kit.Event{Kind: kit.Handling, Consumer: c, Item: e.Item, Pause: e.Item.Work}))
							}
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s: consumer %d reported\n%s\nwant a kit.Handling event (Pause: item.Work) after each kit.Got, before the next one",
							call, c, lines(got))
						return
					}
				}
				for _, r := range stats.Records {
					want := kit.Event{Kind: kit.Got, Consumer: r.Consumer, Item: r.Item, Waited: r.Waited()}
					if !slices.ContainsFunc(all, func(e kit.Event) bool { return e == want }) {
						t.Errorf("%s recorded that consumer %d received %v after it waited %v, but reported no such kit.Got event:\n"+
							"report each item you record, with the same Item and Waited", call, r.Consumer, r.Item, r.Waited())
						return
					}
				}
			})
		})
	}
}

// eventLine renders e for a failure message, with the item's identity.
func eventLine(e kit.Event) string {
	switch e.Kind {
	case kit.Added, kit.Got, kit.Handling:
		return fmt.Sprintf("%v (item %v)", e, e.Item)
	}
	return e.String()
}
