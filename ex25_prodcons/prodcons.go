package prodcons

import (
	"context"

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
	// TODO: check cfg; start the producers and the consumers; close the channel once every
	// producer is done; wait for the consumers; return the stats.
	return kit.Stats{}, kit.ErrNotImplemented
}
