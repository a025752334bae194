package katatest

import (
	"cmp"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// HangEnv names the environment variable that sets the hang bound: a Go duration such as
// "10s" or "300ms"; "0" (or a negative duration) turns the hang detector off. Unset, the
// bound is [DefaultHangBound].
const HangEnv = "KATA_HANG_TIMEOUT"

// DefaultHangBound is how long a test may run in real time before the hang detector reports
// it. Correct solutions take milliseconds: the bound is there to end a hang, not to time code.
const DefaultHangBound = 10 * time.Second

// HangBound returns the hang bound in force: [HangEnv] read once, [DefaultHangBound] when it is
// unset or not a duration, 0 when the detector is off.
func HangBound() time.Duration { return hangBound() }

var hangBound = sync.OnceValue(func() time.Duration {
	v, _ := os.LookupEnv(HangEnv)
	d, warning := parseHangBound(v)
	if warning != "" {
		fmt.Fprintln(os.Stderr, warning)
	}
	return d
})

// parseHangBound reads the value of HangEnv ("" when unset) and returns the bound, and a
// warning when v is not a duration.
func parseHangBound(v string) (time.Duration, string) {
	if v == "" {
		return DefaultHangBound, ""
	}
	if v == "0" {
		return 0, ""
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return DefaultHangBound, fmt.Sprintf("katatest: %s=%q is not a duration such as 10s, or 0 (off): using %v", HangEnv, v, DefaultHangBound)
	}
	return max(d, 0), ""
}

// hangFired is set by the first hang report: one report per binary, then it exits.
var hangFired atomic.Bool

// watchHang arms a real-time watchdog for the test named name: unless stop is called within
// after, it prints a hang report about the goroutines pick chooses from all of the process's
// and ends the binary with exit status 1. Go gives no other way to stop a goroutine that spins
// or waits on a mutex. Call it outside any synctest bubble, so the timer is real. It watches
// nothing when the hang detector is off.
func watchHang(name string, after time.Duration, pick func([]gotrace.Goroutine) []gotrace.Goroutine) (stop func()) {
	bound := HangBound()
	if bound <= 0 {
		return func() {}
	}
	timer := time.AfterFunc(after, func() { reportHang(name, bound, pick(gotrace.All())) })
	return func() { timer.Stop() }
}

// reportHang prints the hang report for the test named name to standard output, in one write
// so that it stays whole, and ends the binary.
func reportHang(name string, bound time.Duration, stuck []gotrace.Goroutine) {
	endWithHang(hangReport(name, bound, stuck))
}

// endWithHang prints report, a hang report, to standard output in one write, so that it
// stays whole, and ends the binary with exit status 1: the first report wins.
func endWithHang(report string) {
	if !hangFired.CompareAndSwap(false, true) {
		select {} // another report is being written, and the binary ends with it
	}
	os.Stdout.WriteString(report)
	os.Exit(1)
}

// maxHangShown is how many goroutines a hang report lists.
const maxHangShown = 4

// hangReport explains a hang to a learner. Its first line is [gotrace.HangLine]; the rest is
// indented as go test indents a failure's messages.
func hangReport(name string, bound time.Duration, stuck []gotrace.Goroutine) string {
	stuck = slices.Clone(stuck)
	held := heldAcrossWait(stuck)
	rank := func(g gotrace.Goroutine) int {
		if held[g.ID] {
			return 0 // it holds a lock others wait for
		}
		return stuckRank(g)
	}
	// The goroutines that stop fake time first (spinning, or waiting on a mutex, and a lock's
	// likely holder), then those that run the learner's code.
	slices.SortStableFunc(stuck, func(a, b gotrace.Goroutine) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), boolOrder(len(a.Learner()) > 0, len(b.Learner()) > 0))
	})
	var b strings.Builder
	b.WriteString(gotrace.HangLine(name, bound) + "\n")
	fmt.Fprintf(&b, "After %v of real time this test had not finished, where a correct solution takes\n"+
		"milliseconds: a goroutine is busy, or blocked in a way fake time cannot see, so it would never end.\n", bound)
	if len(stuck) == 0 {
		b.WriteString("\nNo goroutine of the test runs code of yours or the test's.\n")
	} else {
		b.WriteString("\nStuck goroutines (your code first):\n")
	}
	groups := groupSame(stuck)
	for i, gr := range groups {
		if i == maxHangShown {
			rest := 0
			for _, gr := range groups[i:] {
				rest += len(gr)
			}
			fmt.Fprintf(&b, "  ... and %d more\n", rest)
			break
		}
		head, frames, _ := strings.Cut(learnerFirst(gr[0]), "\n")
		if len(gr) > 1 {
			head += fmt.Sprintf(" and %d more goroutines just like it", len(gr)-1)
		}
		b.WriteString(indent(head+"\n"+frames, "  ") + "\n")
		what := whatItDoes(gr[0])
		switch {
		case len(held) > 0 && isMutexWait(gr[0]):
			what = "waiting to lock a mutex whose holder, in the same code, is waiting itself: fake time stands still"
		case held[gr[0].ID]:
			what = "waiting (a sleep, a timer, a channel) while it holds the lock the goroutines above want?"
		}
		b.WriteString("      -> " + what + "\n")
	}
	b.WriteString("\nLikely causes:\n")
	for _, c := range likelyCauses(stuck) {
		b.WriteString("  - " + strings.ReplaceAll(c, "\n", "\n  ") + "\n")
	}
	fmt.Fprintf(&b, "\nGo has no way to stop a goroutine that spins or waits on a mutex, so the test binary ends\n"+
		"here (exit status 1). %s=%v sets the bound (0 turns the hang detector off).\n", HangEnv, HangBound())
	return indentAfterFirst(b.String())
}

