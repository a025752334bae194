package chain_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/chain/links"
	"github.com/go-async-katas/katas/internal/timeline"
)

// drawnSteps returns steps with each run noted in rec as "link <i>", counting from 1: done,
// failed, or cancelled when it fails after its ctx ended (the test's links return ctx's
// cause, which timeline's End would call failed).
func drawnSteps(rec *timeline.Recorder, steps ...links.Step) []links.Step {
	drawn := make([]links.Step, len(steps))
	for i, step := range steps {
		drawn[i] = func(ctx context.Context, in int) (int, error) {
			entry := rec.Start(fmt.Sprintf("link %d", i+1))
			out, err := step(ctx, in)
			if err != nil && ctx.Err() != nil {
				entry.Cancel()
			} else {
				entry.End(err)
			}
			return out, err
		}
	}
	return drawn
}

// chainWant is the timeline of a chain of links taking delays, one after the other: link
// fails (counting from 1; 0: none) fails and ends the chain; when ctx ends at ctxEnd (0:
// never) the link running then is cancelled and ends the chain. Run returns as the chain ends.
func chainWant(delays []time.Duration, fails int, ctxEnd time.Duration) *timeline.Timeline {
	tl := timeline.Want()
	var at time.Duration
	for i, d := range delays {
		name := fmt.Sprintf("link %d", i+1)
		switch {
		case ctxEnd > 0 && at+d > ctxEnd:
			tl.Task(name, at, ctxEnd, timeline.Cancelled)
			return tl.Return(ctxEnd)
		case i+1 == fails:
			tl.Task(name, at, at+d, timeline.Failed)
			return tl.Return(at + d)
		}
		tl.Done(name, at, at+d)
		at += d
	}
	return tl.Return(at)
}

// chainElapsed checks, as katatest.Elapsed does, that Run returned (noted in rec) at the
// return of want; when it did not, the message ends with what the links did above want,
// drawn once the links Run left behind have run out.
func chainElapsed(t *testing.T, rec *timeline.Recorder, want *timeline.Timeline, hint string) {
	t.Helper()
	took := rec.Timeline().ReturnAt
	if took == want.ReturnAt {
		return
	}
	time.Sleep(time.Minute) // longer than any chain of these tests
	t.Errorf("took %v of fake time, want %v: %s\n\n%s", took, want.ReturnAt, hint, rec.Diff(want))
}
