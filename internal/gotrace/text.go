package gotrace

import (
	"strings"
	"time"
)

// Crash returns the line that ended a crashed Go program ("panic: close of closed channel",
// "fatal error: all goroutines are asleep - deadlock!") and its index in lines, or "" and -1.
// A line counts only when goroutine tracebacks follow it, so an example's expected output
// that reads "panic: …" is not a crash. The " [recovered]" and " [recovered, repanicked]"
// marks Go adds to a panic that was recovered and raised again are left out.
func Crash(lines []string) (line string, at int) {
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "panic: ") && !strings.HasPrefix(l, "fatal error: ") {
			continue
		}
		for _, next := range lines[i+1:] {
			if headerRE.MatchString(strings.TrimSpace(next)) {
				return trimRecovered(l), i
			}
		}
	}
	return "", -1
}

func trimRecovered(l string) string {
	for _, mark := range []string{" [recovered, repanicked]", " [recovered]"} {
		l = strings.TrimSuffix(l, mark)
	}
	return l
}

// CrashHint returns, for a crash line from [Crash], its usual cause in concurrent code and the
// fix, in a learner's words; "" for a crash it does not know.
func CrashHint(crash string) string {
	for _, h := range crashHints {
		if strings.Contains(crash, h.says) {
			return h.hint
		}
	}
	return ""
}

var crashHints = []struct{ says, hint string }{
	{"send on closed channel", "A goroutine sent on a channel that was already closed. Close a channel only on its\n" +
		"sending side, once, after every sender is done (wg.Wait(), then close), never from a\n" +
		"receiver that has seen enough."},
	{"close of closed channel", "A channel was closed twice. Close it once, in one place: after wg.Wait() for all its\n" +
		"senders, or in the one sender that knows it is the last; not in each sender, not in a\n" +
		"receiver too."},
	{"close of nil channel", "A nil channel was closed: make it first (make(chan T)), and close the channel you\n" +
		"send on."},
	{"negative WaitGroup counter", "wg.Done() ran more times than wg.Add counted. Call wg.Add(n) before starting n\n" +
		"goroutines, not inside them (or use wg.Go), and wg.Done() exactly once in each:\n" +
		"defer wg.Done()."},
	{"unlock of unlocked mutex", "A mutex was unlocked that was not locked: unlock once for each lock, on the same\n" +
		"mutex (mu.Lock(); defer mu.Unlock()), and never copy a struct that holds a mutex."},
	{"concurrent map", "Two goroutines used one map at the same time, one of them writing: guard it with a\n" +
		"sync.Mutex, or give each goroutine its own results and combine them after wg.Wait()."},
	{"all goroutines are asleep", "Every goroutine waits for another: a send or receive nobody will answer, or a\n" +
		"wg.Wait() that nothing will end."},
}

// TimedOut reports whether crash, a line from [Crash], is go test's -timeout alarm.
func TimedOut(crash string) bool { return strings.HasPrefix(crash, "panic: test timed out") }

// CrashMonitorEnv names the environment variable that turns katatest's crash monitor off
// ("off"): the kata tool sets it for its own go test runs, as it explains a crash itself and
// the monitor would make each run end a little later.
const CrashMonitorEnv = "KATA_CRASH_MONITOR"

// CrashPrefix starts the first line of the report katatest's crash monitor prints after Go's
// own when a test binary crashed: "--- CRASH: TestX/sub (panic: close of closed channel)".
const CrashPrefix = "--- CRASH: "

// HangPrefix starts the first line of the report katatest prints when a test has made no
// progress for the hang bound: "--- HANG: TestX/sub (no progress for 10s of real time)".
const HangPrefix = "--- HANG: "

// HangLine returns the first line of a hang report for the named test.
func HangLine(test string, bound time.Duration) string {
	return HangPrefix + test + " (no progress for " + bound.String() + " of real time)"
}

// Hang returns the test named by the first hang report line in lines and the line's index,
// or "" and -1.
func Hang(lines []string) (test string, at int) {
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), HangPrefix); ok {
			test, _, _ = strings.Cut(rest, " (no progress for ")
			return test, i
		}
	}
	return "", -1
}

const raceWarning = "WARNING: DATA RACE"

// IsRaceWarning reports whether l is the line that starts a data race report.
func IsRaceWarning(l string) bool { return strings.TrimSpace(l) == raceWarning }

// Race returns the first data race report in lines, from its "WARNING: DATA RACE" line to the
// line before the closing "==================", with the indentation the lines share removed;
// nil if there is none. When the report is longer than limit lines (and limit > 0), it is cut
// to limit lines and a last line "..." says so: the accesses and their first frames come first.
func Race(lines []string, limit int) []string {
	start := -1
	for i, l := range lines {
		if IsRaceWarning(l) {
			start = i
			break
		}
	}
	if start < 0 {
		return nil
	}
	end := start + 1
	for end < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[end]), "==================") {
		end++
	}
	block := Dedent(lines[start:end])
	for len(block) > 0 && strings.TrimSpace(block[len(block)-1]) == "" {
		block = block[:len(block)-1]
	}
	if limit > 0 && len(block) > limit {
		block = append(block[:limit:limit], "...")
	}
	return block
}

// RaceWhere shortens a race report (from [Race]) to what a learner acts on: each access line
// ("Write at 0x00c000012345 by goroutine 8:") and, under it, the learner's own frames
// ([Frame.Learner]) in the short form "  sum.Total.func1 (sum.go:12)". The goroutine-creation
// sections are left out.
func RaceWhere(report []string) []string {
	var out []string
	skip := false
	for i := 0; i < len(report); i++ {
		l := strings.TrimSpace(report[i])
		switch {
		case l == "" || l == raceWarning:
			continue
		case strings.HasPrefix(l, "Goroutine ") && strings.HasSuffix(l, " created at:"):
			skip = true
			continue
		case strings.HasSuffix(l, ":") && strings.Contains(l, " by ") && !strings.Contains(l, "/"):
			skip = false
			out = append(out, l)
			continue
		}
		if i+1 >= len(report) {
			break
		}
		file, line, ok := location(report[i+1])
		if !ok {
			continue
		}
		i++
		f := Frame{Func: strings.TrimSuffix(l, "()"), File: file, Line: line}
		if !skip && f.Learner() {
			out = append(out, "  "+f.String())
		}
	}
	return out
}

// Dedent returns lines less the indentation all of them share; blank lines do not count
// and come back empty.
func Dedent(lines []string) []string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n := len(l) - len(strings.TrimLeft(l, " \t")); common < 0 || n < common {
			common = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			out[i] = l[max(common, 0):]
		}
	}
	return out
}
