package future_test

import (
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/timeline"
)

// awaitElapsed checks, as katatest.Elapsed does, that Await, called at start, returned
// when the test's event (completing the future, ending ctx) came at at. When it did not,
// the message ends with Await's wait beside that event, above what the kata wants: Await
// returning at the event.
func awaitElapsed(t *testing.T, start time.Time, event string, at time.Duration, hint string) {
	t.Helper()
	took := time.Since(start)
	if took == at {
		return
	}
	line := func(ret time.Duration) timeline.Timeline {
		return *timeline.Want().Mark(event, at).Done("Await", 0, ret).Return(ret)
	}
	t.Errorf("took %v of fake time, want %v: %s\n\n%s", took, at, hint, timeline.Diff(line(took), line(at), timeline.StyleFromEnv()))
}