// learnerFirst renders g as [gotrace.Goroutine.String] does, but with the learner's own
// frames first and the test's after them, each marked "test:". A goroutine with no frame of
// the learner's is rendered as String does.
func learnerFirst(g gotrace.Goroutine) string {
	s := g.String()
	if len(g.Learner()) == 0 {
		return s
	}
	head, rest, _ := strings.Cut(s, "\n")
	var mine, tests []string
	for l := range strings.SplitSeq(rest, "\n") {
		if strings.Contains(l, "_test.go:") {
			tests = append(tests, strings.Replace(l, "    ", "    test: ", 1))
		} else {
			mine = append(mine, l)
		}
	}
	return strings.Join(append(append([]string{head}, mine...), tests...), "\n")
}

// groupSame groups goroutines that do the same thing at the same lines, keeping their order:
// ten consumers spinning at one line are one entry of the report.
func groupSame(gs []gotrace.Goroutine) [][]gotrace.Goroutine {
	var groups [][]gotrace.Goroutine
	at := map[string]int{}
	for _, g := range gs {
		_, key, _ := strings.Cut(g.String(), "]") // the state, the frames and where it was started
		key = g.State + key
		if i, ok := at[key]; ok {
			groups[i] = append(groups[i], g)
			continue
		}
		at[key] = len(groups)
		groups = append(groups, []gotrace.Goroutine{g})
	}
	return groups
}

func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	default:
		return 1
	}
}

// stuckRank orders goroutines by how likely they are the cause of a hang: 0 for those that
// spin or wait on a mutex, 1 for other waits fake time cannot see, 2 for the rest.
func stuckRank(g gotrace.Goroutine) int {
	switch {
	case isMutexWait(g) || spinning(g):
		return 0
	case !g.Durable && g.Bubble != 0:
		return 1
	default:
		return 2
	}
}

// spinning reports whether g was running, or ready to run: a goroutine that never blocks.
// One that allocates as it spins may be caught helping the garbage collector instead.
func spinning(g gotrace.Goroutine) bool { return g.Running() || g.Blocked("GC assist") }

func isMutexWait(g gotrace.Goroutine) bool {
	return !g.Durable && (g.Blocked("sync.Mutex") || g.Blocked("sync.RWMutex"))
}

// whatItDoes says in words what a stuck goroutine was doing.
func whatItDoes(g gotrace.Goroutine) string {
	switch {
	case isMutexWait(g):
		return "waiting to lock a mutex that nobody unlocks"
	case spinning(g):
		return "running without ever blocking: a loop that never waits?"
	case !g.Durable && g.Bubble != 0:
		return "waiting on something the fake clock cannot see (a channel or timer made outside the test, I/O?)"
	case g.Durable:
		return "waiting on a channel, timer or WaitGroup: it would go on if the goroutines above did"
	default:
		return "waiting (" + g.State + ")"
	}
}

