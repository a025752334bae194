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

// Exit codes of Main.
const (
	ExitOK          = 0   // the run completed, or help was asked for
	ExitFailed      = 1   // the run failed, or Run is not written yet
	ExitUsage       = 2   // bad flags: one line on stderr says what is wrong
	ExitInterrupted = 130 // Ctrl-C, as shells report it
)

// The largest counts Main accepts: each producer makes up to three items, so more would only
// make a run that takes hours (the banner says how long a run takes at least).
const (
	MaxProducers = 1000
	MaxConsumers = 1000
)

// Main is the command-line program cmd/prodcons: it parses args (-p producers, -c consumers,
// -seed, -scale), runs run with SeedConfig's values and a Printer on stdout, and prints a
// summary and the total time. A -seed of 0 picks a random seed, which it prints so a run can
// be repeated. -scale is the length of one unit of pause or work (the seed script's second).
// ctx ends when the person presses Ctrl-C (main uses signal.NotifyContext).
//
// Flags are checked before anything is printed: a bad one gets one line on stderr and
// ExitUsage. -h prints what the program does and its flags, on stdout, and ExitOK. Otherwise
// it prints a banner (the run's settings, how many items are planned and how long the run
// takes at least), runs run, and returns ExitOK when the run completed, ExitInterrupted
// (after "Bye.") when ctx ended, and ExitFailed when run failed or is not written yet.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, run RunFunc) int {
	flags := flag.NewFlagSet("prodcons", flag.ContinueOnError)
	flags.SetOutput(io.Discard) // Main says what went wrong itself, in one line
	producers := flags.Int("p", 5, fmt.Sprintf("number of producers, 0 to %d", MaxProducers))
	consumers := flags.Int("c", 10, fmt.Sprintf("number of consumers, 0 to %d (at least 1 with producers)", MaxConsumers))
	seed := flags.Uint64("seed", 0, "random seed (0 picks one, and prints it)")
	scale := flags.Duration("scale", time.Second, "length of one unit of pause or work, more than 0")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, flags)
			return ExitOK
		}
		fmt.Fprintf(stderr, "prodcons: %v (prodcons -h lists the flags)\n", err)
		return ExitUsage
	}
	if problem := checkFlags(flags.Args(), *producers, *consumers, *scale); problem != "" {
		fmt.Fprintf(stderr, "prodcons: %s\n", problem)
		return ExitUsage
	}
	if *seed == 0 {
		*seed = rand.Uint64N(1_000_000) + 1
	}

	cfg := SeedConfig(*producers, *consumers, *seed)
	cfg.Unit = *scale
	cfg.Report = Printer(stdout)
	planned, least := estimate(cfg)
	fmt.Fprintf(stdout, "%s, %s, seed %d, one unit = %v: %s planned, at least %v.\n",
		plural(cfg.Producers, "producer"), plural(cfg.Consumers, "consumer"), cfg.Seed, cfg.Unit, plural(planned, "item"), least)

	start := time.Now()
	stats, err := run(ctx, cfg)
	elapsed := time.Since(start).Round(time.Microsecond)
	switch {
	case errors.Is(err, ErrNotImplemented) || (err == nil && planned > 0 && len(stats.Records) == 0):
		fmt.Fprintln(stderr, "prodcons: Run is not written yet (it returned no items): write it in ex25_prodcons/prodcons.go,\n"+
			"as its README.md says; go test ./ex25_prodcons -run Run tells you when it works.")
		return ExitFailed
	case errors.Is(err, ErrInvalidConfig):
		fmt.Fprintf(stderr, "prodcons: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stdout, "%s consumed; the longest wait was %v.\n", plural(len(stats.Records), "item"), stats.MaxWait())
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "Program completed in %v.\n", elapsed)
		return ExitOK
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		fmt.Fprintf(stdout, "Stopped early after %v.\nBye.\n", elapsed)
		return ExitInterrupted
	default:
		fmt.Fprintf(stderr, "prodcons: %v\n", err)
		return ExitFailed
	}
}

// usage writes what the program does and its flags to w.
func usage(w io.Writer, flags *flag.FlagSet) {
	fmt.Fprint(w, "usage: prodcons [flags]\n\n"+
		"Runs the producer/consumer program of ex25_prodcons with Run: each producer makes 1 to 3\n"+
		"random items, pausing 0 to 2 units before each, and hands them over a channel; each consumer\n"+
		"takes one, says how long it waited, and handles it for 0 to 2 units. It prints a line per\n"+
		"event and the total time. Ctrl-C stops it early.\n\n")
	flags.SetOutput(w)
	flags.PrintDefaults()
	flags.SetOutput(io.Discard)
}

// checkFlags returns what is wrong with the flags, in one line, or "".
func checkFlags(extra []string, producers, consumers int, scale time.Duration) string {
	switch {
	case len(extra) > 0:
		return fmt.Sprintf("unexpected arguments %q: prodcons takes flags only (prodcons -h lists them)", extra)
	case scale <= 0:
		return fmt.Sprintf("-scale %v: one unit of pause or work must be longer than 0", scale)
	case producers < 0 || producers > MaxProducers:
		return fmt.Sprintf("-p %d: the number of producers must be from 0 to %d", producers, MaxProducers)
	case consumers < 0 || consumers > MaxConsumers:
		return fmt.Sprintf("-c %d: the number of consumers must be from 0 to %d", consumers, MaxConsumers)
	case producers > 0 && consumers == 0:
		return fmt.Sprintf("-p %d -c 0: producers need at least one consumer to take their items", producers)
	}
	return ""
}

// estimate returns how many items cfg's producers plan, and a lower bound of how long a run
// takes: the slowest producer's pauses, or the consumers' work shared out evenly, whichever
// is longer.
func estimate(cfg Config) (items int, least time.Duration) {
	var work time.Duration
	for p := range cfg.Producers {
		var pauses time.Duration
		for _, s := range Plan(cfg, p) {
			items++
			pauses += s.Pause
			work += s.Item.Work
		}
		least = max(least, pauses)
	}
	if cfg.Consumers > 0 {
		least = max(least, work/time.Duration(cfg.Consumers))
	}
	return items, least
}

// plural renders n things: "1 item", "2 items".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
