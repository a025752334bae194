// Command prodcons runs the producer/consumer program of ex25_prodcons with your Run:
//
//	go run ./ex25_prodcons/cmd/prodcons -p 5 -c 10 -scale 100ms
//
// Press Ctrl-C to stop it early; should Run not stop, a second Ctrl-C ends it at once. All
// the printing is in the given package kit.
package main

import (
	"context"
	"os"
	"os/signal"

	prodcons "github.com/go-async-katas/katas/ex25_prodcons"
	"github.com/go-async-katas/katas/ex25_prodcons/kit"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	context.AfterFunc(ctx, stop) // after the first Ctrl-C, a second one ends the program at once
	code := kit.Main(ctx, os.Args[1:], os.Stdout, os.Stderr, prodcons.Run)
	stop()
	os.Exit(code)
}
