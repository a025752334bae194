package prodcons_test

import (
	"context"
	"testing"
	"time"

	prodcons "github.com/go-async-katas/katas/ex25_prodcons"
	"github.com/go-async-katas/katas/ex25_prodcons/kit"
)

// benchItems is how many items one benchmark operation moves from one producer to one
// consumer: enough that starting the goroutines is a small part of the cost.
const benchItems = 1000

// benchConfig is one producer and one consumer moving benchItems items with no pauses and no
// work, so that only the hand-off is measured.
var benchConfig = kit.Config{Producers: 1, Consumers: 1, MinItems: benchItems, MaxItems: benchItems, ItemSize: 2, Seed: 1}

// BenchmarkRunHandOff measures Run moving benchItems items from a producer to a consumer,
// stats and all. Compare its ns/item with BenchmarkBareHandOff's: see README.md.
func BenchmarkRunHandOff(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		stats, err := prodcons.Run(ctx, benchConfig)
		if err != nil || len(stats.Records) != benchItems {
			b.Fatalf("Run(1 producer, 1 consumer, %d items) = %d records, %v; want every item and no error",
				benchItems, len(stats.Records), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchItems), "ns/item")
}

// BenchmarkBareHandOff is the baseline: the same plan and the same records, stamped with the
// same clock readings (Made, Received), moved by a bare goroutine over an unbuffered channel,
// with no context, no events and no lock. The difference is what Run's hand-off costs.
func BenchmarkBareHandOff(b *testing.B) {
	for b.Loop() {
		items := make(chan kit.Item)
		go func() {
			defer close(items)
			for _, step := range kit.Plan(benchConfig, 0) {
				item := step.Item
				item.Made = time.Now()
				items <- item
			}
		}()
		var records []kit.Record
		for item := range items {
			records = append(records, kit.Record{Item: item, Received: time.Now()})
		}
		if len(records) != benchItems {
			b.Fatalf("baseline moved %d items, want %d", len(records), benchItems)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchItems), "ns/item")
}
