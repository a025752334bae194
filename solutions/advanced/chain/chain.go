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
	if len(steps) == 0 {
		return 0, nil
	}
	var (
		result int
		err    error
		// chainDone is the one-shot event: the callback that ends the chain closes it, once,
		// after setting result or err, so Run reads them only after they are written.
		chainDone = make(chan struct{})
	)
	var startLink func(i, in int)
	startLink = func(i, in int) {
		Start(ctx, steps[i], in).OnDone(func(out int, stepErr error) {
			log.Add("callback%d", i+1)
			switch {
			case stepErr != nil:
				err = &links.LinkError{Link: i + 1, Err: stepErr}
			case i+1 < len(steps):
				startLink(i+1, out) // the chain goes on: this callback does not end it
				return
			default:
				result = out
			}
			close(chainDone)
		})
	}
	startLink(0, 0)
	<-chainDone
	return result, err
}
