package katatest

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// isolatedEnv tells a test binary that it is the child Isolated started, and for which test.
const isolatedEnv = "KATATEST_ISOLATED"

// A Child is what a test run by Isolated did in its child process.
type Child struct {
	Output string // everything the child printed
	// Crash is the line that ended the child ("panic: close of closed channel"), or "" if it
	// did not crash. A panic on the goroutine that runs a Bubble's body does not crash it (the
	// Bubble reports it as a failure), so look for such panics in Output.
	Crash string
}

// Isolated runs body, the whole of the calling top-level test, in a child process: a new run
// of the test binary limited to this test. Use it for tests whose code under test may panic on
// a goroutine it started. Go lets no one but that goroutine recover such a panic, so it would
// end the binary and every test after this one; in a child it fails this test alone.
//
// When the child fails, Isolated reports it with t.Errorf: a crash as the panic and the frames of
// the learner's code where it happened, anything else as the child's own failure messages. If
// explain is not nil, what it returns for the child is added to the report: the place to name
// the likely mistake ("the channel was closed twice: …").
func Isolated(t *testing.T, explain func(Child) string, body func(t *testing.T)) {
	t.Helper()
	if os.Getenv(isolatedEnv) == t.Name() {
		body(t)
		return
	}
	args := []string{"-test.run=^" + regexp.QuoteMeta(t.Name()) + "$", "-test.count=1", "-test.v"}
	if deadline, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+time.Until(deadline).Round(time.Second).String())
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], args...)
	cmd.Env = append(os.Environ(), isolatedEnv+"="+t.Name(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	out, err := cmd.CombinedOutput()
	if err == nil {
		return
	}
	child := Child{Output: string(out)}
	lines := strings.Split(child.Output, "\n")
	crashAt := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			child.Crash, crashAt = strings.TrimSuffix(strings.TrimSuffix(l, " [recovered, repanicked]"), " [recovered]"), i
			break
		}
	}
	var hint string
	if explain != nil {
		if h := explain(child); h != "" {
			hint = "\n" + h
		}
	}
	if child.Crash == "" {
		t.Errorf("run in a child process (so that a crash could not end the other tests), it failed:\n%s%s",
			childFailures(t.Name(), lines), hint)
		return
	}
	where := "      (no frames of the code under test)"
	if gs := parseStacks(strings.Join(lines[crashAt:], "\n")); len(gs) > 0 && len(gs[0].frames) > 0 {
		where = "      " + strings.Join(gs[0].frames, "\n      ")
	}
	t.Errorf("the code under test crashed the program: %s%s\n\n"+
		"A panic on a goroutine ends the whole program unless that same goroutine recovers it.\nWhere:\n%s",
		child.Crash, hint, where)
}

// childFailures keeps the lines of a child's -v output that say what failed: the failure
// messages, the names of failing subtests and the first lines of a race report; not the ===
// lines, the --- lines of the test and its parents, the package summary, or passing subtests.
func childFailures(name string, lines []string) string {
	var kept []string
	inRace := 0
	for _, l := range lines {
		trimmed := strings.TrimSpace(l)
		switch {
		case trimmed == "WARNING: DATA RACE":
			inRace = 1
		case inRace > 0 && strings.HasPrefix(trimmed, "=================="):
			inRace = 0
			continue
		case inRace > 0:
			inRace++
			if inRace > maxRaceLines {
				continue
			}
		}
		if sub, ok := strings.CutPrefix(trimmed, "=== RUN   "+name+"/"); ok {
			kept = append(kept, heading+sub+":") // kept only if messages follow
			continue
		}
		switch {
		case trimmed == "", trimmed == "FAIL", trimmed == "PASS", trimmed == "==================",
			strings.HasPrefix(trimmed, "=== "), strings.HasPrefix(trimmed, "--- "),
			strings.HasPrefix(trimmed, "exit status "), strings.HasPrefix(trimmed, "testing: warning"):
			continue
		}
		kept = append(kept, l)
	}
	// A subtest's name stays only if it printed something: those that passed said nothing.
	for i, l := range kept {
		if sub, ok := strings.CutPrefix(l, heading); ok {
			if i+1 < len(kept) && !strings.HasPrefix(kept[i+1], heading) {
				kept[i] = sub
			} else {
				kept[i] = ""
			}
		}
	}
	kept = slices.DeleteFunc(kept, func(l string) bool { return l == "" })
	if len(kept) > 60 {
		kept = append(kept[:60], "...")
	}
	return dedent(kept)
}

// heading marks a subtest's name among the lines childFailures keeps, until it knows whether
// the subtest printed anything.
const heading = "\x00"

// maxRaceLines is how much of a race report a child's failure shows: the accesses and the
// first frames, which say where to look.
const maxRaceLines = 16

// dedent joins lines, less the indentation they all share.
func dedent(lines []string) string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n := len(l) - len(strings.TrimLeft(l, " \t")); common < 0 || n < common {
			common = n
		}
	}
	for i, l := range lines {
		if len(l) >= common && common > 0 {
			lines[i] = l[common:]
		}
	}
	return strings.Join(lines, "\n")
}
