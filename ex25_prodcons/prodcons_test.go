package prodcons_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	prodcons "github.com/go-async-katas/katas/ex25_prodcons"
	"github.com/go-async-katas/katas/ex25_prodcons/kit"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
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
				// The last records and Run's return come at one instant: run it again and again,
				// so that a record still on its way when Run returns shows in every run.
				for range 20 {
					cfg, _ := record(t, tt.giveCfg)
					stats, err := run(t, t.Context(), cfg)
					if err != nil {
						t.Errorf("%s returned the error %v, want none", describe(cfg), err)
					}
					checkRecords(t, describe(cfg), cfg, stats, allItems(cfg))
					if t.Failed() {
						return
					}
				}
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
		{"hundreds, a free consumer for every item", kit.SeedConfig(200, 600, 16)}, // more consumers than any machine has cores
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
				draw := drawItems(stats, start, took, cfg, want)
				if took != want.end {
					t.Errorf("took %v of fake time, want %v: %s%s", took, want.end, timingHint(call, took, want), draw())
				}
				checkWaits(t, call, stats, want, start, draw)
			})
		})
	}
}

// timingHint names the likely mistake when a run took took instead of want.end.
func timingHint(call string, took time.Duration, want outcome) string {
	switch {
	case took < want.closed:
		return fmt.Sprintf("%s returned before its producers' plans end (at %v): wait for every producer", call, want.closed)
	case took < want.end:
		return fmt.Sprintf("%s returned after the producers' plans end (%v), but before the last item should be\n"+
			"handled (%v): wait for the consumers too, and let each finish the item it holds (close the channel to tell them\n"+
			"there is no more; do not cancel them). Or is the channel buffered? Then producers finish early, and\n"+
			"items wait in the buffer: Run's doc asks for an unbuffered channel, where a hand-off waits for a consumer",
			call, want.closed, want.end)
	default:
		return fmt.Sprintf("%s took longer than its plans allow: does it start every one of the consumers (not one\n"+
			"per CPU), do the producers run at the same time, and does a free consumer take an item at once (receive\n"+
			"first, then handle it for item.Work)?", call)
	}
}

// errStop is the cause the tests cancel a run with: why the caller gave up.
var errStop = errors.New("stopped by the user")

// ending is how a test ends a run's context at a given time.
type ending int

const (
	cancelled          ending = iota // cancel()
	cancelledWithCause               // a context.WithCancelCause cancel(errStop)
	deadline                         // a context.WithTimeout that expires
)

// endAt returns a child of parent that ends at d from now as e says, a description of how
// for a failure message, and the error Run must wrap then.
func endAt(parent context.Context, e ending, d time.Duration) (context.Context, context.CancelFunc, string, error) {
	switch e {
	case cancelledWithCause:
		ctx, cancel := context.WithCancelCause(parent)
		time.AfterFunc(d, func() { cancel(errStop) })
		return ctx, func() { cancel(nil) }, fmt.Sprintf("ctx cancelled after %v with a cause (%v)", d, errStop), context.Canceled
	case deadline:
		ctx, cancel := context.WithTimeout(parent, d)
		return ctx, cancel, fmt.Sprintf("a ctx whose deadline passes after %v", d), context.DeadlineExceeded
	}
	ctx, cancel := context.WithCancel(parent)
	time.AfterFunc(d, cancel)
	return ctx, cancel, fmt.Sprintf("ctx cancelled after %v", d), context.Canceled
}

func TestRunCancelled(t *testing.T) {
	tests := []struct {
		name     string
		giveCfg  kit.Config
		giveStop time.Duration // when the context ends: between two events
		giveEnd  ending
	}{
		{"a free consumer for every item", plentyOfConsumers, 2500 * time.Millisecond, cancelled},
		{"consumers take no time", quickConsumers, 1500 * time.Millisecond, cancelled},
		{"one of each", oneOfEach, 4500 * time.Millisecond, cancelled},
		{"one of each, while the producer waits to hand over", oneOfEach, 1500 * time.Millisecond, cancelled},
		{"early", plentyOfConsumers, 500 * time.Millisecond, cancelled},
		{"with a cause", plentyOfConsumers, 2500 * time.Millisecond, cancelledWithCause},
		{"deadline", oneOfEach, 4500 * time.Millisecond, deadline},
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
				ctx, cancel, how, wantErr := endAt(t.Context(), tt.giveEnd, tt.giveStop)
				defer cancel()
				call := fmt.Sprintf("%s with %s", describe(cfg), how)
				start := time.Now()
				stats, err := run(t, ctx, cfg)

				if !errors.Is(err, wantErr) {
					t.Errorf("%s returned the error %v, want one wrapping %s: when ctx ends, return ctx.Err()", call, err, errName(wantErr))
				}
				if took := time.Since(start); took != tt.giveStop {
					t.Errorf("took %v of fake time, want %v: Run should stop as soon as ctx ends, with everything it started stopped:\n"+
						"every pause and handling (kit.Sleep with ctx), every send and every receive must also watch ctx.Done()%s",
						took, tt.giveStop, drawHandOffs(stats, start, took, tt.giveStop, want))
				}
				checkRecords(t, call, cfg, stats, wantItems)
			})
		})
	}
}

