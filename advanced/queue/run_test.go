package queue_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/go-async-katas/katas/advanced/queue"
	"github.com/go-async-katas/katas/internal/gotrace"
	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/timeline"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		giveN     int
		giveEvery time.Duration
	}{
		{"seed", 5, time.Second},
		{"none", 0, time.Second},
		{"two seconds apart", 3, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				call := fmt.Sprintf("Run(ctx, w, %d, %v)", tt.giveN, tt.giveEvery)
				w := newScreen(tt.giveN+1, 0)
				var (
					count int
					err   error
				)
				took := time.Duration(tt.giveN) * tt.giveEvery
				start := time.Now()
				var runner int64 // the goroutine that called Run
				rec := timeline.New()
				drawing := runDrawing(rec, tt.giveN, tt.giveEvery, 0)
				returned := returnsWithin(t, took+grace, func() {
					runner = gotrace.Self().ID
					count, err = queue.Run(t.Context(), drawnTo(rec, w), tt.giveN, tt.giveEvery)
					rec.Returned()
				})
				got, extra := w.written()
				switch {
				case extra:
					t.Fatalf("%s wrote\n%s\nand then more lines than numbers were sent.\n%s", call, listing(got), runawayHint)
				case !returned:
					t.Fatalf("%s wrote\n%s\nand had not returned a minute after the producer's last number.\n"+
						"When the producer is done it must close the channel, so the consumer's loop ends; then Run waits for the consumer and returns",
						call, listing(got))
				}
				want := append(gotLines(tt.giveN), "Done!")
				if !slices.Equal(got, want) {
					t.Errorf("%s wrote\n%s\nwant\n%s\nThe consumer writes \"Got number <i>\" for each number; Run writes \"Done!\" once the consumer has finished%s",
						call, listing(got), listing(want), drawing())
					return
				}
				if count != tt.giveN || err != nil {
					t.Errorf("%s = %d, %v; want %d, nil: return how many numbers the consumer handled", call, count, err, tt.giveN)
				}
				writers := w.wroteOn()
				for i, id := range writers[:len(writers)-1] {
					if id == runner {
						t.Errorf("%s wrote %q on the goroutine that called Run, want it written by the consumer goroutine Run\n"+
							"starts: the producer runs on Run's own goroutine, the consumer on one of its own", call, got[i])
						break
					}
					if id != writers[0] {
						t.Errorf("%s wrote %q on another goroutine than %q: one consumer goroutine writes every \"Got number\"", call, got[i], got[0])
						break
					}
				}
				if writers[len(writers)-1] != runner {
					t.Errorf("%s wrote \"Done!\" on another goroutine than the one that called Run: Run writes it itself, once the consumer has finished", call)
				}
				if got := time.Since(start); got != took {
					t.Errorf("took %v of fake time, want %v: the producer sends a number every interval and then closes the channel: Run ends then%s",
						got, took, drawing())
				}
			})
		})
	}
}

// TestRunNothingToSend runs Run with no numbers to send, many times over. The producer closes
// the channel at once, so Run may reach its wait before the consumer goroutine has even
// started. A WaitGroup counted inside that goroutine (wg.Add(1) in it, not before the go
// statement) then lets Run return without the consumer, which writes the count Run already
// read: go test -race reports that data race, at Run's lines, in one of the rounds.
func TestRunNothingToSend(t *testing.T) {
	const rounds = 50
	const call = "Run(ctx, w, 0, 1s)"
	katatest.Bubble(t, func(t *testing.T) {
		for round := range rounds {
			w := newScreen(1, 0)
			var (
				count int
				err   error
			)
			if !returnsWithin(t, grace, func() { count, err = queue.Run(t.Context(), w, 0, time.Second) }) {
				t.Fatalf("%s had not returned a minute later: with nothing to send, the producer closes the channel at once,\n"+
					"the consumer ends, and Run returns", call)
			}
			if got, _ := w.written(); count != 0 || err != nil || !slices.Equal(got, []string{"Done!"}) {
				t.Fatalf("%s = %d, %v and wrote\n%s\n(round %d of %d); want 0, nil and only \"Done!\"", call, count, err, listing(got), round+1, rounds)
			}
		}
	})
}

