package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
)

// A kataStatus says whether a kata is solved and, if not, why.
type kataStatus struct {
	solved bool
	reason string   // one line: "TestLoadAll fails", "the package does not compile"
	detail []string // what go test printed about it, ready to show
}

// statusOf works out a kata's status from its package's test run.
func statusOf(k *kata, p *pkgResult) kataStatus {
	switch {
	case p == nil || p.status == "":
		return kataStatus{reason: "its tests did not run"}
	case p.buildFailed():
		return kataStatus{reason: "the package does not compile", detail: cleanOutput(p.output, 30)}
	}
	crashLine, crashTest := p.crash()
	for _, name := range k.tests {
		tr := p.tests[name]
		switch {
		case tr == nil && crashLine != "":
			return kataStatus{reason: fmt.Sprintf("%s did not run: the test binary crashed in %s", name, orNone(crashTest)),
				detail: crashDetail(p, crashTest)}
		case tr == nil:
			return kataStatus{reason: name + " did not run", detail: cleanOutput(p.output, 30)}
		case tr.status == "pass":
			continue
		case crashTest == name && timedOut(crashLine):
			return kataStatus{reason: name + " did not finish: " + strings.TrimPrefix(crashLine, "panic: ") +
				".\nSomething blocks for ever in a way fake time cannot see: a mutex locked twice, a loop\n" +
				"that never blocks (spinning on a closed channel?), or real I/O.",
				detail: crashDetail(p, crashTest)}
		case crashTest == name:
			return kataStatus{reason: name + " crashed the test binary: " + crashLine +
				"\n(a panic in a goroutine your code started cannot be caught by a test: it ends the whole run)",
				detail: crashDetail(p, crashTest)}
		case slices.ContainsFunc(tr.output, isRaceWarning):
			return kataStatus{reason: name + " fails: a data race", detail: append([]string{
				"The race detector saw two goroutines use the same memory, at least one writing, with",
				"nothing ordering them. Give each goroutine its own variable, guard shared ones with a",
				"sync.Mutex, or read results only after wg.Wait() or a channel receive. Where:",
			}, raceLines(tr.output)...)}
		default:
			return kataStatus{reason: name + " fails", detail: failureLines(tr, 1, 30)}
		}
	}
	return kataStatus{solved: true}
}

func orNone(test string) string {
	if test == "" {
		return "no test (while starting or finishing)"
	}
	return test
}

func crashDetail(p *pkgResult, test string) []string {
	if tr := p.tests[test]; tr != nil {
		return cleanOutput(tr.output, 30)
	}
	return cleanOutput(p.output, 30)
}

func isRaceWarning(l string) bool { return strings.TrimSpace(l) == "WARNING: DATA RACE" }

// raceLines shortens the first data race report in lines to the accesses and the frames of
// the learner's code: the race detector also lists the runtime's and the harness's frames.
func raceLines(lines []string) []string {
	start := slices.IndexFunc(lines, isRaceWarning)
	var out []string
	for i := start + 1; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "==================") {
			break
		}
		switch {
		case strings.HasSuffix(l, ":") && !strings.Contains(l, "/"): // "Write at 0x… by goroutine 8:"
			out = append(out, l)
		case i+1 < len(lines) && isUserFrame(strings.TrimSpace(lines[i+1])):
			loc, _, _ := strings.Cut(strings.TrimSpace(lines[i+1]), " +0x")
			fn := strings.TrimSuffix(l[strings.LastIndex(l, "/")+1:], "()")
			out = append(out, "  "+fn+" ("+filepath.Base(filepath.FromSlash(loc))+")")
			i++
		}
	}
	return out
}

// isUserFrame reports whether a traceback's file line points at code outside Go's own
// packages and the test harness.
func isUserFrame(loc string) bool {
	absolute := strings.HasPrefix(loc, "/") || (len(loc) > 2 && loc[1] == ':') // on any OS
	return absolute && !slices.ContainsFunc([]string{"/src/runtime/", "/src/testing/", "/src/sync/", "/src/internal/", "/internal/katatest/"},
		func(dir string) bool { return strings.Contains(filepath.ToSlash(loc), dir) })
}

// failureLines shows what a failed test printed, case by case (a subtest's name, then its
// messages), for at most maxCases failing cases and limit lines.
func failureLines(tr *testResult, maxCases, limit int) []string {
	fails := tr.failures()
	if len(fails) == 0 {
		return cleanOutput(tr.output, limit)
	}
	var out []string
	for i, tc := range fails {
		if i == maxCases {
			out = append(out, fmt.Sprintf("(and %d more failing cases)", len(fails)-maxCases))
			break
		}
		out = append(out, tc.name+":")
		for _, l := range cleanOutput(tc.lines, limit) {
			out = append(out, "  "+l)
		}
	}
	if len(out) > limit+1 {
		out = append(out[:limit], fmt.Sprintf("... (%d more lines: run the test command above to see them all)", len(out)-limit))
	}
	return out
}

// runKatas runs the tests of every kata package, as the board does, and returns what
// happened with the module path.
func runKatas(ctx context.Context, t *tree, race bool) (runResult, string, error) {
	pkgs := t.testPackages()
	if len(pkgs) == 0 {
		return nil, "", fmt.Errorf("no katas found under %s", t.root)
	}
	return runTests(ctx, t, race, pkgs...)
}