// TestRunCancelledAtHandOff ends the context at the very instant producers hand items over
// and consumers finish items, many times: which of the two goes first differs from round to
// round. Whatever happens, an item handed over is an item received, and an item received is
// recorded and reported.
func TestRunCancelledAtHandOff(t *testing.T) {
	const rounds = 50
	cfg := plentyOfConsumers
	want := simulate(cfg)
	stop := want.end // becomes the first instant after the start when an item is handed over
	for _, at := range want.got {
		if at > 0 {
			stop = min(stop, at)
		}
	}
	katatest.Bubble(t, func(t *testing.T) {
		for round := range rounds {
			cfg, events := record(t, cfg)
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(stop, cancel)
			call := fmt.Sprintf("%s with ctx cancelled after %v, the instant of a hand-off (round %d of %d)", describe(cfg), stop, round+1, rounds)
			start := time.Now()
			stats, err := run(t, ctx, cfg)
			cancel()

			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s returned the error %v, want one wrapping context.Canceled", call, err)
			}
			if took := time.Since(start); took != stop {
				t.Errorf("took %v of fake time, want %v: Run should stop at once when ctx is cancelled%s", took, stop, drawHandOffs(stats, start, took, stop, want))
			}
			wantItems := map[itemKey]bool{}
			for k, at := range want.got {
				switch {
				case at < stop:
					wantItems[k] = true
				case at == stop:
					wantItems[k] = false // it may have been handed over just before the cancel, or not
				}
			}
			checkRecords(t, call, cfg, stats, wantItems)
			checkHandedOver(t, call, stats, events.all())
			if t.Failed() {
				return
			}
		}
	})
}

// checkHandedOver checks that the items the producers reported handed over (kit.Added), the
// items the consumers reported receiving (kit.Got) and the items recorded in stats are the same.
func checkHandedOver(t *testing.T, call string, stats kit.Stats, events []kit.Event) {
	t.Helper()
	added, got, recorded := map[itemKey]bool{}, map[itemKey]bool{}, map[itemKey]bool{}
	for _, e := range events {
		switch e.Kind {
		case kit.Added:
			added[keyOf(e.Item)] = true
		case kit.Got:
			got[keyOf(e.Item)] = true
		}
	}
	for _, r := range stats.Records {
		recorded[keyOf(r.Item)] = true
	}
	for _, k := range sortedKeys(added) {
		if !recorded[k] {
			t.Errorf("%s: producer %d reported handing over item #%d (kit.Added), but no consumer recorded it.\n"+
				"Did a consumer receive it and drop it because ctx had ended (an item received is an item recorded:\n"+
				"record it, then stop)? Did the producer report kit.Added for an item it never handed over (report it\n"+
				"only after the send succeeded)? Or did two consumers append to the stats at once, without the lock,\n"+
				"so that one record overwrote the other?", call, k.producer, k.seq)
			return
		}
	}
	for _, k := range sortedKeys(recorded) {
		switch {
		case !added[k]:
			t.Errorf("%s recorded item #%d of producer %d, which its producer never reported handing over:\n"+
				"after each successful send, report kit.Added", call, k.seq, k.producer)
			return
		case !got[k]:
			t.Errorf("%s recorded item #%d of producer %d, but reported no kit.Got for it: report every item you record",
				call, k.seq, k.producer)
			return
		}
	}
}

// TestRunWithoutReport runs Run with no Report, in a child process (katatest.Isolated): a Run
// that calls a nil cfg.Report panics on a goroutine it started, which would end the whole
// test binary.
func TestRunWithoutReport(t *testing.T) {
	katatest.Isolated(t, explainNilReport, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			cfg := kit.SeedConfig(5, 10, 41) // Report is nil
			stats, err := run(t, t.Context(), cfg)
			if err != nil {
				t.Errorf("%s with no Report returned the error %v, want none", describe(cfg), err)
			}
			checkRecords(t, describe(cfg)+" with no Report", cfg, stats, allItems(cfg))
		})
	})
}

// explainNilReport names the likely mistake behind a crashed child of TestRunWithoutReport.
func explainNilReport(c katatest.Child) string {
	if !strings.Contains(c.Output, "nil pointer dereference") {
		return ""
	}
	return "Run called cfg.Report, which was nil: a Config need not have a Report. Call it only when it is not nil\n" +
		"(or put a function that does nothing in its place once, before starting anything)."
}

