package chain_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/chain/links"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

func TestRun(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		tests := []struct {
			name       string
			giveDelays []time.Duration // one link per delay
			want       int
			wantLog    []string
		}{
			{
				name:       "seed",
				giveDelays: []time.Duration{time.Second, time.Second},
				want:       12,
				wantLog: []string{
					"main: start",
					"task1 got 0", "task1 returned 1", "callback1",
					"task2 got 1", "task2 returned 12", "callback2",
					"main: chain is done",
				},
			},
			{
				name:       "one link",
				giveDelays: []time.Duration{2 * time.Second},
				want:       1,
				wantLog:    []string{"main: start", "task1 got 0", "task1 returned 1", "callback1", "main: chain is done"},
			},
			{
				name:       "three links",
				giveDelays: []time.Duration{time.Second, 2 * time.Second, 3 * time.Second},
				want:       123,
				wantLog: []string{
					"main: start",
					"task1 got 0", "task1 returned 1", "callback1",
					"task2 got 1", "task2 returned 12", "callback2",
					"task3 got 12", "task3 returned 123", "callback3",
					"main: chain is done",
				},
			},
			{
				name:       "instant links",
				giveDelays: []time.Duration{0, 0},
				want:       12,
				wantLog: []string{
					"main: start",
					"task1 got 0", "task1 returned 1", "callback1",
					"task2 got 1", "task2 returned 12", "callback2",
					"main: chain is done",
				},
			},
			{
				name:    "no links",
				want:    0,
				wantLog: []string{"main: start", "main: chain is done"},
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					for round := 1; round <= chainRounds && !t.Failed(); round++ {
						var log links.Log
						steps := make([]links.Step, len(tt.giveDelays))
						for i, d := range tt.giveDelays {
							steps[i] = link(&log, i+1, d)
						}
						call := fmt.Sprintf("Run(ctx, log, links taking %s)%s", seconds(tt.giveDelays), inRound(round))

						log.Add("main: start")
						rec := timeline.New()
						got, err := runChain(t, call, t.Context(), &log, drawnSteps(rec, steps...)...)
						rec.Returned()
						log.Add("main: chain is done")

						if got != tt.want || err != nil {
							t.Errorf("%s = %d, %v; want %d, nil: each link gets the one before's result, and Run returns the last", call, got, err, tt.want)
						}
						checkLog(t, call, log.Entries(), tt.wantLog)
						chainElapsed(t, rec, chainWant(tt.giveDelays, 0, 0),
							"a chain takes as long as all its links together: does main wait on the event until the last callback sets it?")
					}
				})
			})
		}
	})
}

func TestRunStops(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		tests := []struct {
			name       string
			giveDelays []time.Duration // one link per delay
			giveFails  int             // the link that fails, counting from 1
			wantLog    []string
			wantTook   time.Duration
		}{
			{
				name:       "first of two fails",
				giveDelays: []time.Duration{time.Second, time.Second},
				giveFails:  1,
				wantLog:    []string{"main: start", "task1 got 0", "task1 failed", "callback1", "main: chain is done"},
				wantTook:   time.Second,
			},
			{
				name:       "second of three fails",
				giveDelays: []time.Duration{time.Second, 2 * time.Second, 3 * time.Second},
				giveFails:  2,
				wantLog: []string{
					"main: start",
					"task1 got 0", "task1 returned 1", "callback1",
					"task2 got 1", "task2 failed", "callback2",
					"main: chain is done",
				},
				wantTook: 3 * time.Second,
			},
			{
				name:       "last fails",
				giveDelays: []time.Duration{time.Second, time.Second},
				giveFails:  2,
				wantLog: []string{
					"main: start",
					"task1 got 0", "task1 returned 1", "callback1",
					"task2 got 1", "task2 failed", "callback2",
					"main: chain is done",
				},
				wantTook: 2 * time.Second,
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					for round := 1; round <= chainRounds && !t.Failed(); round++ {
						var log links.Log
						steps := make([]links.Step, len(tt.giveDelays))
						for i, d := range tt.giveDelays {
							steps[i] = link(&log, i+1, d)
						}
						steps[tt.giveFails-1] = failingLink(&log, tt.giveFails, tt.giveDelays[tt.giveFails-1], errBoom)
						call := fmt.Sprintf("Run(ctx, log, links taking %s, link %d failing with errBoom)%s",
							seconds(tt.giveDelays), tt.giveFails, inRound(round))

						log.Add("main: start")
						rec := timeline.New()
						got, err := runChain(t, call, t.Context(), &log, drawnSteps(rec, steps...)...)
						rec.Returned()
						log.Add("main: chain is done")

						checkLinkError(t, call, got, err, tt.giveFails, errBoom)
						checkLog(t, call, log.Entries(), tt.wantLog)
						chainElapsed(t, rec, chainWant(tt.giveDelays, tt.giveFails, 0),
							"the chain should end as soon as the failing link's callback has run: a failing link stops the chain")
					}
				})
			})
		}
	})
}

