package katatest

import (
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
)

// goroutine is one goroutine's traceback, reduced to what a learner can act on.
type goroutine struct {
	id     string
	state  string   // "chan receive", "select", "sync.WaitGroup.Wait", ...
	bubble string   // the synctest bubble's number, "" outside bubbles
	frames []string // "pkg.Func (file.go:12)", innermost first, runtime and harness frames left out
}

func (g goroutine) String() string {
	var b strings.Builder
	b.WriteString("  goroutine " + g.id + " [" + g.state + "]")
	if len(g.frames) == 0 {
		b.WriteString(" (no frames of your code)")
	}
	for _, f := range g.frames {
		b.WriteString("\n      " + f)
	}
	return b.String()
}

var (
	headerRE = regexp.MustCompile(`^goroutine (\d+) \[([^\]]*)\]:$`)
	bubbleRE = regexp.MustCompile(`,? ?synctest bubble (\d+)`)
	// harnessPrefix is this package's function-name prefix, e.g. "example.com/internal/katatest.".
	harnessPrefix  = reflect.TypeFor[goroutine]().PkgPath() + "."
	hiddenPrefixes = []string{"runtime.", "runtime/debug.", "testing.", "testing/synctest.", "internal/synctest.", "sync.", harnessPrefix}
)

// parseStacks splits the output of runtime.Stack(buf, true) into goroutines.
func parseStacks(all string) []goroutine {
	var out []goroutine
	for block := range strings.SplitSeq(strings.TrimSpace(all), "\n\n") {
		lines := strings.Split(block, "\n")
		m := headerRE.FindStringSubmatch(lines[0])
		if m == nil {
			continue
		}
		g := goroutine{id: m[1], state: m[2]}
		if bm := bubbleRE.FindStringSubmatch(g.state); bm != nil {
			g.bubble = bm[1]
			g.state = bubbleRE.ReplaceAllString(g.state, "")
		}
		g.state = strings.Replace(g.state, " (durable)", "", 1)
		for i := 1; i+1 < len(lines); i += 2 {
			fn, loc := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
			created := strings.HasPrefix(fn, "created by ")
			fn = strings.TrimPrefix(fn, "created by ")
			fn, _, _ = strings.Cut(fn, " in goroutine ")
			if i := strings.LastIndex(fn, "("); i > 0 && !created {
				fn = fn[:i] // drop the argument list
			}
			if hidden(fn) {
				continue
			}
			loc, _, _ = strings.Cut(loc, " +0x")
			loc = filepath.Base(filepath.FromSlash(loc))
			short := fn[strings.LastIndex(fn, "/")+1:]
			if created {
				g.frames = append(g.frames, "(started by "+short+" at "+loc+")")
			} else {
				g.frames = append(g.frames, short+" ("+loc+")")
			}
		}
		out = append(out, g)
	}
	return out
}

func hidden(fn string) bool {
	if fn == "panic" {
		return true
	}
	for _, p := range hiddenPrefixes {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}

// bubbleIDs returns the synctest bubbles that have goroutines in the traceback all.
func bubbleIDs(all string) map[string]bool {
	ids := map[string]bool{}
	for _, g := range parseStacks(all) {
		if g.bubble != "" {
			ids[g.bubble] = true
		}
	}
	return ids
}

// stuckGoroutines returns the goroutines of bubbles not in before that run code of the
// learner's (synctest's own goroutines show no frames of theirs and are left out).
func stuckGoroutines(all string, before map[string]bool) []goroutine {
	var out []goroutine
	for _, g := range parseStacks(all) {
		if g.bubble != "" && !before[g.bubble] && len(g.frames) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// userFrames renders the frames of one goroutine's traceback (from debug.Stack) that are
// not the runtime's, the testing package's or this harness's.
func userFrames(stack string) string {
	gs := parseStacks(stack)
	if len(gs) == 0 || len(gs[0].frames) == 0 {
		return stack
	}
	return "      " + strings.Join(gs[0].frames, "\n      ")
}