func TestRunInvalidConfig(t *testing.T) {
	tests := []struct {
		name    string
		giveCfg kit.Config
	}{
		{"negative producers", kit.SeedConfig(-1, 2, 1)},
		{"negative consumers", kit.SeedConfig(2, -1, 1)},
		{"producers but no consumer", kit.SeedConfig(3, 0, 1)},
		{"negative consumers and no producer", kit.SeedConfig(0, -1, 1)},
		{"negative consumers and negative producers", kit.SeedConfig(-1, -1, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				cfg, events := record(t, tt.giveCfg)
				call := describe(cfg)
				start := time.Now()
				// Not through run, which cancels ctx as Run returns: a goroutine Run started
				// before refusing must meet a live ctx, and report its work. The hour ends a Run
				// that accepted the configuration and waits for ever.
				ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
				defer cancel()
				stats, err := prodcons.Run(ctx, cfg)
				if !errors.Is(err, kit.ErrInvalidConfig) {
					t.Errorf("%s returned the error %v, want one wrapping kit.ErrInvalidConfig:\n"+
						"check the counts before starting anything (with producers and no consumer, every send would block for ever)", call, err)
				}
				katatest.Elapsed(t, start, 0, "an invalid configuration is refused at once")
				before := len(events.all())
				synctest.Wait() // goroutines Run started before it refused run until they wait, and report
				if n := len(events.all()); len(stats.Records) > 0 || n > 0 {
					late := ""
					if n > before {
						late = fmt.Sprintf(", %d of them reported after Run had returned", n-before)
					}
					t.Errorf("%s started work (%d records, %d events%s), want it to refuse before starting anything: "+
						"check the counts first, before the first go statement", call, len(stats.Records), n, late)
				}
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
				start := time.Now()
				stats, err := run(t, t.Context(), cfg)
				if err != nil {
					t.Errorf("%s returned the error %v, want none", call, err)
				}
				all, at := events.all(), events.at()
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
				checkEventTimes(t, call, start, all, at)
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

// drawHandOffs draws, for the end of a message, when each item a run received was handed
// over and when the run returned (took), beside the instant its ctx ended (stop), above the
// same for the items want hands over before stop and a return at stop. Items not handed over
// are not drawn: when each stopped is not recorded.
func drawHandOffs(stats kit.Stats, start time.Time, took, stop time.Duration, want outcome) string {
	handOff := func(item kit.Item) string { return fmt.Sprintf("p%d item %d", item.Producer, item.Seq) }
	got := timeline.Want().Mark("ctx ends", stop)
	for _, r := range stats.Records {
		got.Mark(handOff(r.Item), r.Received.Sub(start))
	}
	wanted := timeline.Want().Mark("ctx ends", stop)
	for k, at := range want.got {
		if at < stop {
			wanted.Mark(handOff(kit.Item{Producer: k.producer, Seq: k.seq}), at)
		}
	}
	for _, tl := range []*timeline.Timeline{got, wanted} {
		slices.SortFunc(tl.Spans, func(a, b timeline.Span) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Name, b.Name))
		})
	}
	return "\n\nWhen each item was handed over, and when the run returned:\n" +
		timeline.Diff(*got.Return(took), *wanted.Return(stop), timeline.StyleFromEnv())
}

// checkEventTimes checks that each event was reported when it happened, as Run's doc says: a
// producer's Pausing as its pause begins (at the start, then as it reports the item before
// Added), its Added once the pause is over and the item handed over; a consumer's Handling at
// the instant of its Got, before the work, and its next Got once the work is done.
func checkEventTimes(t *testing.T, call string, start time.Time, all []kit.Event, at []time.Time) {
	t.Helper()
	producerLast := map[int]time.Time{} // when each producer's last event came
	lastPause := map[int]time.Duration{}
	consumerGot := map[int]time.Time{}
	consumerFree := map[int]time.Time{} // when each consumer's handling ends
	for i, e := range all {
		when := at[i].Sub(start)
		switch e.Kind {
		case kit.Pausing:
			last, ok := producerLast[e.Producer]
			if !ok {
				last = start
			}
			if !at[i].Equal(last) {
				t.Errorf("%s: producer %d reported %q at %v, want %v (the start, or its last Added): report kit.Pausing "+
					"as the pause begins, before kit.Sleep, not after it", call, e.Producer, e, when, last.Sub(start))
				return
			}
			producerLast[e.Producer], lastPause[e.Producer] = at[i], e.Pause
		case kit.Added:
			if earliest := producerLast[e.Producer].Add(lastPause[e.Producer]); at[i].Before(earliest) {
				t.Errorf("%s: producer %d reported %q at %v, before its %v pause was over (at %v): report kit.Added "+
					"once the item is handed over", call, e.Producer, e, when, lastPause[e.Producer], earliest.Sub(start))
				return
			}
			producerLast[e.Producer] = at[i]
		case kit.Got:
			if free, ok := consumerFree[e.Consumer]; ok && at[i].Before(free) {
				t.Errorf("%s: consumer %d reported %q at %v, before its last item's work was done (at %v): "+
					"take the next item only after the work", call, e.Consumer, e, when, free.Sub(start))
				return
			}
			consumerGot[e.Consumer] = at[i]
		case kit.Handling:
			if got := consumerGot[e.Consumer]; !at[i].Equal(got) {
				t.Errorf("%s: consumer %d reported %q at %v, %v after its Got: report kit.Handling as the work begins, "+
					"right after kit.Got, and only then wait item.Work", call, e.Consumer, e, when, at[i].Sub(got))
				return
			}
			consumerFree[e.Consumer] = at[i].Add(e.Pause)
		}
	}
}
