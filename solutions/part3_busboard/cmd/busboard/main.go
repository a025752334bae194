// Command busboard shows the next buses at the two stops nearest a UK postcode, using the
// solutions of part3_busboard. Try it with no network first:
//
//	go run ./solutions/part3_busboard/cmd/busboard -offline
//
// Flags: -postcode for one lookup, -timeout per lookup, -offline for the embedded fixtures,
// -halfbuilt for the given sequential app, -blocking for the half-built blocking lookup run
// with Background, -v for timings.
// Everything but the wiring is in part3_busboard/cli.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/go-async-katas/katas/part3_busboard/api"
	"github.com/go-async-katas/katas/part3_busboard/cli"
	busboard "github.com/go-async-katas/katas/solutions/part3_busboard"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt) // Ctrl-C cancels ctx
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, cli.Katas{
		Background: busboard.Background[[]api.Board],
		Boards:     busboard.Boards,
		Classify:   busboard.Classify,
		Run:        busboard.Run,
	})
	stop()
	os.Exit(code)
}
