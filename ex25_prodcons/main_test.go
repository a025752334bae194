package prodcons_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	prodcons "github.com/go-async-katas/katas/ex25_prodcons"
	"github.com/go-async-katas/katas/ex25_prodcons/kit"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

// TestMain fails the run if goroutines are left running after all tests passed.
func TestMain(m *testing.M) { katatest.Main(m) }

// run calls prodcons.Run(ctx, cfg) inside a bubble. If Run has not returned after an hour of
// fake time, far longer than any plan in these tests takes, it reports that Run hangs and
// cancels ctx, so that a Run whose goroutines watch ctx can still return; if ctx was already
// cancelled, it reports that Run did not stop.
func run(t *testing.T, ctx context.Context, cfg kit.Config) (kit.Stats, error) {
	t.Helper()
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watchdog := time.AfterFunc(time.Hour, func() {
		if parent.Err() != nil {
			t.Errorf("%s had not returned an hour of fake time after its ctx was cancelled.\n"+
				"Is a producer stuck handing over an item that no consumer will take, now that they have stopped?\n"+
				"A send that can wait must also watch ctx: select { case items <- item: case <-ctx.Done(): return }.\n"+
				"The same goes for any receive that does not end when the channel is closed.", describe(cfg))
			return
		}
		t.Errorf("%s had not returned after an hour of fake time, far longer than its plans take.\n"+
			"Are its consumers still waiting for items that will never come? Once every producer has finished,\n"+
			"close the channel (once), so that each consumer's loop ends, and wait for every goroutine you\n"+
			"started. The test now cancels ctx.", describe(cfg))
		cancel()
	})
	defer watchdog.Stop()
	stats, err := prodcons.Run(ctx, cfg)
	if errors.Is(err, kit.ErrNotImplemented) {
		t.Fatalf("%s returned kit.ErrNotImplemented: Run is not written yet (this folder's README.md says how)", describe(cfg))
	}
	return stats, err
}

// withItems returns cfg with each producer making between lo and hi items.
func withItems(cfg kit.Config, lo, hi int) kit.Config {
	cfg.MinItems, cfg.MaxItems = lo, hi
	return cfg
}

// withWork returns cfg with consumers handling an item for 0 to units units.
func withWork(cfg kit.Config, units int) kit.Config {
	cfg.MaxWork = units
	return cfg
}

// describe renders the call Run(cfg) for failure messages.
func describe(cfg kit.Config) string {
	return fmt.Sprintf("Run(%s, %s, seed %d)", count(cfg.Producers, "producer"), count(cfg.Consumers, "consumer"), cfg.Seed)
}

// count renders n things: "1 producer", "2 producers".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// itemKey identifies an item: its producer and its place among that producer's items.
type itemKey struct{ producer, seq int }

func keyOf(it kit.Item) itemKey { return itemKey{it.Producer, it.Seq} }

// plannedItems returns every item cfg's producers make, by key.
func plannedItems(cfg kit.Config) map[itemKey]kit.Item {
	items := map[itemKey]kit.Item{}
	for p := range max(cfg.Producers, 0) {
		for _, s := range kit.Plan(cfg, p) {
			items[keyOf(s.Item)] = s.Item
		}
	}
	return items
}

// allItems returns the keys of every item cfg's producers make.
func allItems(cfg kit.Config) map[itemKey]bool {
	keys := map[itemKey]bool{}
	for k := range plannedItems(cfg) {
		keys[k] = true
	}
	return keys
}

// recorder collects the events of a run. It is safe for concurrent use.
type recorder struct {
	t        *testing.T
	call     string
	planned  map[itemKey]kit.Item
	mu       sync.Mutex
	events   []kit.Event
	times    []time.Time // when each event was reported (fake time in a bubble)
	spinning bool        // a consumer reported an item no producer made
}

// record returns cfg reporting to a new recorder, and the recorder.
func record(t *testing.T, cfg kit.Config) (kit.Config, *recorder) {
	r := &recorder{t: t, call: describe(cfg), planned: plannedItems(cfg)}
	cfg.Report = r.report
	return cfg, r
}

