package main

import (
	"github.com/go-async-katas/katas/internal/catalog"
	"github.com/go-async-katas/katas/internal/gorun"

	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/go-async-katas/katas/internal/gotrace"
)

// A kataStatus says whether a kata is solved and, if not, why.
type kataStatus struct {
	solved bool
	reason string   // one line: "TestLoadAll fails", "the package does not compile"
	detail []string // what go test printed about it, ready to show
	race   bool     // the failure is a data race: the test command needs -race to show it
}

// detailLimit is how many lines of a failure the board shows: a timeline or a hang report
// whole, a wall of output cut.
const detailLimit = 40

// statusOf works out a kata's status from the test run its tests were seen in.
func statusOf(k *catalog.Kata, p *gorun.PkgResult) kataStatus {
	switch {
	case p == nil || p.Status == "":
		return kataStatus{reason: "its tests did not run"}
	case p.BuildFailed():
		return kataStatus{reason: "the package does not compile", detail: cleanOutput(p.Output, detailLimit)}
	}
	if test, report := p.Hang(); test != "" && slices.Contains(k.Tests, strings.SplitN(test, "/", 2)[0]) {
		first := strings.TrimPrefix(strings.TrimSpace(report[0]), gotrace.HangPrefix)
		return kataStatus{reason: "it hangs: " + first + ".\n" +
			"Something blocks for ever in a way fake time cannot see: a mutex locked twice, a loop\n" +
			"that never blocks (a select with only a default, spinning on a closed channel?), or real I/O.",
			detail: cleanOutput(report[1:], detailLimit)}
	}
	crashLine, crashTest := p.Crash()
	for _, name := range k.Tests {
		tr := p.Tests[name]
		switch {
		case tr == nil && crashLine != "":
			return kataStatus{reason: fmt.Sprintf("%s did not run: the test binary crashed in %s", name, orNone(crashTest)),
				detail: crashDetail(p, crashTest)}
		case tr == nil:
			return kataStatus{reason: name + " did not run", detail: cleanOutput(p.Output, detailLimit)}
		case tr.Status == "pass":
			continue
		case crashTest == name && gotrace.TimedOut(crashLine):
			return kataStatus{reason: name + " did not finish: " + strings.TrimPrefix(crashLine, "panic: ") +
				".\nSomething blocks for ever in a way fake time cannot see: a mutex locked twice, a loop\n" +
				"that never blocks (spinning on a closed channel?), or real I/O.",
				detail: crashDetail(p, crashTest)}
		case crashTest == name:
			return kataStatus{reason: name + " crashed the test binary: " + crashLine +
				"\n(a panic in a goroutine your code started cannot be caught by a test: it ends the whole run)",
				detail: crashDetail(p, crashTest)}
		case slices.ContainsFunc(tr.Output, gotrace.IsRaceWarning):
			return kataStatus{reason: name + " fails: a data race", race: true, detail: append([]string{
				"The race detector saw two goroutines use the same memory, at least one writing, with",
				"nothing ordering them. Give each goroutine its own variable, guard shared ones with a",
				"sync.Mutex, or read results only after wg.Wait() or a channel receive. Where:",
			}, gotrace.RaceWhere(gotrace.Race(tr.Output, 0))...)}
		default:
			return kataStatus{reason: name + " fails", detail: failureLines(tr, 1, detailLimit)}
		}
	}
	if p.Status == "fail" && !gorun.AnyFailed(p) {
		return kataStatus{reason: "its tests pass, but the test binary failed after them (a goroutine left running?)",
			detail: cleanOutput(p.Output, detailLimit)}
	}
	return kataStatus{solved: true}
}

func orNone(test string) string {
	if test == "" {
		return "no test (while starting or finishing)"
	}
	return test
}

func crashDetail(p *gorun.PkgResult, test string) []string {
	if tr := p.Tests[test]; tr != nil {
		return cleanOutput(tr.Output, detailLimit)
	}
	return cleanOutput(p.Output, detailLimit)
}

// failureLines shows what a failed test printed, case by case (a subtest's name, then its
// messages), for at most maxCases failing cases and limit lines.
func failureLines(tr *gorun.TestResult, maxCases, limit int) []string {
	fails := tr.Failures()
	if len(fails) == 0 {
		return cleanOutput(tr.Output, limit)
	}
	var out []string
	for i, tc := range fails {
		if i == maxCases {
			out = append(out, fmt.Sprintf("(and %s)", plural(len(fails)-maxCases, "more failing case", "more failing cases")))
			break
		}
		out = append(out, tc.Name+":")
		for _, l := range cleanOutput(tc.Lines, limit) {
			out = append(out, "  "+l)
		}
	}
	if len(out) > limit+1 {
		out = append(out[:limit], fmt.Sprintf("... (%d more lines: run the test command above to see them all)", len(out)-limit))
	}
	return out
}

// plural is "1 task" or "3 tasks".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// runBoard runs the tests of the katas in pkgs (all when nil) as the board does, with a
// status line on a terminal while it runs.
func (a *app) runBoard(ctx context.Context, t *catalog.Tree, race bool, pkgs []*catalog.Package) (gorun.Results, error) {
	if pkgs == nil {
		pkgs = t.Packages
	}
	if len(t.Katas()) == 0 {
		return nil, fmt.Errorf("no katas found under %s", t.Root)
	}
	st := startStatus(a.stderr, a.terminal)
	defer st.end()
	return gorun.NewRunner(t.Root, race, st.set).Run(ctx, pkgs)
}

// showBoard runs the learner's kata tests and prints the board and the next kata.
func (a *app) showBoard(ctx context.Context, t *catalog.Tree, race bool) error {
	res, err := a.runBoard(ctx, t, race, nil)
	if err != nil {
		return err
	}
	printBoard(a.stdout, a.paint, a.where(), t, progressOf(t, res))
	return nil
}