const (
	causeHeld = "a mutex held across a wait (a sleep, a timer, a channel): in a test's fake time a goroutine\n" +
		"  waiting to lock a mutex stops the clock, so the holder's wait never ends. Lock only around the\n" +
		"  shared data and unlock before waiting; work meant to run in parallel must not run under one lock"
	causeMutex = "a mutex locked twice (Go's mutexes are not re-entrant: a method that holds the lock\n" +
		"  calls another that locks it again), or not unlocked on some path (an early return:\n" +
		"  lock, then defer mu.Unlock())"
	causeBreak = "a loop that never blocks: `break` inside a `select` leaves only the select, so the\n" +
		"  `for` goes round again at once (use a labelled break, or return); or a receive from a\n" +
		"  closed channel, which never waits"
	causeDefault = "a `select` with a `default` case, in a loop: it never waits, it spins"
	causeBusy    = "waiting for a value in a busy loop (`for !done {}`, polling a variable) instead of\n" +
		"  receiving from a channel or calling wg.Wait()"
	causeOutside = "a channel, timer or context made outside the test (a package-level variable, a value\n" +
		"  shared between tests): the test's fake clock cannot see it; or real I/O"
)

// likelyCauses lists the mistakes that hang a test this way, those that fit what the stuck
// goroutines were doing first.
func likelyCauses(stuck []gotrace.Goroutine) []string {
	mutex := slices.ContainsFunc(stuck, isMutexWait)
	spin := slices.ContainsFunc(stuck, spinning)
	switch {
	case mutex && !spin && len(heldAcrossWait(stuck)) > 0:
		return []string{causeHeld, causeMutex, causeBreak, causeDefault}
	case mutex && !spin:
		return []string{causeMutex, causeBreak, causeDefault, causeBusy}
	case spin:
		return []string{causeBreak, causeDefault, causeBusy, causeMutex}
	default:
		return []string{causeOutside, causeMutex, causeBreak, causeDefault}
	}
}

// heldAcrossWait returns the goroutines that wait durably (a sleep, a timer, a channel) in a
// function of the learner's in which another goroutine waits to lock a mutex: most likely the
// holders of that lock, waiting with it held.
func heldAcrossWait(stuck []gotrace.Goroutine) map[int64]bool {
	holders := map[int64]bool{}
	for _, w := range stuck {
		if !isMutexWait(w) {
			continue
		}
		for _, g := range stuck {
			if g.ID == w.ID || !g.Durable {
				continue
			}
			for _, f := range g.Learner() {
				if slices.ContainsFunc(w.Learner(), func(wf gotrace.Frame) bool { return sameCode(wf.Func, f.Func) }) {
					holders[g.ID] = true
				}
			}
		}
	}
	return holders
}

// sameCode reports whether functions a and b are the same, or closures written in the same
// function ("pkg.F.func1" and "pkg.F.func2"), which share its variables, a mutex among them.
func sameCode(a, b string) bool {
	outerA, outerB := closureSuffix.ReplaceAllString(a, ""), closureSuffix.ReplaceAllString(b, "")
	return a == b || outerA == outerB && outerA != a && outerB != b
}

// closureSuffix is the part of a function's name that says it is a closure in it.
var closureSuffix = regexp.MustCompile(`(\.(func|gowrap)\d+(\.\d+)*)+$`)

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// indentAfterFirst indents every line but the first by four spaces, as go test does a
// failure's messages.
func indentAfterFirst(s string) string {
	first, rest, _ := strings.Cut(strings.TrimSuffix(s, "\n"), "\n")
	lines := strings.Split(rest, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "    " + l
		}
	}
	return first + "\n" + strings.Join(lines, "\n") + "\n"
}

// inBubble picks the goroutines of the synctest bubble *id that show code of the learner's or
// the test's (synctest's own goroutines show none), and those outside any bubble that run such
// code.
func inBubble(id *atomic.Int64, before gotrace.Snapshot) func([]gotrace.Goroutine) []gotrace.Goroutine {
	return func(all []gotrace.Goroutine) []gotrace.Goroutine {
		bubble := int(id.Load())
		var out []gotrace.Goroutine
		for _, g := range before.Started(all) {
			// A goroutine that allocates a lot (a loop that spins, say) is taken out of its
			// bubble while it helps the garbage collector, and a dump may catch it then.
			inIt := bubble == 0 || g.Bubble == bubble || g.Bubble == 0 && spinning(g)
			if inIt && len(g.Shown()) > 0 {
				out = append(out, g)
			}
		}
		return out
	}
}

// startedSince picks the goroutines not in before that show code of the learner's or the
// test's, less the harness's own watchdog.
func startedSince(before gotrace.Snapshot) func([]gotrace.Goroutine) []gotrace.Goroutine {
	return func(all []gotrace.Goroutine) []gotrace.Goroutine {
		var out []gotrace.Goroutine
		for _, g := range before.Started(all) {
			if len(g.Shown()) > 0 {
				out = append(out, g)
			}
		}
		return out
	}
}
