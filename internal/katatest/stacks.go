package katatest

import (
	"strings"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// stuckGoroutines returns the goroutines in synctest bubbles that were not in before and
// that run code of the learner's or the test's (synctest's own goroutines show none).
func stuckGoroutines(all []gotrace.Goroutine, before gotrace.Snapshot) []gotrace.Goroutine {
	var out []gotrace.Goroutine
	for _, g := range before.Started(all) {
		if g.Bubble != 0 && len(g.Shown()) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// userFrames renders the frames of one goroutine's traceback (from debug.Stack) worth
// showing a learner, or the whole traceback if it has none.
func userFrames(stack string) string {
	gs := gotrace.Parse(stack)
	if len(gs) == 0 || len(gs[0].Shown()) == 0 {
		return stack
	}
	return framesText(gs[0].Shown())
}

// framesText renders frames one a line, indented under a "Where:".
func framesText(frames []gotrace.Frame) string {
	lines := make([]string, len(frames))
	for i, f := range frames {
		lines[i] = "      " + f.String()
	}
	return strings.Join(lines, "\n")
}