func TestRunWaitsForConsumer(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "Run(ctx, a writer taking 1s per line, 3, 1s)"
		w := newScreen(4, time.Second) // slow, like a terminal: the consumer is busy when the producer is done
		var (
			count int
			err   error
		)
		start := time.Now()
		rec := timeline.New()
		drawing := runDrawing(rec, 3, time.Second, time.Second)
		returned := returnsWithin(t, 5*time.Second+grace, func() {
			count, err = queue.Run(t.Context(), drawnTo(rec, w), 3, time.Second)
			rec.Returned()
		})
		// Run has returned: everything it started must have finished, and written its lines.
		got, extra := w.written()
		switch {
		case extra:
			t.Fatalf("%s wrote\n%s\nand then more lines than numbers were sent.\n%s", call, listing(got), runawayHint)
		case !returned:
			t.Fatalf("%s wrote\n%s\nand had not returned a minute after it should have.\n"+
				"When the producer is done it must close the channel, so the consumer's loop ends; then Run waits for the consumer and returns",
				call, listing(got))
		}
		want := append(gotLines(3), "Done!")
		if !slices.Equal(got, want) {
			hint := "Wait for the consumer goroutine to finish (wg.Wait) before writing \"Done!\" and returning"
			if len(got) == 0 {
				hint = "Start the consumer on its own goroutine, run the producer, then wait for the consumer and write \"Done!\""
			}
			t.Errorf("%s had written\n%s\nwhen it returned, want\n%s\n%s%s", call, listing(got), listing(want), hint, drawing())
			return
		}
		if count != 3 || err != nil {
			t.Errorf("%s = %d, %v; want 3, nil", call, count, err)
		}
		if got := time.Since(start); got != 5*time.Second {
			t.Errorf("took %v of fake time, want 5s: the last number is sent at 3s, its line takes until 4s and \"Done!\" until 5s: "+
				"does Run wait for the consumer before it writes \"Done!\"?%s", got, drawing())
		}
	})
}

func TestRunCancel(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		call := "Run(ctx cancelled at 2.5s, w, 5, 1s)"
		ctx, cancel := context.WithCancelCause(t.Context())
		time.AfterFunc(2500*time.Millisecond, func() { cancel(errStop) })
		w := newScreen(3, 0)
		var (
			count int
			err   error
		)
		start := time.Now()
		returned := returnsWithin(t, 2500*time.Millisecond+grace, func() { count, err = queue.Run(ctx, w, 5, time.Second) })
		got, extra := w.written()
		switch {
		case extra:
			t.Fatalf("%s wrote\n%s\nand then more lines than numbers were sent.\n%s", call, listing(got), runawayHint)
		case !returned:
			t.Fatalf("%s had not returned a minute after ctx was cancelled: the producer must stop and close the channel, the consumer stop, and Run return", call)
		}
		if count != 2 || !errors.Is(err, errStop) {
			t.Errorf("%s = %d, %v; want 2 and the cancel cause errStop: return what the consumer handled and context.Cause(ctx)", call, count, err)
			return
		}
		if want := gotLines(2); !slices.Equal(got, want) {
			t.Errorf("%s wrote\n%s\nwant\n%s\nno \"Done!\": the run did not finish", call, listing(got), listing(want))
		}
		katatest.Elapsed(t, start, 2500*time.Millisecond, "Run should stop as soon as ctx is cancelled")
	})
}

// TestRunUnbuffered tells an unbuffered channel from a buffered one by what the consumer has
// taken when ctx ends. Writes take 3s and numbers come every second, so the producer is soon
// ahead: with an unbuffered channel each send waits for the consumer, and at 4.5s only 0 and
// 1 have been handed over. A buffer would already hold the next numbers, and the consumer
// might take one more before it sees ctx end.
func TestRunUnbuffered(t *testing.T) {
	const rounds = 20 // a buffered channel is caught only when the consumer's select picks the number: try many times
	call := "Run(ctx cancelled at 4.5s, a writer taking 3s per line, 5, 1s)"
	katatest.Bubble(t, func(t *testing.T) {
		for range rounds {
			ctx, cancel := context.WithCancelCause(t.Context())
			time.AfterFunc(4500*time.Millisecond, func() { cancel(errStop) })
			w := newScreen(6, 3*time.Second)
			var (
				count int
				err   error
			)
			start := time.Now()
			returned := returnsWithin(t, 7*time.Second+grace, func() { count, err = queue.Run(ctx, w, 5, time.Second) })
			got, extra := w.written()
			switch {
			case extra:
				t.Fatalf("%s wrote\n%s\nand then more lines than numbers were sent.\n%s", call, listing(got), runawayHint)
			case !returned:
				t.Fatalf("%s had not returned a minute after ctx was cancelled: the producer must stop and close the channel, "+
					"the consumer stop, and Run return", call)
			}
			if count > 2 {
				t.Fatalf("%s = %d, %v; want 2 and errStop: the consumer took %d numbers, but with an unbuffered channel only 0 (at 1s) "+
					"and 1 (at 4s, when the first line was written) can have been handed over by 4.5s. Is the channel buffered "+
					"(make(chan int, n))? Then the producer ran ahead and the consumer found more waiting: Run's doc asks for an "+
					"unbuffered channel. Or did the consumer go on taking numbers after ctx was done?", call, count, err, count)
			}
			if count != 2 || !errors.Is(err, errStop) {
				t.Fatalf("%s = %d, %v; want 2 and the cancel cause errStop: return what the consumer handled and context.Cause(ctx)", call, count, err)
			}
			if want := gotLines(2); !slices.Equal(got, want) {
				t.Fatalf("%s wrote\n%s\nwant\n%s\nno \"Done!\": the run did not finish", call, listing(got), listing(want))
			}
			if !katatest.Elapsed(t, start, 7*time.Second, "the consumer is writing its second line from 4s to 7s when ctx is cancelled: "+
				"Run waits for it, then returns") {
				return
			}
		}
	})
}
