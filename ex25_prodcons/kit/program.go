package kit

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"
)

// Printer returns a Report function that writes each event to w as a line. It is safe for
// concurrent use: lines from different goroutines never interleave.
func Printer(w io.Writer) func(Event) {
	var mu sync.Mutex
	return func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(w, e)
	}
}

// RunFunc runs the producer/consumer program for a configuration: the kata's Run.
type RunFunc func(ctx context.Context, cfg Config) (Stats, error)

// Main is the command-line program cmd/prodcons: it parses args (-p producers, -c consumers,
// -seed, -scale), runs run with SeedConfig's values and a Printer on stdout, and prints a
// summary and the total time. A -seed of 0 picks a random seed, which it prints so a run can
// be repeated. -scale is the length of one unit of pause or work (the seed script's second).
// It returns the exit code: 0 when the run completed, 1 when it stopped early (ctx ended),
// 2 for bad arguments or an invalid configuration.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, run RunFunc) int {
	flags := flag.NewFlagSet("prodcons", flag.ContinueOnError)
	flags.SetOutput(stderr)
	producers := flags.Int("p", 5, "number of producers")
	consumers := flags.Int("c", 10, "number of consumers")
	seed := flags.Uint64("seed", 0, "random seed (0 picks one)")
	scale := flags.Duration("scale", time.Second, "length of one unit of pause or work")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "prodcons: unexpected arguments %q\n", flags.Args())
		return 2
	}
	if *seed == 0 {
		*seed = rand.Uint64N(1_000_000) + 1
	}

	cfg := SeedConfig(*producers, *consumers, *seed)
	cfg.Unit = *scale
	cfg.Report = Printer(stdout)
	fmt.Fprintf(stdout, "%d producers, %d consumers, seed %d, one unit = %v.\n", cfg.Producers, cfg.Consumers, cfg.Seed, cfg.Unit)

	start := time.Now()
	stats, err := run(ctx, cfg)
	elapsed := time.Since(start)
	if errors.Is(err, ErrInvalidConfig) {
		fmt.Fprintf(stderr, "prodcons: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "%d items consumed; the longest wait was %v.\n", len(stats.Records), stats.MaxWait())
	if err != nil {
		fmt.Fprintf(stdout, "Stopped early after %v: %v\n", elapsed.Round(time.Microsecond), err)
		return 1
	}
	fmt.Fprintf(stdout, "Program completed in %v.\n", elapsed.Round(time.Microsecond))
	return 0
}