func (r *recorder) report(e kit.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.times = append(r.times, time.Now())
	want, known := r.planned[keyOf(e.Item)]
	spinning := e.Kind == kit.Got && (!known || want.Value != e.Item.Value)
	first := spinning && !r.spinning
	r.spinning = r.spinning || spinning
	r.mu.Unlock()
	if first {
		r.t.Errorf("%s: consumer %d got %v, an item no producer made.\n"+
			"A receive from a closed channel returns the zero value at once, again and again: a consumer\n"+
			"must stop when the channel is closed (range over it, or check ok in v, ok := <-items).\n"+
			"The test ends each such consumer's goroutine when it reports an item like this.", r.call, e.Consumer, e.Item)
	}
	if spinning {
		// Without this, the consumer would loop for ever and the test would hang. Goexit runs
		// the goroutine's deferred calls (its WaitGroup's Done), so Run can still return.
		runtime.Goexit()
	}
}

// all returns a copy of the events recorded so far.
func (r *recorder) all() []kit.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// at returns when each event was reported, in the order of all.
func (r *recorder) at() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.times)
}

// checkRecords checks that stats holds one record for each item want maps to true, may hold
// one for each item it maps to false, and holds nothing else; each from a consumer of cfg,
// made before it was received, each producer's items received in the order they were made,
// and no consumer receiving an item while it still handles another.
func checkRecords(t *testing.T, call string, cfg kit.Config, stats kit.Stats, want map[itemKey]bool) {
	t.Helper()
	planned := plannedItems(cfg)
	seen := map[itemKey]kit.Record{}
	for _, r := range stats.Records {
		k := keyOf(r.Item)
		p, ok := planned[k]
		switch {
		case r.Item == kit.Item{}:
			t.Errorf("%s recorded a zero kit.Item: a receive from a closed channel returns the zero value;\n"+
				"a consumer must stop when the channel is closed (range over it, or check ok)", call)
			return
		case !ok || p.Value != r.Item.Value || p.Work != r.Item.Work:
			t.Errorf("%s recorded %v, an item no producer made: record exactly what the consumer received", call, r.Item)
			return
		case !hasKey(want, k):
			t.Errorf("%s recorded %v, which was made but should not have been received yet: was the context cancelled?", call, r.Item)
			return
		}
		if first, dup := seen[k]; dup {
			t.Errorf("%s recorded %v twice (consumers %d and %d): each item is handed over once and received once",
				call, r.Item, first.Consumer, r.Consumer)
			return
		}
		seen[k] = r
		switch {
		case r.Consumer < 0 || r.Consumer >= cfg.Consumers:
			t.Errorf("%s recorded %v as received by consumer %d, want a consumer from 0 to %d", call, r.Item, r.Consumer, cfg.Consumers-1)
			return
		case r.Item.Made.IsZero() || r.Received.IsZero():
			t.Errorf("%s recorded %v made at %v and received at %v: the producer sets Made just before handing the item\n"+
				"over, and the consumer sets Received when it gets it (time.Now())", call, r.Item, r.Item.Made, r.Received)
			return
		case r.Received.Before(r.Item.Made):
			t.Errorf("%s recorded %v as received %v before it was made", call, r.Item, r.Item.Made.Sub(r.Received))
			return
		}
	}
	for _, k := range sortedKeys(want) {
		if _, ok := seen[k]; !ok && want[k] {
			t.Errorf("%s never recorded %v: the item was lost (%d of %d items recorded).\n"+
				"Every item a producer makes must reach a consumer, and every item a consumer receives must be\n"+
				"recorded, with the stats guarded against consumers appending at once (a sync.Mutex), and read\n"+
				"only after every consumer has finished. If records travel to the stats through a goroutine of\n"+
				"their own (a collector), Run must wait for it too: every goroutine Run starts has finished when\n"+
				"it returns.", call, planned[k], len(seen), len(want))
			return
		}
	}
	for p := range max(cfg.Producers, 0) {
		var prev kit.Record
		for seq := 0; ; seq++ {
			r, ok := seen[itemKey{p, seq}]
			if !ok {
				break
			}
			if seq > 0 && r.Received.Before(prev.Received) {
				t.Errorf("%s received %v before %v: one producer's items must arrive in the order it made them", call, r.Item, prev.Item)
				return
			}
			prev = r
		}
	}
	// A consumer handles one item at a time: it takes the next only once the last one's work
	// is done. Two records of one consumer that overlap are two consumers' items.
	byConsumer := map[int][]kit.Record{}
	for _, r := range seen {
		byConsumer[r.Consumer] = append(byConsumer[r.Consumer], r)
	}
	for _, c := range slices.Sorted(maps.Keys(byConsumer)) {
		rs := byConsumer[c]
		slices.SortFunc(rs, func(a, b kit.Record) int { // at one instant, the items with no work come first
			return cmp.Or(a.Received.Compare(b.Received), cmp.Compare(a.Item.Work, b.Item.Work))
		})
		for i := 1; i < len(rs); i++ {
			if free := rs[i-1].Received.Add(rs[i-1].Item.Work); rs[i].Received.Before(free) {
				t.Errorf("%s recorded consumer %d receiving %v while it was still handling %v (%v of work left):\n"+
					"a consumer handles one item at a time, so another consumer took it. Record the number of the\n"+
					"consumer that received the item: hand each consumer goroutine its own number (Record.Consumer)",
					call, c, rs[i].Item, rs[i-1].Item, free.Sub(rs[i].Received))
				return
			}
		}
	}
}

