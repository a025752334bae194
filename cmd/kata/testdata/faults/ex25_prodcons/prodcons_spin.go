package prodcons

// consume means to stop when items is closed, but break only leaves the select: once items
// is closed the loop spins for ever, never blocking.

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-async-katas/katas/ex25_prodcons/kit"
)

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
		mu    sync.Mutex
		stats kit.Stats
	)
	record := func(r kit.Record) {
		mu.Lock()
		defer mu.Unlock()
		stats.Records = append(stats.Records, r)
	}

	items := make(chan kit.Item)
	var producers, consumers sync.WaitGroup
	for p := range cfg.Producers {
		producers.Go(func() { produce(ctx, kit.Plan(cfg, p), items, report) })
	}
	for c := range cfg.Consumers {
		consumers.Go(func() { consume(ctx, c, items, record, report) })
	}

	producers.Wait()
	close(items)
	consumers.Wait()
	return stats, ctx.Err()
}

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

func consume(ctx context.Context, c int, items <-chan kit.Item, record func(kit.Record), report func(kit.Event)) {
	for { // fault: from here
		var item kit.Item
		select {
		case it, ok := <-items:
			if !ok {
				break // fault
			}
			item = it
		case <-ctx.Done():
			return
		}
		if item.Made.IsZero() {
			continue // fault
		}
		r := kit.Record{Item: item, Consumer: c, Received: time.Now()}
		record(r)
		report(kit.Event{Kind: kit.Got, Consumer: c, Item: item, Waited: r.Waited()})
		report(kit.Event{Kind: kit.Handling, Consumer: c, Item: item, Pause: item.Work})
		if kit.Sleep(ctx, item.Work) != nil {
			return
		}
	} // fault: to here
}
