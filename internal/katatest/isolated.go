package katatest

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-async-katas/katas/internal/gotrace"
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
	// Hang is the child's hang report (its first line is [gotrace.HangLine]), or "" if the
	// child finished within the hang bound.
	Hang string

	name   string // the test the child ran
	passed bool
}

// Isolated runs body, the whole of the calling top-level test, in a child process: a new run
// of the test binary limited to this test. Use it for tests whose code under test may panic on
// a goroutine it started. Go lets no one but that goroutine recover such a panic, so it would
// end the binary and every test after this one; in a child it fails this test alone.
//
// When the child fails, Isolated reports it with t.Errorf: a crash as the panic and the frames of
// the learner's code where it happened, a hang (see the package doc) as the child's hang report,
// anything else as the child's own failure messages. If explain is not nil, what it returns for
// the child is added to the report: the place to name the likely mistake ("the channel was
// closed twice: …").
//
// The child watches itself for hangs; the parent ends a child that is still running well
// after the hang bound (with SIGQUIT where there is one, to see its goroutines) and takes
// that for a hang too. A hang in the child ends this binary with the child's hang report, as
// a hang anywhere does (see the package doc): a run waits out the hang bound once, not once
// for each test that hangs on the same mistake.
func Isolated(t *testing.T, explain func(Child) string, body func(t *testing.T)) {
	t.Helper()
	if inChild(t, body) {
		return
	}
	noteTest(t.Name())
	child := runChild(t)
	if child.passed {
		return
	}
	var hint string
	if explain != nil {
		if h := explain(*child); h != "" {
			hint = "\n" + h
		}
	}
	if h := gotrace.CrashHint(child.Crash); hint == "" && h != "" {
		hint = "\n" + h
	}
	lines := strings.Split(child.Output, "\n")
	switch {
	case child.Hang != "":
		endWithChildHang(child, hint)
	case child.Crash == "":
		t.Errorf("run in a child process (so that a crash could not end the other tests), it failed:\n%s%s",
			childFailures(t.Name(), lines), hint)
	default:
		_, at := gotrace.Crash(lines)
		where := "      (no frames of the code under test)"
		if gs := gotrace.Parse(strings.Join(lines[at:], "\n")); len(gs) > 0 && len(gs[0].Shown()) > 0 {
			where = framesText(gs[0].Shown())
		}
		t.Errorf("the code under test crashed the program: %s%s\n\n"+
			"A panic on a goroutine ends the whole program unless that same goroutine recovers it.\nWhere:\n%s",
			child.Crash, hint, where)
	}
}

// Crashes runs body, the whole of the calling top-level test, in a child process, for a test
// whose code under test must crash the program: a panic that nobody recovers, because the doc
// promises that it goes on. In the child it runs body and returns ok false, and the caller
// returns at once. In the parent it returns what the child did and ok true, and the caller
// judges it: c.Crash is "" when the child did not crash, and c.Messages() is what its failing
// tests said. A hang in the child ends the binary, as with Isolated.
func Crashes(t *testing.T, body func(t *testing.T)) (c Child, ok bool) {
	t.Helper()
	if inChild(t, body) {
		return Child{}, false
	}
	child := runChild(t)
	if child.Hang != "" {
		endWithChildHang(child, "")
	}
	return *child, true
}

// Messages returns what the child's tests said, without go test's own lines and without the
// crash report, or "(no message)".
func (c Child) Messages() string {
	lines := strings.Split(c.Output, "\n")
	if _, at := gotrace.Crash(lines); at >= 0 {
		lines = lines[:at]
	}
	if m := childFailures(c.name, lines); m != "" {
		return m
	}
	return "(no message)"
}