// hasKey reports whether k is in m, whatever it maps to.
func hasKey(m map[itemKey]bool, k itemKey) bool {
	_, ok := m[k]
	return ok
}

func sortedKeys(m map[itemKey]bool) []itemKey {
	return slices.SortedFunc(maps.Keys(m), func(a, b itemKey) int {
		return cmp.Or(cmp.Compare(a.producer, b.producer), cmp.Compare(a.seq, b.seq))
	})
}

// outcome is what a run of a configuration must do, worked out from its plans.
type outcome struct {
	closed time.Duration             // when the last producer has handed over its last item
	end    time.Duration             // when the run is over: the last item handled, or closed
	made   map[itemKey]time.Duration // when each item was ready to hand over
	got    map[itemKey]time.Duration // when each item was received
}

// simulate works out the outcome of running cfg, with every time counted from the start. It
// hands each item, in the order they are ready, to the consumer that is free first. That is
// what every correct Run does when the result cannot depend on which of several goroutines
// ready at the same instant goes first: with one producer, with a free consumer for every
// item, or with consumers that take no time.
func simulate(cfg kit.Config) outcome {
	o := outcome{made: map[itemKey]time.Duration{}, got: map[itemKey]time.Duration{}}
	plans := make([][]kit.Step, cfg.Producers)
	next := make([]int, cfg.Producers)            // the index of each producer's next step
	ready := make([]time.Duration, cfg.Producers) // when that step's item is ready
	for p := range plans {
		plans[p] = kit.Plan(cfg, p)
		if len(plans[p]) > 0 {
			ready[p] = plans[p][0].Pause
		}
	}
	free := make([]time.Duration, cfg.Consumers) // when each consumer is free
	for {
		p := -1
		for q := range plans {
			if next[q] < len(plans[q]) && (p < 0 || ready[q] < ready[p]) {
				p = q
			}
		}
		if p < 0 {
			break
		}
		c := slices.Index(free, slices.Min(free))
		item := plans[p][next[p]].Item
		at := max(ready[p], free[c])
		o.made[keyOf(item)], o.got[keyOf(item)] = ready[p], at
		free[c] = at + item.Work
		o.end = max(o.end, free[c])
		o.closed = max(o.closed, at)
		if next[p]++; next[p] < len(plans[p]) {
			ready[p] = at + plans[p][next[p]].Pause
		}
	}
	return o
}

