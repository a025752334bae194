package chain

import (
	"context"

	"github.com/go-async-katas/katas/advanced/chain/links"
)

// Run runs steps as a chain, each link started by the callback of the one before, as the
// seed's ex_5_4 does: main starts link 1 and waits on a one-shot event; when link i's step
// returns, its callback records "callback<i>" in log (i counts from 1) and starts link i+1
// with link i's result (link 1 gets 0); the last link's callback sets the event, and Run
// returns the last result and nil. A step that fails stops the chain: its callback records
// "callback<i>", starts nothing more and sets the event, and Run returns a *links.LinkError
// for link i wrapping the step's error. With no steps Run returns 0 and nil at once.
//
// Every step receives ctx: cancelling it ends the chain through the step that is running.
// Run waits for the event only, so when it returns the chain's goroutines have nothing left
// to do but exit.
func Run(ctx context.Context, log *links.Log, steps ...links.Step) (int, error) {
	// TODO: make a one-shot event (a channel you close once), start link 1 with Start and
	// give it a callback with OnDone that starts the next link (or ends the chain), then
	// wait for the event and return what the chain produced.
	return 0, nil
}
