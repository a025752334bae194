// Package kit is the given code of ex25_prodcons: a slow task for the first kata, and for
// the producer/consumer kata the configuration, the seeded randomness (each producer's plan),
// the items, the records and statistics a run returns, the events it reports, and the
// command-line program. The katas in ex25_prodcons build on it; you do not need to change it.
package kit

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/go-async-katas/katas/internal/clock"
	"github.com/go-async-katas/katas/internal/timeline"
)

// ErrInvalidConfig is wrapped by the error a run returns for a configuration it cannot run:
// negative counts, or producers with no consumer to take their items.
var ErrInvalidConfig = errors.New("invalid configuration")

// ErrNotImplemented is what the kata stubs return until you write them.
var ErrNotImplemented = errors.New("not implemented yet")

// Sleep waits d, or until ctx ends, whichever comes first. It returns ctx.Err() if ctx ended
// first (or had already ended, even when d is zero), and nil otherwise. A d of zero or less
// does not wait. It is internal/clock's Sleep, under the name the katas use.
func Sleep(ctx context.Context, d time.Duration) error {
	return clock.Sleep(ctx, d)
}

// Task pretends to be a job that takes d: it prints "<name>: started (d of work)", waits d
// and prints "<name>: finished", then returns "<name> result". If ctx ends first it stops at
// once, prints "<name>: stopped: <reason>" and returns an error wrapping ctx.Err(). Each line
// is a single write, so w must be safe for concurrent use when several tasks share it. (When
// w comes from a test's timeline recorder, Task also notes its start and end there, so a
// failing test can draw what ran when.)
func Task(ctx context.Context, w io.Writer, name string, d time.Duration) (string, error) {
	span := timeline.FromWriter(w).Start(name) // nil, and no-op, outside the tests' timelines
	fmt.Fprintf(w, "%s: started (%v of work)\n", name, d)
	if err := Sleep(ctx, d); err != nil {
		span.Cancel()
		fmt.Fprintf(w, "%s: stopped: %v\n", name, err)
		return "", fmt.Errorf("%s: %w", name, err)
	}
	span.Done()
	fmt.Fprintf(w, "%s: finished\n", name)
	return name + " result", nil
}

// Config describes one run of the producer/consumer program. SeedConfig gives the values of
// the seed's script.
type Config struct {
	Producers int // how many producers run (the seed's -p, 5)
	Consumers int // how many consumers run (the seed's -c, 10)

	MinItems int // each producer makes between MinItems and MaxItems items (the seed: 1 to 3)
	MaxItems int

	MaxPause int           // a producer pauses 0 to MaxPause units before each item (the seed: 2)
	MaxWork  int           // a consumer handles an item for 0 to MaxWork units (the seed: 2)
	Unit     time.Duration // one unit of pause or work (the seed: one second)
	ItemSize int           // random bytes per item, shown in hex (the seed: 2)

	Seed uint64 // the random seed: the same Config always gives the same plans

	// Report, if not nil, is told about everything that happens. A run calls it from
	// several goroutines at once, so it must be safe for concurrent use.
	Report func(Event)
}

// SeedConfig returns the seed script's configuration for the given counts and random seed,
// with one-second units and no Report.
func SeedConfig(producers, consumers int, seed uint64) Config {
	return Config{
		Producers: producers,
		Consumers: consumers,
		MinItems:  1,
		MaxItems:  3,
		MaxPause:  2,
		MaxWork:   2,
		Unit:      time.Second,
		ItemSize:  2,
		Seed:      seed,
	}
}

// Item is one piece of work handed from a producer to a consumer.
type Item struct {
	Producer int           // the producer that made it
	Seq      int           // its place among its producer's items, from 0
	Value    string        // the seed's item: random bytes in hex
	Work     time.Duration // how long a consumer takes to handle it
	Made     time.Time     // when it was ready to hand over; the producer sets it
}

func (it Item) String() string {
	return fmt.Sprintf("<%s> (producer %d, #%d)", it.Value, it.Producer, it.Seq)
}

// Step is one item of a producer's plan: wait Pause, then hand over Item.
type Step struct {
	Pause time.Duration
	Item  Item // Made is left zero: the producer stamps it when the item is ready
}

// Plan returns producer p's plan for cfg: how many items it makes, the pause before each and
// the items themselves, each with the time a consumer will take to handle it. The plan
// depends only on cfg's numbers, its Seed and p, so it is the same every time, and producers
// need no shared random source. Out-of-range numbers are clamped: fewer than 0 items, pauses
// or work count as 0, a MaxItems below MinItems as MinItems.
func Plan(cfg Config, p int) []Step {
	r := rand.New(rand.NewPCG(cfg.Seed, uint64(p)))
	lo := max(cfg.MinItems, 0)
	hi := max(cfg.MaxItems, lo)
	n := lo + r.IntN(hi-lo+1)
	steps := make([]Step, n)
	for i := range steps {
		pause := time.Duration(r.IntN(max(cfg.MaxPause, 0)+1)) * cfg.Unit
		work := time.Duration(r.IntN(max(cfg.MaxWork, 0)+1)) * cfg.Unit
		value := make([]byte, max(cfg.ItemSize, 0))
		for j := range value {
			value[j] = byte(r.Uint32())
		}
		steps[i] = Step{
			Pause: pause,
			Item:  Item{Producer: p, Seq: i, Value: hex.EncodeToString(value), Work: work},
		}
	}
	return steps
}

// Record is what a consumer notes when it receives an item.
type Record struct {
	Item     Item
	Consumer int       // the consumer that received it
	Received time.Time // when it received it
}

// Waited returns how long the item waited between being made and being received.
func (r Record) Waited() time.Duration { return r.Received.Sub(r.Item.Made) }

// Stats is what a run returns: one Record per item a consumer received, in no particular
// order.
type Stats struct {
	Records []Record
}

// MaxWait returns the longest time an item waited, or 0 with no records.
func (s Stats) MaxWait() time.Duration {
	var longest time.Duration
	for _, r := range s.Records {
		longest = max(longest, r.Waited())
	}
	return longest
}

// EventKind says what an Event is about.
type EventKind int

// The events of a run, in the order they happen to one item.
const (
	Pausing  EventKind = iota + 1 // producer Producer pauses for Pause before its next item
	Added                         // producer Producer handed Item to a consumer
	Got                           // consumer Consumer received Item, which had waited Waited
	Handling                      // consumer Consumer handles Item, taking Pause (Item.Work)
)

// Event is one thing that happened in a run, reported through Config.Report.
type Event struct {
	Kind     EventKind
	Producer int // for Pausing and Added
	Consumer int // for Got and Handling
	Pause    time.Duration
	Item     Item
	Waited   time.Duration // for Got
}

// String renders the event as a line of the program's output.
func (e Event) String() string {
	switch e.Kind {
	case Pausing:
		return fmt.Sprintf("Producer %d pausing for %v.", e.Producer, e.Pause)
	case Added:
		return fmt.Sprintf("Producer %d handed over <%s>.", e.Producer, e.Item.Value)
	case Got:
		return fmt.Sprintf("Consumer %d got <%s> from producer %d after it waited %v.", e.Consumer, e.Item.Value, e.Item.Producer, e.Waited)
	case Handling:
		return fmt.Sprintf("Consumer %d handling <%s> for %v.", e.Consumer, e.Item.Value, e.Pause)
	}
	return fmt.Sprintf("unknown event %d", int(e.Kind))
}