// inChild reports whether this process is the child Isolated or Crashes started for the
// calling test; if so, it has run body, watched for a hang.
func inChild(t *testing.T, body func(t *testing.T)) bool {
	if os.Getenv(isolatedEnv) != t.Name() {
		return false
	}
	before := gotrace.Take()
	delete(before, gotrace.Self().ID) // the test's own goroutine may be the stuck one
	// A little longer than a Bubble's watch, so that a Bubble in body, which knows its
	// subtest's name and its goroutines better, reports a hang in it first.
	defer watchHang(t.Name(), HangBound()+HangBound()/10, startedSince(before))()
	body(t)
	return true
}

// runChild runs the calling test alone in a child process and returns what it did.
func runChild(t *testing.T) *Child {
	t.Helper()
	args := []string{"-test.run=^" + regexp.QuoteMeta(t.Name()) + "$", "-test.count=1", "-test.v"}
	if deadline, ok := t.Deadline(); ok {
		args = append(args, "-test.timeout="+time.Until(deadline).Round(time.Second).String())
	}
	ctx := t.Context()
	bound := HangBound()
	if bound > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, childBound(bound))
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), isolatedEnv+"="+t.Name(), "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	cmd.Cancel = func() error { return quit(cmd.Process) }
	cmd.WaitDelay = 5 * time.Second // then it is killed
	out, err := cmd.CombinedOutput()
	child := &Child{Output: string(out), name: t.Name(), passed: err == nil}
	if child.passed {
		return child
	}
	lines := strings.Split(child.Output, "\n")
	if _, at := gotrace.Hang(lines); at >= 0 {
		child.Hang = strings.Join(gotrace.Dedent(lines[at:]), "\n")
		child.Hang, _, _ = strings.Cut(child.Hang, "\nFAIL\t") // go test's closing lines
		child.Hang = strings.TrimRight(child.Hang, "\n")
		return child
	}
	if bound > 0 && ctx.Err() == context.DeadlineExceeded && t.Context().Err() == nil {
		// The child did not report its hang itself: something outside its tests' watch (its
		// TestMain, a hang while starting or ending) held it. What it printed on SIGQUIT, if
		// anything, says where.
		child.Hang = strings.TrimRight(hangReport(t.Name(), bound, others(gotrace.Parse(child.Output), gotrace.Goroutine{ID: -1})), "\n")
		return child
	}
	child.Crash, _ = gotrace.Crash(lines)
	return child
}

// endWithChildHang ends this binary with the child's hang report, and hint in it, after its
// first paragraph (the hang, before the stuck goroutines and the general causes).
func endWithChildHang(c *Child, hint string) {
	report := c.Hang
	if hint = strings.TrimPrefix(hint, "\n"); hint != "" {
		first, rest, ok := strings.Cut(report, "\n\n")
		if !ok {
			first, rest = report, ""
		}
		report = first + "\n\n" + indent(hint, "    ")
		if rest != "" {
			report += "\n\n" + rest
		}
	}
	endWithHang(report + "\n")
}

// childBound is how long the parent lets a child run before it ends it: the hang bound, and
// time for the child to start and report its own hang first.
func childBound(bound time.Duration) time.Duration { return bound + max(bound/2, 2*time.Second) }

// childFailures keeps the lines of a child's -v output that say what failed: the failure
// messages, the names of failing subtests and the first lines of a race report; not the ===
// lines, the --- lines of the test and its parents, the package summary, or passing subtests.
func childFailures(name string, lines []string) string {
	var kept []string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		if gotrace.IsRaceWarning(trimmed) {
			// Each access with the learner's frames under it: both sides of the race, without
			// the frames of the harness and the testing package that would crowd them out.
			end := i + 1
			for end < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[end]), "==================") {
				end++
			}
			indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
			kept = append(kept, l)
			for _, w := range gotrace.RaceWhere(gotrace.Race(lines[i:end], 0)) {
				kept = append(kept, indent+"  "+w)
			}
			i = end
			continue
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
	return strings.Join(gotrace.Dedent(kept), "\n")
}

// heading marks a subtest's name among the lines childFailures keeps, until it knows whether
// the subtest printed anything.
const heading = "\x00"
