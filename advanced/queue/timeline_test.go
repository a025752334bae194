package queue_test

import (
	"io"
	"strings"
	"time"

	"github.com/go-async-katas/katas/internal/timeline"
)

// drawnTo returns w with each write noted in rec, as a task named by the line written that
// runs from the start of the Write to its end: the drawing of Run shows each line where the
// consumer (or Run) wrote it.
func drawnTo(rec *timeline.Recorder, w io.Writer) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		line := rec.Start(strings.TrimSuffix(string(p), "\n"))
		defer line.Done()
		return w.Write(p)
	})
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// runWant is what Run(ctx, w, n, every) should do when each line takes write to be written:
// the producer sends a number every interval after the last was taken, the consumer writes
// it as soon as it has it, and Run writes "Done!" once the consumer has finished, then
// returns.
func runWant(n int, every, write time.Duration) *timeline.Timeline {
	tl := timeline.Want()
	var sent, free time.Duration // the last send; when the consumer is free again
	for i := range n {
		sent = max(sent+every, free)
		free = sent + write
		tl.Done(gotLines(i + 1)[i], sent, free)
	}
	done := max(sent, free)
	return tl.Done("Done!", done, done+write).Return(done + write)
}

// runDrawing returns what draws, for the end of a failure message, once Run has returned,
// the lines it wrote (recorded in rec) above what the kata wants (see runWant), after a blank
// line; "" when the two are the same (lines in the wrong order at one instant look the same).
// It first lets any goroutine Run left behind run out, so a line written after the return
// shows there.
func runDrawing(rec *timeline.Recorder, n int, every, write time.Duration) func() string {
	return func() string {
		time.Sleep(grace)
		want := runWant(n, every, write)
		if rec.Timeline().Equal(*want) {
			return ""
		}
		return "\n\n" + rec.Diff(want)
	}
}