// runTests runs the tests of the packages ("./dir") as the learner's board does.
func runTests(ctx context.Context, t *tree, race bool, pkgs ...string) (runResult, string, error) {
	args := []string{"-timeout", "60s"}
	var env []string
	if race {
		args, env = append(args, "-race"), raceEnv()
	}
	res, err := goTest(ctx, t.root, env, append(args, pkgs...)...)
	if err != nil {
		return nil, "", err
	}
	if race && nothingBuilt(res) {
		// -race needs a working C toolchain, and cgo can be on without one: rather than show
		// every kata as not compiling, try again without the race detector.
		if r, err := goTest(ctx, t.root, nil, append(args[:2:2], pkgs...)...); err == nil && !nothingBuilt(r) {
			res = r
		}
	}
	mod, err := modulePath(ctx, t.root)
	if err != nil {
		return nil, "", err
	}
	return res, mod, nil
}

// nothingBuilt reports whether no package's tests could be built or started.
func nothingBuilt(res runResult) bool {
	for ip, p := range res {
		if ip != "" && !p.buildFailed() {
			return false
		}
	}
	return true
}

// showBoard runs the learner's kata tests and prints the board and the next kata.
func (a *app) showBoard(ctx context.Context, t *tree, race bool) error {
	res, mod, err := runKatas(ctx, t, race)
	if err != nil {
		return err
	}
	printBoard(a.stdout, a.paint, t, progressOf(t, res, mod))
	return nil
}

// progress is the state of every kata after a test run.
type progress struct {
	all      []*kata // in learning order
	statuses map[*kata]kataStatus
	solved   int
	next     *kata // the first kata not solved, nil when all are
}

func progressOf(t *tree, res runResult, mod string) progress {
	p := progress{all: t.katas(), statuses: map[*kata]kataStatus{}}
	for _, k := range p.all {
		st := statusOf(k, res[importPath(mod, k.pkg.dir)])
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
func printBoard(w io.Writer, c painter, t *tree, prog progress) {
	fmt.Fprintln(w, prog.header(c))
	width := 0
	for _, k := range prog.all {
		width = max(width, len(k.name))
	}
	for _, p := range t.packages {
		if len(p.katas) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", c.bold(p.dir))
		for _, k := range p.katas {
			line := strings.TrimRight(fmt.Sprintf("%-*s  %s", width, k.name, k.title), " ")
			if k == prog.next {
				line = c.bold(line)
			}
			fmt.Fprintf(w, "  %s %s\n", c.mark(prog.statuses[k].solved), line)
		}
	}
	fmt.Fprintln(w)
	printNext(w, c, prog)
}

// printCompactBoard prints one line per folder with a mark per kata, and the katas of the
// next kata's folder in full, then the next kata to do: a board that fits a terminal.
func printCompactBoard(w io.Writer, c painter, t *tree, prog progress) {
	fmt.Fprintln(w, prog.header(c))
	fmt.Fprintln(w)
	width, nameWidth := 0, 0
	for _, p := range t.packages {
		if len(p.katas) > 0 {
			width = max(width, len(p.dir))
		}
		for _, k := range p.katas {
			nameWidth = max(nameWidth, len(k.name))
		}
	}
	for _, p := range t.packages {
		if len(p.katas) == 0 {
			continue
		}
		var marks strings.Builder
		for _, k := range p.katas {
			marks.WriteString(c.mark(prog.statuses[k].solved))
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, p.dir, marks.String())
		if prog.next == nil || prog.next.pkg != p {
			continue
		}
		for _, k := range p.katas {
			line := strings.TrimRight(fmt.Sprintf("%-*s  %s", nameWidth, k.name, k.title), " ")
			if k == prog.next {
				line = c.bold(line)
			}
			fmt.Fprintf(w, "    %s %s\n", c.mark(prog.statuses[k].solved), line)
		}
	}
	fmt.Fprintln(w)
	printNext(w, c, prog)
}

// printNext prints the next kata to do, why it is not solved and what its tests said.
func printNext(w io.Writer, c painter, prog progress) {
	next := prog.next
	if next == nil {
		fmt.Fprintln(w, c.good("Every kata is solved.")+" Compare your code with solutions/ and read the answers to each lesson's question there.")
		return
	}
	st := prog.statuses[next]
	fmt.Fprint(w, c.bold("Next: "+next.name))
	if next.title != "" {
		fmt.Fprintf(w, " — %s", next.title)
	}
	fmt.Fprintf(w, " (%s)\n", next.pkg.dir)
	fmt.Fprintf(w, "  Lesson: %s\n", filepath.FromSlash(next.pkg.dir+"/README.md"))
	fmt.Fprintf(w, "  Edit:   %s\n", filepath.FromSlash(next.stubPath()))
	fmt.Fprintf(w, "  Test:   %s\n", testCommand(next))
	fmt.Fprintf(w, "  Why it is not solved yet: %s\n", c.bad(st.reason))
	for _, l := range st.detail {
		fmt.Fprintf(w, "    %s\n", l)
	}
}

// testCommand is the go test command that runs exactly the kata's tests.
func testCommand(k *kata) string {
	return fmt.Sprintf("go test ./%s -run \"^(%s)$\"", k.pkg.dir, strings.Join(k.tests, "|"))
}

func importPath(mod, dir string) string { return mod + "/" + dir }

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
	out = dedent(out)
	if len(out) > limit {
		out = append(out[:limit], fmt.Sprintf("... (%d more lines: run the test command above to see them all)", len(out)-limit))
	}
	return out
}

// dedent removes the indentation every line shares.
func dedent(lines []string) []string {
	common := -1
	for _, l := range lines {
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	for i, l := range lines {
		lines[i] = l[max(common, 0):]
	}
	return lines
}