func TestRunCancelled(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		for _, end := range katatest.Endings(1500*time.Millisecond, errStop) {
			t.Run(end.Name, func(t *testing.T) {
				katatest.Bubble(t, func(t *testing.T) {
					for round := 1; round <= chainRounds && !t.Failed(); round++ {
						var log links.Log
						ctx, stop := end.Start(t.Context())
						call := fmt.Sprintf("Run(%s, log, three 1s links)%s", end.How, inRound(round))

						log.Add("main: start")
						rec := timeline.New()
						got, err := runChain(t, call, ctx, &log,
							drawnSteps(rec, link(&log, 1, time.Second), link(&log, 2, time.Second), link(&log, 3, time.Second))...)
						rec.Returned()
						log.Add("main: chain is done")

						checkLinkError(t, call, got, err, 2, end.Cause)
						checkLog(t, call, log.Entries(), []string{
							"main: start",
							"task1 got 0", "task1 returned 1", "callback1",
							"task2 got 1", "task2 cancelled", "callback2",
							"main: chain is done",
						})
						chainElapsed(t, rec, chainWant([]time.Duration{time.Second, time.Second, time.Second}, 0, 1500*time.Millisecond),
							"link 2 gives up when ctx ends at 1.5s, and that ends the chain: pass ctx to every step")
						stop()
					}
				})
			})
		}
	})
}

// chainRounds is how many times TestRun, TestRunStops and TestRunCancelled run each chain,
// in fake time, stopping at the first round that fails. A callback that starts the next link
// and only then records "callback<i>" races the link it started: the log shows the wrong
// order only when the new goroutine gets to record "task<i+1> got" first, which happens in
// about one round in a hundred or two (measured with -race on two cores): 500 rounds catch
// it in each test all but a few runs in a hundred, and in one of the three every run.
const chainRounds = 500

// inRound names the round of a repeated chain in a failure message; nothing for the first.
func inRound(round int) string {
	if round == 1 {
		return ""
	}
	return fmt.Sprintf(" (round %d of the same chain)", round)
}

// TestRunChainsByCallback checks who starts each link. A Run that calls Wait on each link
// in turn and starts the next itself gets the same results, events and times as a chain: the
// difference is only which goroutine ran Start. So each step records the goroutine whose go
// statement started it, and link i+1 must have been started on link i's goroutine (where the
// task runs its step and then its callbacks), not on Run's.
func TestRunChainsByCallback(t *testing.T) {
	katatest.Isolated(t, explainCrash, func(t *testing.T) {
		katatest.Bubble(t, func(t *testing.T) {
			const n = 3
			const call = "Run(ctx, log, three 1s links)"
			var (
				mu      sync.Mutex
				ran     = make([]int64, n) // the goroutine link i+1's step ran on
				starter = make([]int64, n) // the goroutine that started it
			)
			steps := make([]links.Step, n)
			for i := range n {
				step := link(&links.Log{}, i+1, time.Second)
				steps[i] = func(ctx context.Context, in int) (int, error) {
					self, by := gotrace.Self().ID, startedBy()
					mu.Lock()
					ran[i], starter[i] = self, by
					mu.Unlock()
					return step(ctx, in)
				}
			}
			runner := gotrace.Self().ID
			if got, err := runChain(t, call, t.Context(), &links.Log{}, steps...); got != 123 || err != nil {
				t.Fatalf("%s = %d, %v; want 123, nil", call, got, err)
			}
			mu.Lock()
			defer mu.Unlock()
			for i := 1; i < n; i++ {
				switch {
				case ran[i] == 0:
					t.Errorf("%s: link %d's step never ran", call, i+1)
					return
				case starter[i] == runner:
					t.Errorf("%s: link %d was started by the goroutine that called Run, not by link %d's callback.\n"+
						"Run waited for each link itself (Wait in a loop) and started the next one: that is a plain\n"+
						"sequence, not a chain. Give link %d a callback with OnDone that starts link %d; Run starts link 1\n"+
						"only, and then waits on the one-shot event that the callback ending the chain sets",
						call, i+1, i, i, i+1)
					return
				case starter[i] != ran[i-1]:
					t.Errorf("%s: link %d was started on goroutine %d, but link %d's step ran on goroutine %d: the\n"+
						"callback that starts link %d should run on link %d's goroutine, right after its step returns\n"+
						"(a task runs the callbacks added before its end on its own goroutine, not on new ones)",
						call, i+1, starter[i], i, ran[i-1], i+1, i)
					return
				}
			}
		})
	})
}

// startedBy returns the number of the goroutine whose go statement started the calling
// goroutine (the "created by ... in goroutine N" line of its traceback), 0 if none is named.
func startedBy() int64 {
	buf := make([]byte, 1<<16)
	text := string(buf[:runtime.Stack(buf, false)])
	_, after, ok := strings.Cut(text, "\ncreated by ")
	if !ok {
		return 0
	}
	line, _, _ := strings.Cut(after, "\n")
	_, num, ok := strings.Cut(line, " in goroutine ")
	if !ok {
		return 0
	}
	id, _ := strconv.ParseInt(num, 10, 64)
	return id
}

// checkLinkError checks that call returned 0 and a *links.LinkError for link wantLink that
// wraps wantErr.
func checkLinkError(t *testing.T, call string, got int, err error, wantLink int, wantErr error) {
	t.Helper()
	var linkErr *links.LinkError
	switch {
	case err == nil:
		t.Errorf("%s = %d, nil; want link %d's error: a failing link ends the chain with its error", call, got, wantLink)
	case !errors.As(err, &linkErr):
		t.Errorf("%s returned the error %v, want a *links.LinkError: wrap the failing step's error with its link number", call, err)
	case linkErr.Link != wantLink:
		t.Errorf("%s failed at link %d, want link %d (links count from 1)", call, linkErr.Link, wantLink)
	default:
		assert.ErrorIs(t, err, wantErr, "%s must keep the step's error inside the LinkError", call)
	}
}
