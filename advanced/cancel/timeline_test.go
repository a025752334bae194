package cancellation_test

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-async-katas/katas/internal/timeline"
)

// sleepDrawing notes one Sleep call for its failure message: the instants the test ends
// ctx ("cancel", "timeout") and the call itself, so a Sleep that ignores ctx shows its bar
// running past them.
type sleepDrawing struct {
	rec               *timeline.Recorder
	name              string
	call              *timeline.Task
	marks             []*time.Timer
	cancelAt, timeout time.Duration // when the test ends ctx; 0: never
}

// drawSleep starts the recording just before Sleep(ctx, d) is called, with ctx cancelled at
// cancelAt and timing out at timeout (0: never).
func drawSleep(d, cancelAt, timeout time.Duration) *sleepDrawing {
	s := &sleepDrawing{rec: timeline.New(), name: fmt.Sprintf("Sleep %v", d), cancelAt: cancelAt, timeout: timeout}
	for _, end := range []struct {
		name string
		at   time.Duration
	}{{"cancel", cancelAt}, {"timeout", timeout}} {
		if end.at > 0 {
			s.marks = append(s.marks, time.AfterFunc(end.at, func() { s.rec.Mark(end.name) }))
		}
	}
	s.call = s.rec.Start(s.name)
	return s
}

// returned notes that Sleep returned err now, and lets the marks due at this very instant
// be noted before the drawing is taken; the later ones are never noted.
func (s *sleepDrawing) returned(err error) {
	s.call.End(err)
	s.rec.Returned()
	synctest.Wait()
	for _, m := range s.marks {
		m.Stop()
	}
}

// elapsed checks, as katatest.Elapsed does, that the call took want of fake time, and ends
// its message with the drawing of what Sleep did above what the kata wants: a Sleep that
// returns at want, ended as wantErr says, with the marks of ctx's ends up to then.
func (s *sleepDrawing) elapsed(t *testing.T, want time.Duration, wantErr bool, hint string) {
	t.Helper()
	got := s.rec.Timeline()
	if got.ReturnAt == want {
		return
	}
	wanted := timeline.Want()
	if s.cancelAt > 0 && s.cancelAt <= want {
		wanted.Mark("cancel", s.cancelAt)
	}
	if s.timeout > 0 && s.timeout <= want {
		wanted.Mark("timeout", s.timeout)
	}
	outcome := timeline.Done
	if wantErr {
		outcome = timeline.Cancelled
	}
	wanted.Task(s.name, 0, want, outcome).Return(want)
	t.Errorf("took %v of fake time, want %v: %s\n\n%s", got.ReturnAt, want, hint, s.rec.Diff(wanted))
}
