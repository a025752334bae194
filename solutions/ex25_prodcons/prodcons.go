package prodcons

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-async-katas/katas/ex25_prodcons/kit"
)

// Run is the seed's producer/consumer program. It starts cfg.Producers producers and
// cfg.Consumers consumers, connected by one unbuffered channel of kit.Item, and returns when
// every one of them has finished.
//
// Producer p follows kit.Plan(cfg, p). For each step it reports a kit.Pausing event, waits
// step.Pause (kit.Sleep), sets the item's Made time to now, hands the item over on the
// channel and reports kit.Added. A consumer receives an item, adds a kit.Record of it
// (Received now) to the stats and reports kit.Got, then handles it: it reports kit.Handling
// and waits item.Work before it takes the next item. When every producer has finished, the
// channel is closed, once; each consumer stops when it finds the channel closed. Consumers
// are not cancelled: each finishes the item it holds.
//
// The returned kit.Stats has one record per item a consumer received. If ctx ends first,
// every producer and consumer stops at once (a consumer drops the item it is handling) and
// Run returns the records gathered so far with an error wrapping ctx.Err(). A configuration
// with a negative count, or with producers but no consumers, returns an error wrapping
// kit.ErrInvalidConfig before anything starts. Every goroutine Run starts has finished when
// it returns. cfg.Report, when not nil, is called from several goroutines at once.
func Run(ctx context.Context, cfg kit.Config) (kit.Stats, error) {
	if cfg.Producers < 0 || cfg.Consumers < 0 {
		return kit.Stats{}, fmt.Errorf("%w: %d producers and %d consumers: a count cannot be negative",
			kit.ErrInvalidConfig, cfg.Producers, cfg.Consumers)
	}
	if cfg.Producers > 0 && cfg.Consumers == 0 {
		return kit.Stats{}, fmt.Errorf("%w: %d producers and no consumer: nobody would take their items",
			kit.ErrInvalidConfig, cfg.Producers)
	}
	report := cfg.Report
	if report == nil {
		report = func(kit.Event) {}
	}

	var (
		mu    sync.Mutex // guards stats: every consumer appends to it
		stats kit.Stats
	)
	record := func(r kit.Record) {
		mu.Lock()
		defer mu.Unlock()
		stats.Records = append(stats.Records, r)
	}

	items := make(chan kit.Item) // unbuffered: a send is the hand-off itself
	var producers, consumers sync.WaitGroup
	for p := range cfg.Producers {
		producers.Go(func() { produce(ctx, kit.Plan(cfg, p), items, report) })
	}
	for c := range cfg.Consumers {
		consumers.Go(func() { consume(ctx, c, items, record, report) })
	}

	producers.Wait()
	close(items) // only here, once: no producer can send any more
	consumers.Wait()
	// Every goroutine has exited, so reading stats needs no lock.
	return stats, ctx.Err() // nil unless ctx ended, and then some work may have been cut short
}

// produce carries out one producer's plan, handing each item over on items. It returns when
// the plan is done or ctx ends.
func produce(ctx context.Context, plan []kit.Step, items chan<- kit.Item, report func(kit.Event)) {
	for _, step := range plan {
		p := step.Item.Producer
		report(kit.Event{Kind: kit.Pausing, Producer: p, Pause: step.Pause})
		if kit.Sleep(ctx, step.Pause) != nil {
			return
		}
		item := step.Item
		item.Made = time.Now()
		select {
		case items <- item:
		case <-ctx.Done():
			return
		}
		report(kit.Event{Kind: kit.Added, Producer: p, Item: item})
	}
}

// consume receives and handles items until items is closed and drained, or ctx ends. It
// need not watch ctx while it waits for an item: when ctx ends the producers stop, and Run
// closes items, which ends the loop.
func consume(ctx context.Context, c int, items <-chan kit.Item, record func(kit.Record), report func(kit.Event)) {
	for item := range items {
		// Even when ctx has just ended: an item handed over is an item received, so it is
		// recorded and reported before the consumer stops (in kit.Sleep, at once).
		r := kit.Record{Item: item, Consumer: c, Received: time.Now()}
		record(r)
		report(kit.Event{Kind: kit.Got, Consumer: c, Item: item, Waited: r.Waited()})
		report(kit.Event{Kind: kit.Handling, Consumer: c, Item: item, Pause: item.Work})
		if kit.Sleep(ctx, item.Work) != nil {
			return
		}
	}
}