// checkWaits checks that each record of a run that started at start shows the item made and
// received when want says. draw adds a drawing of the run to the message.
func checkWaits(t *testing.T, call string, stats kit.Stats, want outcome, start time.Time, draw func() string) {
	t.Helper()
	slices.SortFunc(stats.Records, func(a, b kit.Record) int { return a.Received.Compare(b.Received) })
	for _, r := range stats.Records {
		k := keyOf(r.Item)
		made, got := r.Item.Made.Sub(start), r.Received.Sub(start)
		if made == want.made[k] && got == want.got[k] {
			continue
		}
		var hint string
		switch {
		case made < want.made[k]:
			hint = "it was made too early. Is Made set before the pause, or did its producer go on before a consumer\n" +
				"took its previous item? On an unbuffered channel, as Run's doc asks, a hand-off waits for a consumer;\n" +
				"a buffered channel lets a producer run ahead"
		case made > want.made[k]:
			hint = "a producer sets Made just before it hands the item over, after its pause"
		default:
			hint = "a free consumer should take an item as soon as it is ready: are all the consumers running, and does\n" +
				"each receive first, then handle the item?"
		}
		t.Errorf("%s: %v was made at %v and received at %v (it waited %v), want made at %v and received at %v: %s%s",
			call, r.Item, made, got, r.Waited(), want.made[k], want.got[k], hint, draw())
		return
	}
}

// maxDrawnItems is how many items a run may have for its failures to draw it: two rows an
// item, so a drawing stays readable.
const maxDrawnItems = 8

// drawItems returns a func that draws, the first time it is called, what a run that started
// at start and returned after took did with each item (how long it waited to be handed over,
// and when a consumer handled it) above what want says, after a blank line; "" after that,
// and for runs with more than maxDrawnItems items.
func drawItems(stats kit.Stats, start time.Time, took time.Duration, cfg kit.Config, want outcome) func() string {
	drawn := false
	return func() string {
		if drawn || len(want.got) > maxDrawnItems {
			return ""
		}
		drawn = true
		got := timeline.Timeline{Returned: true, ReturnAt: took}
		for _, r := range stats.Records {
			got.Spans = append(got.Spans, itemSpans(r.Item, r.Item.Made.Sub(start), r.Received.Sub(start))...)
		}
		wanted := timeline.Timeline{Returned: true, ReturnAt: want.end}
		for k, item := range plannedItems(cfg) {
			wanted.Spans = append(wanted.Spans, itemSpans(item, want.made[k], want.got[k])...)
		}
		for _, tl := range []*timeline.Timeline{&got, &wanted} {
			slices.SortFunc(tl.Spans, func(a, b timeline.Span) int { return cmp.Compare(a.Name, b.Name) })
		}
		return "\n\nEach item: how long it waited to be handed over, and when a consumer handled it.\n" +
			timeline.Diff(got, wanted, timeline.StyleFromEnv())
	}
}

// itemSpans draws item, made at made and received at got: its wait (if it waited) and its work.
func itemSpans(item kit.Item, made, got time.Duration) []timeline.Span {
	name := fmt.Sprintf("p%d item %d", item.Producer, item.Seq)
	var spans []timeline.Span
	if made < got {
		spans = append(spans, timeline.Span{Name: name + " waits", Start: made, End: got, Outcome: timeline.Done})
	}
	return append(spans, timeline.Span{Name: name + " work", Start: got, End: got + item.Work, Outcome: timeline.Done})
}

// errName names a context error the way a learner writes it.
func errName(err error) string {
	switch err {
	case context.Canceled:
		return "context.Canceled"
	case context.DeadlineExceeded:
		return "context.DeadlineExceeded"
	}
	return fmt.Sprint(err)
}

// lines renders ls one per line, indented.
func lines(ls []string) string {
	if len(ls) == 0 {
		return "\t(nothing)"
	}
	return "\t" + strings.Join(ls, "\n\t")
}