// progress is the state of every kata after a test run.
type progress struct {
	all      []*catalog.Kata // in learning order
	statuses map[*catalog.Kata]kataStatus
	solved   int
	next     *catalog.Kata // the first kata not solved, nil when all are
}

func progressOf(t *catalog.Tree, res gorun.Results) progress {
	p := progress{all: t.Katas(), statuses: map[*catalog.Kata]kataStatus{}}
	for _, k := range p.all {
		st := statusOf(k, res[k.ID()])
		p.statuses[k] = st
		if st.solved {
			p.solved++
		} else if p.next == nil {
			p.next = k
		}
	}
	return p
}

func (p progress) header(c painter) string {
	return fmt.Sprintf("Go Async Katas: %d of %d katas solved %s", p.solved, len(p.all), c.bar(p.solved, len(p.all), 20))
}

// printBoard prints every kata with ✓ or ✗, in learning order, then the next kata to do.
func printBoard(w io.Writer, c painter, at where, t *catalog.Tree, prog progress) {
	fmt.Fprintln(w, prog.header(c))
	width := 0
	for _, k := range prog.all {
		width = max(width, len(k.Name))
	}
	for _, p := range t.Packages {
		if len(p.Katas) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", c.bold(p.Dir))
		for _, k := range p.Katas {
			line := strings.TrimRight(fmt.Sprintf("%-*s  %s", width, k.Name, k.Title), " ")
			if k == prog.next {
				line = c.bold(line)
			}
			fmt.Fprintf(w, "  %s %s\n", c.mark(prog.statuses[k].solved), line)
		}
	}
	fmt.Fprintln(w)
	printNext(w, c, at, prog)
}

// printCompactBoard prints one line per folder with a mark per kata, and the katas of the
// next kata's folder in full, then the next kata to do: a board that fits a terminal.
func printCompactBoard(w io.Writer, c painter, at where, t *catalog.Tree, prog progress) {
	fmt.Fprintln(w, prog.header(c))
	fmt.Fprintln(w)
	width, nameWidth := 0, 0
	for _, p := range t.Packages {
		if len(p.Katas) > 0 {
			width = max(width, len(p.Dir))
		}
		for _, k := range p.Katas {
			nameWidth = max(nameWidth, len(k.Name))
		}
	}
	for _, p := range t.Packages {
		if len(p.Katas) == 0 {
			continue
		}
		var marks strings.Builder
		for _, k := range p.Katas {
			marks.WriteString(c.mark(prog.statuses[k].solved))
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, p.Dir, marks.String())
		if prog.next == nil || prog.next.Pkg != p {
			continue
		}
		for _, k := range p.Katas {
			line := strings.TrimRight(fmt.Sprintf("%-*s  %s", nameWidth, k.Name, k.Title), " ")
			if k == prog.next {
				line = c.bold(line)
			}
			fmt.Fprintf(w, "    %s %s\n", c.mark(prog.statuses[k].solved), line)
		}
	}
	fmt.Fprintln(w)
	printNext(w, c, at, prog)
}

// printNext prints the next kata to do, why it is not solved and what its tests said, with
// paths and commands as the learner types them where they stand.
func printNext(w io.Writer, c painter, at where, prog progress) {
	next := prog.next
	if next == nil {
		fmt.Fprintln(w, c.good("Every kata is solved.")+" Compare your code with solutions/ and read the answers to each lesson's question there.")
		return
	}
	st := prog.statuses[next]
	fmt.Fprint(w, c.bold("Next: "+next.Name))
	if next.Title != "" {
		fmt.Fprintf(w, " — %s", next.Title)
	}
	fmt.Fprintf(w, " (%s)\n", next.Pkg.Dir)
	fmt.Fprintf(w, "  Lesson: %s\n", at.path(next.Pkg.Dir+"/README.md"))
	fmt.Fprintf(w, "  Edit:   %s\n", at.path(next.StubPath()))
	fmt.Fprintf(w, "  Test:   %s\n", testCommand(at, next, st))
	fmt.Fprintf(w, "  Why it is not solved yet: %s\n", c.bad(st.reason))
	for _, l := range st.detail {
		fmt.Fprintf(w, "    %s\n", l)
	}
}

// testCommand is the go test command that runs exactly the kata's tests and shows what the
// board saw: with -race when the failure is a data race, and with a -timeout that ends a
// hang the harness did not catch in minutes, not go test's default ten.
func testCommand(at where, k *catalog.Kata, st kataStatus) string {
	race := ""
	if st.race {
		race = " -race"
	}
	return fmt.Sprintf("go test %s%s -timeout 2m -run \"^(%s)$\"", at.dir(k.Pkg.Dir), race, strings.Join(k.Tests, "|"))
}

// cleanOutput keeps the lines of go test output that explain a failure — the failure
// messages and the "--- FAIL" lines that say which subtest — and at most limit of them.
func cleanOutput(lines []string, limit int) []string {
	var out []string
	for _, l := range lines {
		trimmed := strings.TrimSpace(l)
		switch {
		case trimmed == "",
			strings.HasPrefix(trimmed, "=== "),
			strings.HasPrefix(trimmed, "--- PASS"),
			strings.HasPrefix(trimmed, "--- SKIP"),
			trimmed == "FAIL", trimmed == "PASS",
			strings.HasPrefix(trimmed, "exit status "):
			continue
		}
		out = append(out, strings.TrimRight(l, " \t"))
	}
	out = gotrace.Dedent(out)
	if len(out) > limit {
		out = append(out[:limit], fmt.Sprintf("... (%d more lines: run the test command above to see them all)", len(out)-limit))
	}
	return out
}
